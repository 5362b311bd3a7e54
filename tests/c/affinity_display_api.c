// Checks omp_display_affinity: it prints, on stderr, one line per call with what omp_capture_affinity gives for the same format in the same thread (affinity-format-var for NULL or an empty format), from the initial thread and from each thread of a team.
// GOMP entry points: GOMP_parallel (plus omp_display_affinity and omp_capture_affinity).
// pomp-test: env=OMP_AFFINITY_FORMAT=L%L/%n/%N
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
static FILE *capture_file;
static int saved_stderr = -1;

static void capture(void)
{
    fflush(stderr);
    capture_file = tmpfile();
    saved_stderr = dup(2);
    if (!capture_file || saved_stderr < 0 || dup2(fileno(capture_file), 2) < 0) {
        printf("FAIL: cannot redirect stderr\n");
        exit(1);
    }
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Restores fd 2; the captured text, its lines sorted, must be `want`. */
static void expect(const char *phase, const char *want)
{
    static char text[8192];
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    rewind(capture_file);
    size_t n = fread(text, 1, sizeof text - 1, capture_file);
    text[n] = 0;
    fclose(capture_file);
    if (n > 0 && text[n - 1] != '\n') {
        failures++;
        printf("FAIL: %s: output does not end a line ('%s')\n", phase, text);
    }
    char *lines[128];
    int k = 0;
    for (char *s = strtok(text, "\n"); s && k < 128; s = strtok(NULL, "\n"))
        lines[k++] = s;
    qsort(lines, k, sizeof lines[0], cmp);
    char got[8192] = "";
    for (int i = 0; i < k; i++) {
        strcat(got, i ? "|" : "");
        strncat(got, lines[i], 100);
    }
    if (strcmp(got, want) != 0) {
        failures++;
        printf("FAIL: %s (got '%s', want '%s')\n", phase, got, want);
    }
}

int main(void)
{
    capture();
    omp_display_affinity(NULL);
    omp_display_affinity("");
    omp_display_affinity("serial %n of %N, 100%%");
    expect("initial thread", "L0/0/1|L0/0/1|serial 0 of 1, 100%");

    char captured[4][64];
    capture();
#pragma omp parallel num_threads(3)
    {
        int t = omp_get_thread_num();
        omp_display_affinity("team %0.2n/%N");
        omp_capture_affinity(captured[t], sizeof captured[t], "team %0.2n/%N");
    }
    expect("team", "team 00/3|team 01/3|team 02/3");
    for (int t = 0; t < 3; t++) {
        char want[64];
        snprintf(want, sizeof want, "team %02d/3", t);
        if (strcmp(captured[t], want) != 0) {
            failures++;
            printf("FAIL: capture in thread %d (got '%s', want '%s')\n", t, captured[t], want);
        }
    }

    capture();
#pragma omp parallel num_threads(2)
    omp_display_affinity(NULL);
    expect("team, default format", "L1/0/2|L1/1/2");
    return failures > 100 ? 100 : failures;
}
