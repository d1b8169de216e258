/*
 * Tests of the v2 functions as a C (or C++) program sees them, against a running emulator of
 * Camunda 8.9 whose base URL is argv[1] (with admin endpoints). Built and run by
 * tests/c/run.sh like api_test.c: C11 and C++17, under AddressSanitizer + UBSan and valgrind.
 *
 * Every object is freed on every path: the sanitizers and valgrind turn a leak into a failure.
 */
#include "tasklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed = 0;
static int failed = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            passed++;                                                                \
        } else {                                                                     \
            failed++;                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

static const char *base_url;

/* A status and its error, printed when the status is not the expected one; frees the error.
 * The error is passed by address and read here: as an argument beside the call that fills it,
 * its value would be read in an unspecified order with that call. */
static void expect(tasklist_status status, tasklist_error **err_p, tasklist_status expected,
                   unsigned expected_http) {
    tasklist_error *err = *err_p;
    *err_p = NULL;
    CHECK(status == expected);
    if (status != expected) {
        fprintf(stderr, "  got %s (%d): %s\n", tasklist_status_name(status), (int)status,
                err ? tasklist_error_message(err) : "(no error)");
    }
    CHECK((status == TASKLIST_OK) == (err == NULL));
    if (err) {
        CHECK(tasklist_error_code(err) == status);
        CHECK(tasklist_error_http_status(err) == expected_http);
        tasklist_error_free(err);
    }
}

static tasklist_client *basic_client(void) {
    tasklist_options *options = NULL;
    tasklist_client *client = NULL;
    tasklist_error *err = NULL;
    CHECK(tasklist_options_new(&options) == TASKLIST_OK);
    CHECK(tasklist_options_set_base_url(options, base_url) == TASKLIST_OK);
    CHECK(tasklist_options_set_basic_auth(options, "demo", "demo") == TASKLIST_OK);
    CHECK(tasklist_options_set_max_retries(options, 0) == TASKLIST_OK);
    expect(tasklist_client_new(options, &client, &err), &err, TASKLIST_OK, 0);
    tasklist_options_free(options);
    return client;
}

/* Copies the first string value of "field" after `from`; 0 when there is none. */
static int string_field(const char *from, const char *field, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", field);
    const char *at = strstr(from, pattern);
    if (!at) return 0;
    at += strlen(pattern);
    size_t n = strcspn(at, "\"");
    if (n == 0 || n >= size) return 0;
    memcpy(out, at, n);
    out[n] = '\0';
    return 1;
}

static int count(const char *json, const char *needle) {
    int n = 0;
    for (const char *at = json; (at = strstr(at, needle)) != NULL; at += strlen(needle)) n++;
    return n;
}

static void test_topology_names_the_version(tasklist_client *client) {
    char *topology = NULL;
    tasklist_error *err = NULL;
    char version[32];
    expect(tasklist_v2_get_topology(client, &topology, &err), &err, TASKLIST_OK, 0);
    CHECK(topology && string_field(topology, "gatewayVersion", version, sizeof version));
    CHECK(topology && strncmp(version, "8.9", 3) == 0);
    tasklist_string_free(topology);
}

/* Search, get, assign, unassign, update, variables, form, complete, wait for search. */
static void test_task_lifecycle(tasklist_client *client) {
    tasklist_error *err = NULL;
    char *tasks = NULL, *task = NULL, *variables = NULL, *form = NULL, *seen = NULL;
    char key[32], query[160];

    expect(tasklist_v2_search_user_tasks(
               client, "{\"filter\":{\"state\":\"CREATED\"},\"page\":{\"limit\":3}}", &tasks, &err),
           &err, TASKLIST_OK, 0);
    CHECK(tasks && count(tasks, "\"userTaskKey\"") == 3);
    CHECK(tasks && string_field(tasks, "userTaskKey", key, sizeof key));
    if (!tasks || !string_field(tasks, "userTaskKey", key, sizeof key)) goto done;

    expect(tasklist_v2_get_user_task(client, key, &task, &err), &err, TASKLIST_OK, 0);
    CHECK(task && strstr(task, key) != NULL);

    expect(tasklist_v2_assign_user_task(client, key, "{\"assignee\":\"demo\"}", &err), &err,
           TASKLIST_OK, 0);
    expect(tasklist_v2_unassign_user_task(client, key, &err), &err, TASKLIST_OK, 0);
    expect(tasklist_v2_update_user_task(client, key, "{\"changeset\":{\"priority\":80}}", &err),
           &err, TASKLIST_OK, 0);
    /* A priority outside 0..100 is the server's 400, with its problem in the body. */
    expect(tasklist_v2_update_user_task(client, key, "{\"changeset\":{\"priority\":101}}", &err),
           &err, TASKLIST_ERR_BAD_REQUEST, 400);

    expect(tasklist_v2_search_user_task_variables(client, key, NULL, &variables, &err), &err,
           TASKLIST_OK, 0);
    CHECK(variables && strstr(variables, "\"items\"") != NULL);
    expect(tasklist_v2_get_user_task_form(client, key, &form, &err), &err, TASKLIST_OK, 0);
    CHECK(form && (strcmp(form, "null") == 0 || form[0] == '{'));

    expect(tasklist_v2_complete_user_task(client, key, "{\"variables\":{\"approved\":true}}", &err),
           &err, TASKLIST_OK, 0);
    /* A completed task left the engine: a second completion is a 404, never a success. */
    expect(tasklist_v2_complete_user_task(client, key, NULL, &err), &err, TASKLIST_ERR_NOT_FOUND,
           404);
    snprintf(query, sizeof query, "{\"filter\":{\"userTaskKey\":\"%s\",\"state\":\"COMPLETED\"}}",
             key);
    expect(tasklist_v2_search_user_tasks_wait(client, query, 1, 10000, &seen, &err), &err,
           TASKLIST_OK, 0);
    CHECK(seen && strstr(seen, "\"COMPLETED\"") != NULL);
done:
    tasklist_string_free(tasks);
    tasklist_string_free(task);
    tasklist_string_free(variables);
    tasklist_string_free(form);
    tasklist_string_free(seen);
}

/* Every page, as one array and through the page iterator, which outlives its client. */
static void test_every_page(void) {
    tasklist_client *client = basic_client();
    tasklist_error *err = NULL;
    tasklist_pages *pages = NULL;
    char *all = NULL, *page = NULL;
    int page_count = 0, task_count = 0;

    expect(tasklist_v2_search_all_user_tasks(client, "{\"page\":{\"limit\":4}}", 10, &all, &err),
           &err, TASKLIST_OK, 0);
    CHECK(all && all[0] == '[' && count(all, "\"userTaskKey\"") == 10);
    tasklist_string_free(all);

    expect(tasklist_v2_pages_new(client, "{\"page\":{\"limit\":4}}", 10, &pages, &err), &err,
           TASKLIST_OK, 0);
    tasklist_client_free(client);
    while (pages && tasklist_pages_next(pages, &page, &err) == TASKLIST_OK && page != NULL) {
        page_count++;
        task_count += count(page, "\"userTaskKey\"");
        tasklist_string_free(page);
    }
    CHECK(err == NULL);
    CHECK(page_count == 3); /* 4 + 4 + 2: max_items ends the walk */
    CHECK(task_count == 10);
    tasklist_pages_free(pages);

    /* A query that holds a cursor already is refused before anything is sent. */
    client = basic_client();
    pages = NULL;
    expect(tasklist_v2_pages_new(client, "{\"page\":{\"after\":\"x\"}}", 0, &pages, &err), &err,
           TASKLIST_ERR_INVALID_ARGUMENT, 0);
    CHECK(pages == NULL);
    tasklist_client_free(client);
}

static void test_processes(tasklist_client *client) {
    tasklist_error *err = NULL;
    char *definitions = NULL, *form = NULL, *instance = NULL;
    char key[32], request[160];
    expect(tasklist_v2_search_process_definitions(client, NULL, &definitions, &err), &err,
           TASKLIST_OK, 0);
    CHECK(definitions && string_field(definitions, "processDefinitionKey", key, sizeof key));
    if (!definitions || !string_field(definitions, "processDefinitionKey", key, sizeof key)) {
        tasklist_string_free(definitions);
        return;
    }
    expect(tasklist_v2_get_process_definition_form(client, key, &form, &err), &err, TASKLIST_OK, 0);
    CHECK(form != NULL);
    snprintf(request, sizeof request, "{\"processDefinitionKey\":\"%s\",\"variables\":{\"n\":1}}",
             key);
    expect(tasklist_v2_create_process_instance(client, request, &instance, &err), &err,
           TASKLIST_OK, 0);
    CHECK(instance && strstr(instance, "\"processInstanceKey\"") != NULL);
    tasklist_string_free(definitions);
    tasklist_string_free(form);
    tasklist_string_free(instance);
}

static void test_errors(tasklist_client *client) {
    tasklist_error *err = NULL;
    char *out = (char *)"garbage";
    /* Keys are decimal strings: anything else is refused before traffic. */
    expect(tasklist_v2_get_user_task(client, "12a", &out, &err), &err,
           TASKLIST_ERR_INVALID_ARGUMENT, 0);
    CHECK(out == NULL);
    expect(tasklist_v2_get_user_task(client, "1", &out, &err), &err, TASKLIST_ERR_NOT_FOUND, 404);
    /* The assignment request is required: NULL is a missing argument. */
    expect(tasklist_v2_assign_user_task(client, "1", NULL, &err), &err,
           TASKLIST_ERR_NULL_ARGUMENT, 0);
    CHECK(tasklist_v2_get_user_task(NULL, "1", &out, NULL) == TASKLIST_ERR_NULL_ARGUMENT);
    /* A busy task is a conflict (injected through the emulator's admin endpoint). */
    expect(tasklist_request(client, "POST", "/__emulator/faults",
                            "{\"target\":\"api\",\"status\":409,\"count\":1}", &out, &err),
           &err, TASKLIST_OK, 0);
    tasklist_string_free(out);
    expect(tasklist_v2_unassign_user_task(client, "2251799813685249", &err), &err,
           TASKLIST_ERR_CONFLICT, 409);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s BASE_URL\n", argv[0]);
        return 2;
    }
    base_url = argv[1];
    tasklist_client *client = basic_client();
    test_topology_names_the_version(client);
    test_task_lifecycle(client);
    test_processes(client);
    test_errors(client);
    tasklist_client_free(client);
    test_every_page();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
