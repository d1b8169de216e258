/*
 * libtasklist from C: the tight loop of the benchmark.
 *
 *   tasklist_bench search   N THREADS   N searches of one 50-task page, split over THREADS
 *   tasklist_bench all      N THREADS   N full pagings (tasklist_search_all_tasks) of the
 *                                       BENCH_ALL_QUERY tasks, BENCH_ALL_EXPECT of them
 *   tasklist_bench variable N THREADS   N fetches of variable BENCH_VARIABLE_ID
 *   tasklist_bench rss      N 1         N searches, printing VmRSS ten times on the way
 *   tasklist_bench v2search N THREADS   N v2 searches (tasklist_v2_search_user_tasks) of one
 *                                       50-task page, against an 8.8+ server
 *
 * Connection details come from the environment (BENCH_BASE_URL, BENCH_TOKEN_URL,
 * BENCH_CLIENT_ID, BENCH_CLIENT_SECRET), as for every client of the harness, so that all of
 * them are started the same way. One client is shared by all threads: that is what the
 * library promises and what the concurrent numbers are about.
 *
 * Output: one JSON line, the same shape for every client (see bench/README.md).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tasklist.h"

#define SEARCH_QUERY "{\"pageSize\":50}"
#define V2_SEARCH_QUERY "{\"page\":{\"limit\":50}}"
/* Warm-up calls per thread before timing: opens the keep-alive connections and fills the
 * allocator's caches, as in a long-running program. The token is fetched by the first. */
#define WARMUP_PER_THREAD 20

enum workload { SEARCH, ALL, VARIABLE, RSS, V2SEARCH };

struct bench {
    enum workload workload;
    tasklist_client *client;
    const char *all_query;
    long all_expect;
    const char *variable_id;
    long n;
    int threads;
    pthread_barrier_t start;
    double *latency_us; /* n entries, one per timed call, filled by the threads */
};

struct worker {
    struct bench *bench;
    long first, count; /* this thread's slice of latency_us */
};

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what, tasklist_status status, tasklist_error *err) {
    fprintf(stderr, "tasklist_bench: %s: %s: %s\n", what, tasklist_status_name(status),
            err ? tasklist_error_message(err) : "");
    exit(1);
}

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* Counts the tasks in a JSON array of tasks without a JSON parser: each has one taskState. */
static long count_key(const char *json, const char *key) {
    long n = 0;
    for (const char *p = json; (p = strstr(p, key)); p++) n++;
    return n;
}

static long count_tasks(const char *json) { return count_key(json, "\"taskState\""); }

/* One call of the workload; the answer is freed at once, as a caller that only needs the
 * count would do. */
static void one_call(struct bench *b, int check) {
    char *json = NULL;
    tasklist_error *err = NULL;
    tasklist_status status;
    switch (b->workload) {
    case ALL:
        status = tasklist_search_all_tasks(b->client, b->all_query, 0, &json, &err);
        if (status != TASKLIST_OK) die("search_all_tasks", status, err);
        if (check && count_tasks(json) != b->all_expect) {
            fprintf(stderr, "tasklist_bench: expected %ld tasks, got %ld\n", b->all_expect,
                    count_tasks(json));
            exit(1);
        }
        break;
    case V2SEARCH:
        status = tasklist_v2_search_user_tasks(b->client, V2_SEARCH_QUERY, &json, &err);
        if (status != TASKLIST_OK) die("v2_search_user_tasks", status, err);
        /* v2 tasks have no taskState; each has one userTaskKey. */
        if (check && count_key(json, "\"userTaskKey\"") != 50) {
            fprintf(stderr, "tasklist_bench: expected a 50-task v2 page\n");
            exit(1);
        }
        break;
    case VARIABLE:
        status = tasklist_get_variable(b->client, b->variable_id, &json, &err);
        if (status != TASKLIST_OK) die("get_variable", status, err);
        break;
    default:
        status = tasklist_search_tasks(b->client, SEARCH_QUERY, &json, &err);
        if (status != TASKLIST_OK) die("search_tasks", status, err);
        if (check && count_tasks(json) != 50) {
            fprintf(stderr, "tasklist_bench: expected a 50-task page\n");
            exit(1);
        }
    }
    tasklist_string_free(json);
}

static long vm_rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) kb = atol(line + 6);
    }
    if (f) fclose(f);
    return kb;
}

static void *run_worker(void *arg) {
    struct worker *w = arg;
    struct bench *b = w->bench;
    int warmup = b->workload == ALL ? 2 : WARMUP_PER_THREAD;
    for (int i = 0; i < warmup; i++) one_call(b, i == 0);
    pthread_barrier_wait(&b->start);
    for (long i = 0; i < w->count; i++) {
        double t0 = now_us();
        one_call(b, 0);
        b->latency_us[w->first + i] = now_us() - t0;
        /* The RSS mode prints where memory stands every tenth of the run: flat is the goal. */
        if (b->workload == RSS && (i + 1) % (w->count / 10 ? w->count / 10 : 1) == 0) {
            fprintf(stderr, "rss %ld %ld\n", i + 1, vm_rss_kb());
        }
    }
    return NULL;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted values, the definition every client of the harness uses. */
static double percentile(const double *sorted, long n, double p) {
    long rank = (long)(p / 100.0 * n + 0.999999);
    if (rank < 1) rank = 1;
    return sorted[rank - 1];
}

static tasklist_client *make_client(void) {
    tasklist_options *options = NULL;
    tasklist_client *client = NULL;
    tasklist_error *err = NULL;
    const char *base = env_or("BENCH_BASE_URL", "http://127.0.0.1:8080");
    char token_url[512];
    snprintf(token_url, sizeof token_url, "%s/oauth/token", base);
    if (tasklist_options_new(&options) != TASKLIST_OK) die("options_new", 0, NULL);
    if (tasklist_options_set_base_url(options, base) != TASKLIST_OK ||
        tasklist_options_set_oauth(options, env_or("BENCH_TOKEN_URL", token_url),
                                   env_or("BENCH_CLIENT_ID", "tasklist-client"),
                                   env_or("BENCH_CLIENT_SECRET", "tasklist-secret"),
                                   NULL) != TASKLIST_OK) {
        die("options", 0, NULL);
    }
    tasklist_status status = tasklist_client_new(options, &client, &err);
    tasklist_options_free(options);
    if (status != TASKLIST_OK) die("client_new", status, err);
    return client;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s search|all|variable|rss|v2search N THREADS\n", argv[0]);
        return 2;
    }
    struct bench b = {0};
    b.workload = strcmp(argv[1], "all") == 0        ? ALL
                 : strcmp(argv[1], "variable") == 0 ? VARIABLE
                 : strcmp(argv[1], "rss") == 0      ? RSS
                 : strcmp(argv[1], "v2search") == 0 ? V2SEARCH
                                                    : SEARCH;
    b.n = atol(argv[2]);
    b.threads = atoi(argv[3]);
    if (b.n < 1 || b.threads < 1 || (b.workload == RSS && b.threads != 1)) {
        fprintf(stderr, "tasklist_bench: bad N or THREADS\n");
        return 2;
    }
    b.all_query = env_or("BENCH_ALL_QUERY", "{}");
    b.all_expect = atol(env_or("BENCH_ALL_EXPECT", "0"));
    b.variable_id = env_or("BENCH_VARIABLE_ID", "");
    b.client = make_client();
    /* Written through once now: pages first touched during the run would show up as RSS
     * growth in the rss mode, which is about the library's memory. Not zeros: compilers turn
     * malloc + zero-fill into calloc, whose pages are only faulted in when first written
     * (that alone showed as 8 bytes of "growth" per request). */
    b.latency_us = malloc((size_t)b.n * sizeof(double));
    if (!b.latency_us) die("malloc", 0, NULL);
    for (long i = 0; i < b.n; i++) b.latency_us[i] = -1.0;
    pthread_barrier_init(&b.start, NULL, (unsigned)b.threads + 1);

    pthread_t *tids = calloc((size_t)b.threads, sizeof *tids);
    struct worker *workers = calloc((size_t)b.threads, sizeof *workers);
    for (int t = 0; t < b.threads; t++) {
        workers[t].bench = &b;
        workers[t].first = b.n * t / b.threads;
        workers[t].count = b.n * (t + 1) / b.threads - workers[t].first;
        pthread_create(&tids[t], NULL, run_worker, &workers[t]);
    }
    pthread_barrier_wait(&b.start);
    double t0 = now_us();
    for (int t = 0; t < b.threads; t++) pthread_join(tids[t], NULL);
    double seconds = (now_us() - t0) / 1e6;

    qsort(b.latency_us, (size_t)b.n, sizeof(double), by_value);
    printf("{\"requests\":%ld,\"seconds\":%.6f,\"p50_us\":%.1f,\"p99_us\":%.1f}\n", b.n, seconds,
           percentile(b.latency_us, b.n, 50), percentile(b.latency_us, b.n, 99));
    tasklist_client_free(b.client);
    free(b.latency_us);
    free(tids);
    free(workers);
    return 0;
}
