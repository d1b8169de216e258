/*
 * The main job on Camunda 8.8 and later (the v2 Orchestration Cluster API), in C: find an open
 * user task, claim it, complete it with variables, wait until search shows it completed (search
 * reads an exported view that lags commands), and start a process from its start form.
 *
 *   tasklist_v2_example oauth  BASE_URL [TOKEN_URL CLIENT_ID CLIENT_SECRET [AUDIENCE]]
 *   tasklist_v2_example basic  BASE_URL [USERNAME PASSWORD]
 *   tasklist_v2_example cookie BASE_URL [USERNAME PASSWORD]
 *   tasklist_v2_example env                (CAMUNDA_REST_ADDRESS, CAMUNDA_CLIENT_ID, ...)
 *
 * BASE_URL is the cluster's address without /v2 (e.g. http://localhost:8080). Without
 * credentials it uses the emulator's defaults (tasklist-client / tasklist-secret, demo / demo).
 * Build: cc tasklist_v2_example.c -Iinclude -Ltarget/release -ltasklist
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
    if (argc < 3 || (strcmp(argv[1], "oauth") != 0 && strcmp(argv[1], "basic") != 0 &&
                     strcmp(argv[1], "cookie") != 0)) {
        fprintf(stderr,
                "usage: %s oauth BASE_URL [TOKEN_URL CLIENT_ID CLIENT_SECRET [AUDIENCE]]\n"
                "       %s basic|cookie BASE_URL [USERNAME PASSWORD]\n"
                "       %s env\n",
                argv[0], argv[0], argv[0]);
        return NULL;
    }
    const char *base_url = argv[2];
    const char *user = argc > 3 ? argv[3] : "demo";
    const char *password = argc > 4 ? argv[4] : "demo";
    if (tasklist_options_new(&options) != TASKLIST_OK) return NULL;
    status = tasklist_options_set_base_url(options, base_url);
    if (status == TASKLIST_OK && strcmp(argv[1], "oauth") == 0) {
        char token_url[512];
        snprintf(token_url, sizeof token_url, "%s/oauth/token", base_url);
        status = tasklist_options_set_oauth(options, argc > 3 ? argv[3] : token_url,
                                            argc > 4 ? argv[4] : "tasklist-client",
                                            argc > 5 ? argv[5] : "tasklist-secret",
                                            argc > 6 ? argv[6] : NULL);
    } else if (status == TASKLIST_OK && strcmp(argv[1], "basic") == 0) {
        status = tasklist_options_set_basic_auth(options, user, password);
    } else if (status == TASKLIST_OK) {
        /* The login path (/login on 8.8+) is found by the library. */
        status = tasklist_options_set_cookie_login(options, user, password);
    }
    if (status != TASKLIST_OK) {
        fprintf(stderr, "invalid option: %s\n", tasklist_status_name(status));
        tasklist_options_free(options);
        return NULL;
    }
    return options;
}

/* Copies the first string value of "field" in a JSON text. Keys are decimal strings in v2.
 * Real programs should use a JSON library (cJSON, jansson, ...); this keeps the example free
 * of dependencies. */
static int string_field(const char *json, const char *field, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", field);
    const char *at = strstr(json, pattern);
    if (!at) return 0;
    at += strlen(pattern);
    size_t n = strcspn(at, "\"");
    if (n == 0 || n >= size) return 0;
    memcpy(out, at, n);
    out[n] = '\0';
    return 1;
}

/* Starts the first process whose definition has a start form, with the form's answers. */
static int start_a_process(tasklist_client *client) {
    tasklist_error *err = NULL;
    char *definitions = NULL, *form = NULL, *instance = NULL;
    char key[32], request[256];
    int exit_code = 1;
    tasklist_status status = tasklist_v2_search_process_definitions(
        client, "{\"filter\":{\"isLatestVersion\":true}}", &definitions, &err);
    if (status != TASKLIST_OK) return report("searching process definitions", status, err);
    /* Walk the definitions' keys until one has a start form ("null": none). */
    const char *at = definitions;
    int found = 0;
    while (!found && (at = strstr(at, "\"processDefinitionKey\":\"")) != NULL) {
        if (!string_field(at, "processDefinitionKey", key, sizeof key)) break;
        at += strlen("\"processDefinitionKey\":\"");
        status = tasklist_v2_get_process_definition_form(client, key, &form, &err);
        if (status != TASKLIST_OK) {
            report("reading a start form", status, err);
            goto cleanup;
        }
        found = strcmp(form, "null") != 0;
        if (!found) {
            tasklist_string_free(form);
            form = NULL;
        }
    }
    if (!found) {
        printf("no process with a start form to start\n");
        exit_code = 0;
        goto cleanup;
    }
    printf("process definition %s has a start form (%zu bytes of JSON)\n", key, strlen(form));
    /* Variables are plain JSON values in v2 (no JSON text inside strings, unlike v1). */
    snprintf(request, sizeof request,
             "{\"processDefinitionKey\":\"%s\",\"variables\":{\"requestedBy\":\"the C example\"}}",
             key);
    /* Never retried once it may have reached the server: a repeat would start a second one. */
    status = tasklist_v2_create_process_instance(client, request, &instance, &err);
    if (status != TASKLIST_OK) {
        report("starting the process", status, err);
        goto cleanup;
    }
    printf("started process instance: %s\n", instance);
    exit_code = 0;
cleanup:
    tasklist_string_free(definitions);
    tasklist_string_free(form);
    tasklist_string_free(instance);
    return exit_code;
}

int main(int argc, char **argv) {
    tasklist_options *options = options_from_args(argc, argv);
    if (!options) return 2;

    int exit_code = 1;
    tasklist_client *client = NULL;
    tasklist_error *err = NULL;
    char *tasks = NULL, *topology = NULL, *seen = NULL;
    char key[32], version[32], query[256];

    tasklist_status status = tasklist_client_new(options, &client, &err);
    tasklist_options_free(options); /* the client keeps its own copy */
    if (status != TASKLIST_OK) return report("creating the client", status, err);

    status = tasklist_v2_get_topology(client, &topology, &err);
    if (status != TASKLIST_OK) {
        report("reading the topology", status, err);
        goto cleanup;
    }
    printf("cluster gateway version %s\n",
           string_field(topology, "gatewayVersion", version, sizeof version) ? version : "?");

    status = tasklist_v2_search_user_tasks(
        client, "{\"filter\":{\"state\":\"CREATED\"},\"page\":{\"limit\":5}}", &tasks, &err);
    if (status != TASKLIST_OK) {
        report("searching open user tasks", status, err);
        goto cleanup;
    }
    if (!string_field(tasks, "userTaskKey", key, sizeof key)) {
        printf("no open user task to work on\n");
        exit_code = start_a_process(client);
        goto cleanup;
    }
    printf("found open user task %s\n", key);

    status = tasklist_v2_assign_user_task(client, key, "{\"assignee\":\"demo\"}", &err);
    if (status != TASKLIST_OK) {
        report("claiming the task", status, err);
        goto cleanup;
    }
    printf("claimed it for demo\n");

    status = tasklist_v2_complete_user_task(
        client, key, "{\"variables\":{\"approved\":true,\"comment\":\"checked by the C example\"}}",
        &err);
    if (status != TASKLIST_OK) {
        report("completing the task", status, err);
        goto cleanup;
    }
    printf("completed it\n");

    /* Searches lag the engine: poll until the completion shows, for at most 10 s. */
    snprintf(query, sizeof query,
             "{\"filter\":{\"userTaskKey\":\"%s\",\"state\":\"COMPLETED\"}}", key);
    status = tasklist_v2_search_user_tasks_wait(client, query, 1, 10000, &seen, &err);
    if (status != TASKLIST_OK) {
        report("waiting for the completion to show", status, err);
        goto cleanup;
    }
    printf("search shows it COMPLETED\n");

    exit_code = start_a_process(client);

cleanup:
    tasklist_string_free(tasks);
    tasklist_string_free(topology);
    tasklist_string_free(seen);
    tasklist_client_free(client);
    return exit_code;
}
