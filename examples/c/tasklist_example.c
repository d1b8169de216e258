/*
 * The main job with libtasklist, in C: authenticate, find open tasks, claim one, complete it
 * with variables, print what the server answered.
 *
 *   tasklist_example oauth  BASE_URL [TOKEN_URL CLIENT_ID CLIENT_SECRET [AUDIENCE]]
 *   tasklist_example cookie BASE_URL [USERNAME PASSWORD]
 *   tasklist_example env                 (CAMUNDA_TASKLIST_BASE_URL, ZEEBE_CLIENT_ID, ...)
 *
 * Without credentials it uses the emulator's defaults (tasklist-client / tasklist-secret,
 * demo / demo). Build: cc tasklist_example.c -Iinclude -Ltarget/release -ltasklist
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasklist.h"

/* Prints what went wrong and frees the error. Returns 1 for use as an exit code. */
static int report(const char *what, tasklist_status status, tasklist_error *err) {
    fprintf(stderr, "%s failed: %s (%d)\n", what, tasklist_status_name(status), (int)status);
    if (err) {
        fprintf(stderr, "  %s\n", tasklist_error_message(err));
        if (tasklist_error_http_status(err) != 0 && tasklist_error_body(err)) {
            fprintf(stderr, "  HTTP %u: %s\n", (unsigned)tasklist_error_http_status(err),
                    tasklist_error_body(err));
        }
        tasklist_error_free(err);
    }
    return 1;
}

/* Builds options from the command line; NULL after printing the usage. */
static tasklist_options *options_from_args(int argc, char **argv) {
    tasklist_options *options = NULL;
    tasklist_error *err = NULL;
    tasklist_status status;
    if (argc >= 2 && strcmp(argv[1], "env") == 0) {
        status = tasklist_options_from_env(&options, &err);
        if (status != TASKLIST_OK) report("reading the environment", status, err);
        return options;
    }
    if (argc < 3 || (strcmp(argv[1], "oauth") != 0 && strcmp(argv[1], "cookie") != 0)) {
        fprintf(stderr,
                "usage: %s oauth BASE_URL [TOKEN_URL CLIENT_ID CLIENT_SECRET [AUDIENCE]]\n"
                "       %s cookie BASE_URL [USERNAME PASSWORD]\n"
                "       %s env\n",
                argv[0], argv[0], argv[0]);
        return NULL;
    }
    const char *base_url = argv[2];
    if (tasklist_options_new(&options) != TASKLIST_OK) return NULL;
    status = tasklist_options_set_base_url(options, base_url);
    if (status == TASKLIST_OK && strcmp(argv[1], "oauth") == 0) {
        char token_url[512];
        snprintf(token_url, sizeof token_url, "%s/oauth/token", base_url);
        status = tasklist_options_set_oauth(options, argc > 3 ? argv[3] : token_url,
                                            argc > 4 ? argv[4] : "tasklist-client",
                                            argc > 5 ? argv[5] : "tasklist-secret",
                                            argc > 6 ? argv[6] : NULL);
    } else if (status == TASKLIST_OK) {
        status = tasklist_options_set_cookie_login(options, argc > 3 ? argv[3] : "demo",
                                                   argc > 4 ? argv[4] : "demo");
    }
    if (status != TASKLIST_OK) {
        fprintf(stderr, "invalid option: %s\n", tasklist_status_name(status));
        tasklist_options_free(options);
        return NULL;
    }
    return options;
}

/* Finds the first "id" value in a JSON text. Real programs should use a JSON library
 * (cJSON, jansson, ...); this keeps the example free of dependencies. */
static int first_id(const char *json, char *id, size_t size) {
    const char *at = strstr(json, "\"id\"");
    if (!at || !(at = strchr(at + 4, '"'))) return 0;
    size_t n = strcspn(++at, "\"");
    if (n == 0 || n >= size) return 0;
    memcpy(id, at, n);
    id[n] = '\0';
    return 1;
}

int main(int argc, char **argv) {
    tasklist_options *options = options_from_args(argc, argv);
    if (!options) return 2;
    int oauth = argc > 1 && strcmp(argv[1], "cookie") != 0;

    int exit_code = 1;
    tasklist_client *client = NULL;
    tasklist_error *err = NULL;
    char *tasks = NULL, *claimed = NULL, *completed = NULL;
    char task_id[64];

    tasklist_status status = tasklist_client_new(options, &client, &err);
    tasklist_options_free(options); /* the client keeps its own copy */
    if (status != TASKLIST_OK) return report("creating the client", status, err);

    status = tasklist_client_login(client, &err);
    if (status != TASKLIST_OK) {
        report("authenticating", status, err);
        goto cleanup;
    }

    status = tasklist_search_tasks(client, "{\"state\":\"CREATED\",\"assigned\":false,\"pageSize\":5}",
                                   &tasks, &err);
    if (status != TASKLIST_OK) {
        report("searching open tasks", status, err);
        goto cleanup;
    }
    printf("searched open, unassigned tasks: %zu bytes of JSON\n", strlen(tasks));
    if (!first_id(tasks, task_id, sizeof task_id)) {
        printf("no open task to work on\n");
        exit_code = 0;
        goto cleanup;
    }

    /* An OAuth client must name the assignee; a logged-in user claims for itself. */
    status = tasklist_assign_task(client, task_id, oauth ? "{\"assignee\":\"demo\"}" : NULL,
                                  &claimed, &err);
    if (status != TASKLIST_OK) {
        report("claiming the task", status, err);
        goto cleanup;
    }
    printf("claimed task %s\n", task_id);

    /* Variable values are JSON text inside a JSON string: a string needs its own quotes. */
    status = tasklist_complete_task(
        client, task_id,
        "{\"variables\":[{\"name\":\"approved\",\"value\":\"true\"},"
        "{\"name\":\"comment\",\"value\":\"\\\"checked by the C example\\\"\"}]}",
        &completed, &err);
    if (status != TASKLIST_OK) {
        report("completing the task", status, err);
        goto cleanup;
    }
    printf("completed task:\n%s\n", completed);
    exit_code = 0;

cleanup:
    tasklist_string_free(tasks);
    tasklist_string_free(claimed);
    tasklist_string_free(completed);
    tasklist_client_free(client);
    return exit_code;
}
