// Checks OMP_DISPLAY_AFFINITY=true as libgomp does it: on entering a region of more than one thread, every thread prints one line in affinity-format-var to stderr when the outermost team is new, changed size or moved a thread to another place, and always in nested teams; a team of one, a repeated team, or a new format alone prints nothing.
// GOMP entry points: GOMP_parallel with and without proc_bind flags, nested (plus omp_set_affinity_format).
// pomp-test: env=OMP_DISPLAY_AFFINITY=true;OMP_AFFINITY_FORMAT=%L:%n/%N@%A;OMP_PLACES={0},{1};OMP_MAX_ACTIVE_LEVELS=2
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
static FILE *capture_file;
/* Region bodies touch this, so that GCC keeps the regions. */
static int touched;
static int saved_stderr = -1;

/* Sends fd 2 to a temporary file. */
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

/* Restores fd 2 and checks that the captured lines, sorted, are `want`
   (a space-separated list). */
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

    char *lines[128];
    int k = 0;
    for (char *s = strtok(text, "\n"); s && k < 128; s = strtok(NULL, "\n"))
        lines[k++] = s;
    qsort(lines, k, sizeof lines[0], cmp);
    char got[8192] = "";
    for (int i = 0; i < k; i++) {
        strcat(got, i ? " " : "");
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
#pragma omp parallel num_threads(1)
    __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
    expect("team of one", "");

    capture();
#pragma omp parallel num_threads(2)
    __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
    expect("first team of two", "1:0/2@0 1:1/2@1");

    capture();
#pragma omp parallel num_threads(1)
    __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
#pragma omp parallel num_threads(2)
    __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
    expect("the same team again", "");

    for (int round = 0; round < 2; round++) {
        capture();
#pragma omp parallel num_threads(2)
        {
#pragma omp parallel num_threads(2)
            __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
        }
        expect("nested teams", "2:0/2@0 2:0/2@1 2:1/2@0 2:1/2@1");
    }

    capture();
#pragma omp parallel num_threads(2) proc_bind(close)
    __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
    expect("close: same places", "");

    capture();
#pragma omp parallel num_threads(2) proc_bind(primary)
    __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
    expect("primary: thread 1 moves", "1:0/2@0 1:1/2@0");

    capture();
#pragma omp parallel num_threads(2) proc_bind(spread)
    __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
    expect("spread: thread 1 moves back", "1:0/2@0 1:1/2@1");

    capture();
    omp_set_affinity_format("X%n/%N");
#pragma omp parallel num_threads(2)
    __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
    expect("new format, same team", "");

    capture();
#pragma omp parallel num_threads(3)
    __atomic_add_fetch(&touched, 1, __ATOMIC_RELAXED);
    expect("bigger team", "X0/3 X1/3 X2/3");
    return failures > 100 ? 100 : failures;
}
