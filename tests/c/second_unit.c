/* A second translation unit that includes the header too: the program links only if the
 * header defines nothing twice and its include guard works. */
#include "tasklist.h"
#include "tasklist.h"

const char *second_unit_status_name(tasklist_status code) {
    return tasklist_status_name(code);
}
