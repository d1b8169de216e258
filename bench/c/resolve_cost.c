/*
 * What one request costs the C loop beyond the HTTP exchange, measured apart: ureq 3's
 * DefaultResolver, when a timeout is set (libtasklist sets timeout_global), resolves the
 * host on every request in a new thread and waits for it on a channel. This does the same:
 * spawn a thread that calls getaddrinfo("127.0.0.1", port), join it.
 *
 *   resolve_cost N   ->  {"iterations":N,"us_per_iteration":X,"thread_only_us":Y}
 */
#define _GNU_SOURCE
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void *resolve(void *arg) {
    struct addrinfo *found = NULL;
    if (getaddrinfo("127.0.0.1", "8080", NULL, &found) == 0) freeaddrinfo(found);
    return arg;
}

static void *nothing(void *arg) { return arg; }

static double per_iteration(void *(*body)(void *), long n) {
    double t0 = now_us();
    for (long i = 0; i < n; i++) {
        pthread_t t;
        pthread_create(&t, NULL, body, NULL);
        pthread_join(t, NULL);
    }
    return (now_us() - t0) / n;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000;
    per_iteration(resolve, n / 10 + 1); /* warm up the allocator's thread caches */
    double with_resolve = per_iteration(resolve, n);
    double thread_only = per_iteration(nothing, n);
    printf("{\"iterations\":%ld,\"us_per_iteration\":%.1f,\"thread_only_us\":%.1f}\n", n,
           with_resolve, thread_only);
    return 0;
}
