/* A program as a user of an installed libtasklist writes it, in C89: the header, one call
 * that needs no server, and a check that header and library agree. */
#include <stdio.h>
#include <string.h>
#include <tasklist.h>

int main(void) {
    tasklist_options *options = NULL;
    const char *version = tasklist_version();
    if (strcmp(version, TASKLIST_VERSION) != 0) {
        fprintf(stderr, "header %s, library %s\n", TASKLIST_VERSION, version);
        return 1;
    }
    if (tasklist_options_new(&options) != TASKLIST_OK || options == NULL) {
        fprintf(stderr, "tasklist_options_new failed\n");
        return 1;
    }
    tasklist_options_free(options);
    printf("libtasklist %s\n", version);
    return 0;
}
