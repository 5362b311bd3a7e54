// Checks the abstract names of OMP_PLACES (threads, cores, ll_caches, numa_domains, sockets, any case, with and without a count, with white space): places are non-empty groups of the process's CPUs, disjoint, in increasing order, together covering the process's CPUs (threads: one CPU each), a count keeps the first places, binding is on; the lists printed must equal libgomp's on the same machine. Each value is read by a child process restricted to CPUs 0 and 1.
// GOMP entry points: none (the omp_* place queries, in child processes).
// pomp-test: threads=1,4 compare-output=yes cflags=-D_GNU_SOURCE
#include <fcntl.h>
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *names[] = {"threads", "cores", "ll_caches", "numa_domains", "sockets"};

/* In the child: "bind n mask0 mask1 ..." (CPU masks as numbers). */
static void child(void)
{
    int n = omp_get_num_places();
    printf("%d %d", (int)omp_get_proc_bind(), n);
    for (int i = 0; i < n; i++) {
        int ids[1024];
        int k = omp_get_place_num_procs(i);
        unsigned long long mask = 0;
        if (k < 0 || k > 1024) {
            printf(" -1");
            continue;
        }
        omp_get_place_proc_ids(i, ids);
        for (int j = 0; j < k; j++)
            mask |= ids[j] >= 0 && ids[j] < 64 ? 1ULL << ids[j] : 1ULL << 63;
        printf(" %llu", mask);
    }
}

static int run_child(const char *value, char *out, size_t size)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
        unsetenv("OMP_PROC_BIND");
        unsetenv("GOMP_CPU_AFFINITY");
        setenv("OMP_PLACES", value, 1);
        execl("/proc/self/exe", "child", "--child", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    size_t len = 0;
    ssize_t r;
    while (len + 1 < size && (r = read(fd[0], out + len, size - 1 - len)) > 0)
        len += (size_t)r;
    out[len] = 0;
    close(fd[0]);
    int st = 0;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int failures;

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        failures++;                                                                                \
        printf("FAIL: " __VA_ARGS__);                                                              \
        printf("\n");                                                                              \
    } while (0)

/* Reads the child's places for `value` into masks; returns the count. */
static int places(const char *value, unsigned long long *masks, int max)
{
    char out[4096];
    if (run_child(value, out, sizeof out) != 0) {
        FAIL("%s: the child failed", value);
        return -1;
    }
    char *p = out;
    int bind = (int)strtol(p, &p, 10), n = (int)strtol(p, &p, 10);
    if (bind != 1)
        FAIL("%s: proc_bind (got %d, want 1)", value, bind);
    for (int i = 0; i < n && i < max; i++)
        masks[i] = strtoull(p, &p, 10);
    return n < max ? n : max;
}

static void show(const char *value, const unsigned long long *m, int n)
{
    printf("%-22s", value);
    for (int i = 0; i < n; i++) {
        printf("%s{", i ? "," : " ");
        int first = 1;
        for (int c = 0; c < 64; c++)
            if (m[i] >> c & 1) {
                printf("%s%d", first ? "" : ",", c);
                first = 0;
            }
        printf("}");
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--child") == 0) {
        child();
        return 0;
    }
    cpu_set_t two;
    CPU_ZERO(&two);
    CPU_SET(0, &two);
    CPU_SET(1, &two);
    if (sched_setaffinity(0, sizeof two, &two) != 0) {
        printf("SKIP: CPUs 0 and 1 are not both available\n");
        return 0;
    }
    const unsigned long long all = 3;
    for (int i = 0; i < 5; i++) {
        unsigned long long full[64], m[64];
        int n = places(names[i], full, 64);
        if (n <= 0) {
            FAIL("%s: no places", names[i]);
            continue;
        }
        show(names[i], full, n);
        unsigned long long seen = 0;
        for (int k = 0; k < n; k++) {
            if (full[k] == 0 || (full[k] & ~all))
                FAIL("%s: place %d is %llx, not a non-empty subset of {0,1}", names[i], k, full[k]);
            if (full[k] & seen)
                FAIL("%s: place %d overlaps earlier places", names[i], k);
            if (k > 0 && __builtin_ctzll(full[k]) < __builtin_ctzll(full[k - 1]))
                FAIL("%s: place %d starts before place %d", names[i], k, k - 1);
            if (i == 0 && __builtin_popcountll(full[k]) != 1)
                FAIL("threads: place %d has %d CPUs", k, __builtin_popcountll(full[k]));
            seen |= full[k];
        }
        if (seen != all)
            FAIL("%s: the places cover %llx, not {0,1}", names[i], seen);

        /* Counts keep the first places; spelling does not matter. */
        char value[64];
        for (int count = 1; count <= 3; count++) {
            snprintf(value, sizeof value, count == 3 ? " %s ( %d ) " : "%s(%d)", names[i],
                     count == 3 ? 99 : count);
            int want = count == 3 ? n : (count < n ? count : n);
            int got = places(value, m, 64);
            if (got != want || memcmp(m, full, sizeof m[0] * (got > 0 ? got : 0)) != 0)
                FAIL("'%s': %d places, not the first %d of %s", value, got, want, names[i]);
        }
        snprintf(value, sizeof value, "%s", names[i]);
        for (char *c = value; *c; c++)
            *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
        int got = places(value, m, 64);
        if (got != n || memcmp(m, full, sizeof m[0] * n) != 0)
            FAIL("'%s': not the places of %s", value, names[i]);
    }
    return failures > 100 ? 100 : failures;
}
