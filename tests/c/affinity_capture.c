// Checks omp_capture_affinity's fields (%t %T %L %n %N %a %A and their long names) with widths, right justification and zero padding, in the initial thread and in nested teams over the places {1},{0}: the strings (printed in thread order) must equal libgomp's, and each return value is the string's length.
// GOMP entry points: GOMP_parallel with proc_bind(spread) and proc_bind(close) flags, nested (plus omp_capture_affinity).
// pomp-test: env=OMP_PLACES={1},{0};OMP_MAX_ACTIVE_LEVELS=2 compare-output=yes
#include <omp.h>
#include <stdio.h>
#include <string.h>

static const char *formats[] = {
    "%t|%T|%L|%n|%N|%a|%A",
    "%{team_num}|%{num_teams}|%{nesting_level}|%{thread_num}|%{num_threads}|%{ancestor_tnum}|%{thread_affinity}",
    "[%5n][%.5n][%0.5n][%3a][%.3a][%0.3a]",
    "[%6A][%.6A][%0.6A][%4{thread_num}][%0.4{nesting_level}]",
    "100%% of %N, %%n is %n",
    "no fields at all",
};
#define NF (sizeof formats / sizeof formats[0])

static char out[3][3][NF][128];
static int failures;

static void capture(char (*dst)[128])
{
    for (unsigned f = 0; f < NF; f++) {
        size_t n = omp_capture_affinity(dst[f], 128, formats[f]);
        if (n != strlen(dst[f])) {
#pragma omp atomic
            failures++;
            printf("FAIL: length of '%s' (got %zu, want %zu)\n", dst[f], n, strlen(dst[f]));
        }
    }
}

static void print(const char *who, char (*s)[128])
{
    for (unsigned f = 0; f < NF; f++)
        printf("%s %u: %s\n", who, f, s[f]);
}

int main(void)
{
    capture(out[2][2]);
    print("initial", out[2][2]);
#pragma omp parallel num_threads(2) proc_bind(spread)
    {
        int o = omp_get_thread_num();
        capture(out[o][2]);
#pragma omp parallel num_threads(2) proc_bind(close)
        capture(out[o][omp_get_thread_num()]);
    }
    char who[32];
    for (int o = 0; o < 2; o++) {
        snprintf(who, sizeof who, "outer %d", o);
        print(who, out[o][2]);
        for (int i = 0; i < 2; i++) {
            snprintf(who, sizeof who, "inner %d.%d", o, i);
            print(who, out[o][i]);
        }
    }
    return failures > 100 ? 100 : failures;
}
