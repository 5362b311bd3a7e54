// Checks the affinity-format ICV and its routines: OMP_AFFINITY_FORMAT sets it, omp_get_affinity_format returns its full length and copies a NUL-terminated prefix into a short buffer (nothing with size 0), omp_set_affinity_format replaces it for every thread, and omp_capture_affinity uses it for a NULL or empty format, returns the full length when the buffer is short, and accepts a NULL buffer of size 0.
// GOMP entry points: GOMP_parallel (plus omp_get/set_affinity_format and omp_capture_affinity).
// pomp-test: env=OMP_AFFINITY_FORMAT=T%0.3n/%N|%%|L%L
#include <omp.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK_STR(what, got, want)                                                                 \
    do {                                                                                           \
        if (strcmp((got), (want)) != 0) {                                                          \
            failures++;                                                                            \
            printf("FAIL: %s (got '%s', want '%s')\n", what, got, want);                           \
        }                                                                                          \
    } while (0)
#define CHECK_INT(what, got, want)                                                                 \
    do {                                                                                           \
        long g_ = (long)(got), w_ = (long)(want);                                                  \
        if (g_ != w_) {                                                                            \
            failures++;                                                                            \
            printf("FAIL: %s (got %ld, want %ld)\n", what, g_, w_);                                \
        }                                                                                          \
    } while (0)

int main(void)
{
    const char *env = "T%0.3n/%N|%%|L%L";
    char buf[256], small[5];

    CHECK_INT("get length", omp_get_affinity_format(buf, sizeof buf), strlen(env));
    CHECK_STR("get", buf, env);
    memset(small, 'x', sizeof small);
    CHECK_INT("get into 5 bytes", omp_get_affinity_format(small, sizeof small), strlen(env));
    CHECK_STR("get into 5 bytes", small, "T%0.");
    small[0] = 'x';
    CHECK_INT("get into 0 bytes", omp_get_affinity_format(small, 0), strlen(env));
    CHECK_INT("get into 0 bytes writes nothing", small[0], 'x');

    CHECK_INT("capture with NULL format", omp_capture_affinity(buf, sizeof buf, NULL), 11);
    CHECK_STR("capture with NULL format", buf, "T000/1|%|L0");
    CHECK_INT("capture with empty format", omp_capture_affinity(buf, sizeof buf, ""), 11);
    CHECK_STR("capture with empty format", buf, "T000/1|%|L0");
    CHECK_INT("capture into 5 bytes", omp_capture_affinity(small, sizeof small, "abc%0.5L"), 8);
    CHECK_STR("capture into 5 bytes", small, "abc0");
    CHECK_INT("capture into 1 byte", omp_capture_affinity(small, 1, "abc"), 3);
    CHECK_STR("capture into 1 byte", small, "");
    CHECK_INT("capture, NULL buffer", omp_capture_affinity(NULL, 0, "%0.9n"), 9);

    char in_team[4][64];
    int lens[4];
#pragma omp parallel num_threads(3)
    {
        int t = omp_get_thread_num();
        lens[t] = (int)omp_capture_affinity(in_team[t], sizeof in_team[t], NULL);
    }
    for (int t = 0; t < 3; t++) {
        char want[64];
        snprintf(want, sizeof want, "T%03d/3|%%|L1", t);
        CHECK_STR("capture in a team", in_team[t], want);
        CHECK_INT("capture length in a team", lens[t], strlen(want));
    }

    /* Set once, seen by every thread; the old value is gone. */
    omp_set_affinity_format("%n of %N");
    CHECK_INT("get after set", omp_get_affinity_format(buf, sizeof buf), 8);
    CHECK_STR("get after set", buf, "%n of %N");
#pragma omp parallel num_threads(2)
    {
        int t = omp_get_thread_num();
        char f[64];
        omp_get_affinity_format(f, sizeof f);
        lens[t] = strcmp(f, "%n of %N") == 0;
        omp_capture_affinity(in_team[t], sizeof in_team[t], NULL);
    }
    CHECK_INT("thread 0 sees the new format", lens[0], 1);
    CHECK_INT("thread 1 sees the new format", lens[1], 1);
    CHECK_STR("thread 0 capture", in_team[0], "0 of 2");
    CHECK_STR("thread 1 capture", in_team[1], "1 of 2");
    omp_set_affinity_format("");
    CHECK_INT("set empty", omp_get_affinity_format(buf, sizeof buf), 0);
    CHECK_STR("set empty", buf, "");
    return failures > 100 ? 100 : failures;
}
