/*
 * Tests of the C API as a C (or C++) program sees it, against a running emulator whose base
 * URL is argv[1]. Built as C11 and as C++17, linked statically and dynamically, and run under
 * AddressSanitizer + UBSan and under valgrind by tests/c/run.sh.
 *
 * Every object is freed on every path: the sanitizers and valgrind turn a leak into a failure.
 */
#include "tasklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
static_assert(TASKLIST_VERSION_NUM ==
                  ((TASKLIST_VERSION_MAJOR << 16) | (TASKLIST_VERSION_MINOR << 8) | TASKLIST_VERSION_PATCH),
              "version number matches its parts");
#else
_Static_assert(TASKLIST_VERSION_NUM ==
                   ((TASKLIST_VERSION_MAJOR << 16) | (TASKLIST_VERSION_MINOR << 8) | TASKLIST_VERSION_PATCH),
               "version number matches its parts");
#endif
#if !TASKLIST_AT_LEAST_VERSION(0, 1, 0)
#error "TASKLIST_AT_LEAST_VERSION disagrees with the version"
#endif

const char *second_unit_status_name(tasklist_status code);

static int passed = 0;
static int failed = 0;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) {                                                              \
            passed++;                                                            \
        } else {                                                                 \
            failed++;                                                            \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                        \
    } while (0)

static const char *base_url;
static char token_url[256];

/* Expects `status` to be `expected`, and the error to agree with it; frees the error. */
static void expect_error(tasklist_status status, tasklist_error *err, tasklist_status expected,
                         unsigned expected_http) {
    CHECK(status == expected);
    if (status != expected) {
        fprintf(stderr, "  got %s (%d): %s\n", tasklist_status_name(status), (int)status,
                err ? tasklist_error_message(err) : "(no error)");
    }
    CHECK(err != NULL);
    if (err) {
        CHECK(tasklist_error_code(err) == status);
        CHECK(tasklist_error_message(err) != NULL && strlen(tasklist_error_message(err)) > 0);
        CHECK(tasklist_error_http_status(err) == expected_http);
        tasklist_error_free(err);
    }
}

static tasklist_client *new_client(int oauth) {
    tasklist_options *options = NULL;
    tasklist_client *client = NULL;
    tasklist_error *err = NULL;
    CHECK(tasklist_options_new(&options) == TASKLIST_OK);
    CHECK(tasklist_options_set_base_url(options, base_url) == TASKLIST_OK);
    if (oauth) {
        CHECK(tasklist_options_set_oauth(options, token_url, "tasklist-client", "tasklist-secret",
                                         NULL) == TASKLIST_OK);
    } else {
        CHECK(tasklist_options_set_cookie_login(options, "demo", "demo") == TASKLIST_OK);
    }
    CHECK(tasklist_client_new(options, &client, &err) == TASKLIST_OK);
    CHECK(err == NULL);
    tasklist_options_free(options);
    return client;
}

/* Copies the "id" of the first object in a JSON array (enough for the emulator's output). */
static int first_id(const char *json, char *id, size_t size) {
    const char *at = strstr(json, "\"id\"");
    if (!at) return 0;
    at = strchr(at + 4, '"');
    if (!at) return 0;
    at++;
    size_t n = strcspn(at, "\"");
    if (n == 0 || n >= size) return 0;
    memcpy(id, at, n);
    id[n] = '\0';
    return 1;
}

static void test_version_and_names(void) {
    CHECK(strcmp(tasklist_version(), TASKLIST_VERSION) == 0);
    CHECK(tasklist_abi_version() == TASKLIST_ABI_VERSION);
    CHECK(strcmp(tasklist_status_name(TASKLIST_OK), "TASKLIST_OK") == 0);
    CHECK(strcmp(tasklist_status_name(TASKLIST_ERR_NOT_FOUND), "TASKLIST_ERR_NOT_FOUND") == 0);
    CHECK(strcmp(second_unit_status_name(12345), "TASKLIST_ERR_UNKNOWN") == 0);
}

static void test_flow(int oauth) {
    tasklist_client *client = new_client(oauth);
    tasklist_error *err = NULL;
    char *json = NULL;
    char id[64];
    tasklist_status status;

    CHECK(tasklist_client_login(client, &err) == TASKLIST_OK);
    status = tasklist_search_tasks(client, "{\"state\":\"CREATED\",\"assigned\":false}", &json, &err);
    CHECK(status == TASKLIST_OK && json != NULL && err == NULL);
    CHECK(json && json[0] == '[');
    CHECK(json && first_id(json, id, sizeof id));
    tasklist_string_free(json);
    json = NULL;

    status = tasklist_assign_task(client, id, oauth ? "{\"assignee\":\"demo\"}" : NULL, &json, &err);
    CHECK(status == TASKLIST_OK);
    CHECK(json && strstr(json, "\"assignee\"") && strstr(json, "demo"));
    tasklist_string_free(json);

    status = tasklist_save_draft_variables(
        client, id, "{\"variables\":[{\"name\":\"comment\",\"value\":\"\\\"draft\\\"\"}]}", &err);
    CHECK(status == TASKLIST_OK && err == NULL);

    status = tasklist_search_task_variables(client, id, "{\"variableNames\":[\"comment\"]}", &json, &err);
    CHECK(status == TASKLIST_OK && json && strstr(json, "draft"));
    tasklist_string_free(json);

    status = tasklist_complete_task(
        client, id,
        "{\"variables\":[{\"name\":\"approved\",\"value\":\"true\"},"
        "{\"name\":\"comment\",\"value\":\"\\\"done \\\\u00e9\\\"\"}]}",
        &json, &err);
    CHECK(status == TASKLIST_OK && json && strstr(json, "COMPLETED"));
    tasklist_string_free(json);

    status = tasklist_get_task(client, id, &json, &err);
    CHECK(status == TASKLIST_OK && json && strstr(json, "COMPLETED"));
    tasklist_string_free(json);

    status = tasklist_search_all_tasks(client, "{\"pageSize\":7}", 20, &json, &err);
    CHECK(status == TASKLIST_OK && json && json[0] == '[');
    tasklist_string_free(json);

    status = tasklist_search_process_definitions(client, NULL, &json, &err);
    CHECK(status == TASKLIST_OK && json && strstr(json, "\"items\""));
    tasklist_string_free(json);

    status = tasklist_request(client, "GET", "/v1/internal/processes", NULL, &json, &err);
    CHECK(status == TASKLIST_OK && json && json[0] == '[');
    tasklist_string_free(json);

    tasklist_client_free(client);
}

static void test_errors(void) {
    tasklist_client *client = new_client(1);
    tasklist_error *err = NULL;
    char *json = (char *)"garbage";
    tasklist_status status;

    status = tasklist_get_task(client, "999999999", &json, &err);
    CHECK(json == NULL);
    CHECK(err != NULL && tasklist_error_body(err) != NULL && strstr(tasklist_error_body(err), "\"status\""));
    expect_error(status, err, TASKLIST_ERR_NOT_FOUND, 404);

    status = tasklist_search_tasks(client, "{\"pageSize\":0}", &json, &err);
    expect_error(status, err, TASKLIST_ERR_BAD_REQUEST, 400);

    status = tasklist_search_tasks(client, "{not json", &json, &err);
    expect_error(status, err, TASKLIST_ERR_INVALID_JSON, 0);

    status = tasklist_get_task(client, "\xff\xfe", &json, &err);
    expect_error(status, err, TASKLIST_ERR_INVALID_UTF8, 0);

    status = tasklist_get_task(client, "", &json, &err);
    expect_error(status, err, TASKLIST_ERR_INVALID_ARGUMENT, 0);

    status = tasklist_get_task(NULL, "1", &json, &err);
    expect_error(status, err, TASKLIST_ERR_NULL_ARGUMENT, 0);

    /* err_out may be NULL: the status alone still tells what happened. */
    CHECK(tasklist_get_task(client, NULL, &json, NULL) == TASKLIST_ERR_NULL_ARGUMENT);
    CHECK(tasklist_search_tasks(client, NULL, NULL, NULL) == TASKLIST_ERR_NULL_ARGUMENT);

    status = tasklist_request(client, "GET", "http://elsewhere.example/v1", NULL, &json, &err);
    expect_error(status, err, TASKLIST_ERR_INVALID_ARGUMENT, 0);

    tasklist_client_free(client);

    /* Wrong credentials. */
    tasklist_options *options = NULL;
    CHECK(tasklist_options_new(&options) == TASKLIST_OK);
    CHECK(tasklist_options_set_base_url(options, base_url) == TASKLIST_OK);
    CHECK(tasklist_options_set_cookie_login(options, "demo", "wrong") == TASKLIST_OK);
    CHECK(tasklist_client_new(options, &client, &err) == TASKLIST_OK);
    status = tasklist_client_login(client, &err);
    expect_error(status, err, TASKLIST_ERR_AUTH_FAILED, 401);
    tasklist_client_free(client);

    /* Options without a base URL cannot make a client. */
    tasklist_options_free(options);
    CHECK(tasklist_options_new(&options) == TASKLIST_OK);
    client = (tasklist_client *)&passed; /* garbage that must be cleared */
    status = tasklist_client_new(options, &client, &err);
    CHECK(client == NULL);
    expect_error(status, err, TASKLIST_ERR_INVALID_ARGUMENT, 0);
    CHECK(tasklist_options_set_base_url(options, "not a url") == TASKLIST_ERR_INVALID_ARGUMENT);
    CHECK(tasklist_options_set_token_format(options, 42) == TASKLIST_ERR_INVALID_ARGUMENT);
    CHECK(tasklist_options_set_token_format(options, TASKLIST_TOKEN_FORMAT_JSON) == TASKLIST_OK);
    CHECK(tasklist_options_set_timeouts(options, 1000, 5000) == TASKLIST_OK);
    CHECK(tasklist_options_set_max_retries(options, 0) == TASKLIST_OK);
    CHECK(tasklist_options_set_oauth_scope(options, "api://x/.default") == TASKLIST_OK);
    tasklist_options_free(options);

    /* Every free accepts NULL. */
    tasklist_options_free(NULL);
    tasklist_client_free(NULL);
    tasklist_error_free(NULL);
    tasklist_string_free(NULL);
}

/* Counts log lines and remembers whether one ever held the client secret. */
struct log_seen {
    int lines;
    int secret_leaked;
};

static void count_lines(uint32_t level, const char *message, void *userdata) {
    struct log_seen *seen = (struct log_seen *)userdata;
    if (level >= TASKLIST_LOG_ERROR && level <= TASKLIST_LOG_DEBUG && message != NULL) {
        seen->lines++;
        if (strstr(message, "tasklist-secret") != NULL) seen->secret_leaked = 1;
    }
}

/* Counts records, those whose line and fields describe the search, and malformed ones. */
struct records_seen {
    int records;
    int searches;
    int bad;
};

static void count_records(uint32_t level, const char *line, const char *fields_json,
                          void *userdata) {
    struct records_seen *seen = (struct records_seen *)userdata;
    seen->records++;
    if (level < TASKLIST_LOG_ERROR || level > TASKLIST_LOG_DEBUG || line == NULL ||
        fields_json == NULL || fields_json[0] != '{' ||
        strstr(fields_json, "\"target\":") == NULL) {
        seen->bad++;
        return;
    }
    if (strstr(fields_json, "\"path\":\"/v1/tasks/search\"") != NULL &&
        strstr(fields_json, "\"status\":200") != NULL &&
        strncmp(line, "POST /v1/tasks/search status=200", 32) == 0) {
        seen->searches++;
    }
    if (strstr(fields_json, "tasklist-secret") != NULL) seen->bad++;
}

static void test_describe_and_log(void) {
    tasklist_options *options = NULL;
    tasklist_error *err = NULL;
    char *json = NULL;
    CHECK(tasklist_options_new(&options) == TASKLIST_OK);
    CHECK(tasklist_options_set_base_url(options, base_url) == TASKLIST_OK);
    CHECK(tasklist_options_set_oauth(options, token_url, "tasklist-client", "tasklist-secret",
                                     NULL) == TASKLIST_OK);
    CHECK(tasklist_options_set_proxy(options, NULL) == TASKLIST_OK);
    CHECK(tasklist_options_set_proxy_from_env(options, 0) == TASKLIST_OK);
    CHECK(tasklist_options_describe(options, &json, &err) == TASKLIST_OK);
    CHECK(json != NULL && err == NULL);
    if (json) {
        CHECK(strstr(json, "tasklist-secret") == NULL);
        CHECK(strstr(json, "\"***\"") != NULL);
        CHECK(strstr(json, "\"source\":\"set\"") != NULL);
    }
    tasklist_string_free(json);
    tasklist_options_free(options);

    struct log_seen seen = {0, 0};
    CHECK(tasklist_set_log_callback(TASKLIST_LOG_INFO, count_lines, &seen) == TASKLIST_OK);
    tasklist_client *client = new_client(1);
    json = NULL;
    CHECK(tasklist_search_tasks(client, NULL, &json, NULL) == TASKLIST_OK);
    tasklist_string_free(json);
    /* Restored before `seen` goes out of scope: afterwards the callback is never called. */
    CHECK(tasklist_set_log_callback(TASKLIST_LOG_INFO, NULL, NULL) == TASKLIST_OK);
    CHECK(seen.lines >= 2); /* the token fetch and the search */
    CHECK(seen.secret_leaked == 0);
    CHECK(tasklist_set_log_callback(99, count_lines, NULL) == TASKLIST_ERR_INVALID_ARGUMENT);

    /* The record callback replaces the line callback, and gets JSON fields with each line. */
    struct records_seen records = {0, 0, 0};
    seen.lines = 0;
    CHECK(tasklist_set_log_callback(TASKLIST_LOG_INFO, count_lines, &seen) == TASKLIST_OK);
    CHECK(tasklist_set_log_record_callback(TASKLIST_LOG_INFO, count_records, &records) ==
          TASKLIST_OK);
    json = NULL;
    CHECK(tasklist_search_tasks(client, NULL, &json, NULL) == TASKLIST_OK);
    tasklist_string_free(json);
    CHECK(tasklist_set_log_record_callback(TASKLIST_LOG_INFO, NULL, NULL) == TASKLIST_OK);
    CHECK(seen.lines == 0);
    CHECK(records.searches == 1);
    CHECK(records.bad == 0);
    CHECK(tasklist_set_log_record_callback(0, count_records, NULL) ==
          TASKLIST_ERR_INVALID_ARGUMENT);
    tasklist_client_free(client);
}

static int count_tasks(const char *page) {
    int n = 0;
    const char *at = page;
    while ((at = strstr(at, "\"sortValues\"")) != NULL) {
        n++;
        at++;
    }
    return n;
}

/* Walks a search page by page, as a program would that handles tasks as they come. */
static void test_pages(void) {
    tasklist_client *client = new_client(1);
    tasklist_pages *pages = NULL;
    tasklist_error *err = NULL;
    char *page = NULL;
    int page_count = 0, task_count = 0;

    CHECK(tasklist_pages_new(client, "{\"pageSize\":7}", 20, &pages, &err) == TASKLIST_OK);
    CHECK(pages != NULL && err == NULL);
    /* The iterator holds its own reference: the client may go first. */
    tasklist_client_free(client);
    while (tasklist_pages_next(pages, &page, &err) == TASKLIST_OK && page != NULL) {
        page_count++;
        task_count += count_tasks(page);
        tasklist_string_free(page);
    }
    CHECK(err == NULL);
    CHECK(page_count == 3); /* 7 + 7 + 6: max_items ends the walk */
    CHECK(task_count == 20);
    page = (char *)"garbage";
    CHECK(tasklist_pages_next(pages, &page, &err) == TASKLIST_OK && page == NULL);
    tasklist_pages_free(pages);
    tasklist_pages_free(NULL);

    client = new_client(1);
    pages = NULL;
    tasklist_status status = tasklist_pages_new(client, "{\"searchAfter\":[\"1\"]}", 0, &pages, &err);
    expect_error(status, err, TASKLIST_ERR_INVALID_ARGUMENT, 0);
    CHECK(pages == NULL);
    CHECK(tasklist_pages_new(client, NULL, 0, NULL, NULL) == TASKLIST_ERR_NULL_ARGUMENT);
    CHECK(tasklist_pages_next(NULL, &page, NULL) == TASKLIST_ERR_NULL_ARGUMENT);
    tasklist_client_free(client);
}

/* Options from one JSON object of describe's keys; mistakes name the key. */
static void test_set_json(void) {
    tasklist_options *options = NULL;
    tasklist_error *err = NULL;
    tasklist_client *client = NULL;
    char json[768];
    CHECK(tasklist_options_new(&options) == TASKLIST_OK);
    snprintf(json, sizeof json,
             "{\"client_secret\": \"tasklist-secret\", \"client_id\": \"tasklist-client\","
             " \"token_url\": \"%s\", \"auth\": \"oauth\", \"base_url\": \"%s\","
             " \"max_retries\": 1, \"request_timeout_ms\": 5000}",
             token_url, base_url);
    CHECK(tasklist_options_set_json(options, json, &err) == TASKLIST_OK);
    CHECK(err == NULL);

    tasklist_status status = tasklist_options_set_json(options, "{\"max_retry\": 1}", &err);
    CHECK(status == TASKLIST_ERR_INVALID_ARGUMENT && err != NULL);
    if (err) {
        CHECK(strstr(tasklist_error_message(err), "did you mean \"max_retries\"") != NULL);
        tasklist_error_free(err);
        err = NULL;
    }
    status = tasklist_options_set_json(options, "{\"base_url\": \"ftp://x\"}", &err);
    CHECK(status == TASKLIST_ERR_INVALID_ARGUMENT && err != NULL);
    if (err) {
        CHECK(strncmp(tasklist_error_message(err), "base_url: ", 10) == 0);
        tasklist_error_free(err);
        err = NULL;
    }
    status = tasklist_options_set_json(options, "{\"client_secret\": \"***\"}", &err);
    expect_error(status, err, TASKLIST_ERR_INVALID_ARGUMENT, 0);
    status = tasklist_options_set_json(options, "{\"base_url\": ", &err);
    expect_error(status, err, TASKLIST_ERR_INVALID_JSON, 0);
    status = tasklist_options_set_json(options, NULL, &err);
    expect_error(status, err, TASKLIST_ERR_NULL_ARGUMENT, 0);
    CHECK(tasklist_options_set_json(NULL, "{}", NULL) == TASKLIST_ERR_NULL_ARGUMENT);

    /* The failed calls changed nothing: the options still log in. */
    CHECK(tasklist_client_new(options, &client, &err) == TASKLIST_OK);
    CHECK(tasklist_client_login(client, &err) == TASKLIST_OK);
    tasklist_client_free(client);
    tasklist_options_free(options);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s BASE_URL\n", argv[0]);
        return 2;
    }
    base_url = argv[1];
    snprintf(token_url, sizeof token_url, "%s/oauth/token", base_url);

    test_version_and_names();
    test_flow(1);
    test_flow(0);
    test_errors();
    test_describe_and_log();
    test_pages();
    test_set_json();

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
