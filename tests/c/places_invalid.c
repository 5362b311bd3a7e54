// Checks that malformed OMP_PLACES values (unknown names, bad counts, empty or unterminated places, zero lengths, exclusions of CPUs or places not listed, intervals leaving the CPU numbering, places with no usable CPU) leave no places and binding off, as in libgomp, and that a malformed OMP_PLACES leaves GOMP_CPU_AFFINITY or OMP_PROC_BIND in charge; each value is read by a child process restricted to CPUs 0 and 1.
// GOMP entry points: none (the omp_* place queries, in child processes).
// pomp-test: threads=1,4 cflags=-D_GNU_SOURCE
#include <fcntl.h>
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* One environment and what libgomp makes of it on CPUs {0,1}
   (underscores stand for spaces in OMP_PLACES). */
static const struct {
    const char *env[2];
    const char *want;
} cases[] = {
    {{"OMP_PLACES=bogus"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads()"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads(0)"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads(2"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads(2)x"}, "bind=0 n=0"},
    {{"OMP_PLACES=threads,cores"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},threads"}, "bind=0 n=0"},
    {{"OMP_PLACES={}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}{1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:0}"}, "bind=0 n=0"},
    {{"OMP_PLACES={-1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}:0"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}:-1"}, "bind=0 n=0"},
    {{"OMP_PLACES={0x1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},{1}x"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2},!{0:2}"}, "bind=0 n=0"},
    {{"OMP_PLACES={!0,1}"}, "bind=0 n=0"},
    {{"OMP_PLACES=!{0}"}, "bind=0 n=0"},
    {{"OMP_PLACES=!1"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},!{1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},{1},!{0:2}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},!{0}:2"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2}:2:-1"}, "bind=0 n=0"},
    {{"OMP_PLACES={1}:2:-2"}, "bind=0 n=0"},
    {{"OMP_PLACES={1:3:-1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0::1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:}"}, "bind=0 n=0"},
    {{"OMP_PLACES={:1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2:}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}:2:"}, "bind=0 n=0"},
    {{"OMP_PLACES={0}:"}, "bind=0 n=0"},
    {{"OMP_PLACES=!"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},{1},!"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,1,!1,!1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,!!1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2,_!1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:2,!0:2}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,1,!0:2}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,!0}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0},{1},!{0},!{1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={5}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0,}"}, "bind=0 n=0"},
    {{"OMP_PLACES={,0}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0_1}"}, "bind=0 n=0"},
    {{"OMP_PLACES={0:99999999999}"}, "bind=0 n=0"},
    {{"OMP_PLACES={4294967296}"}, "bind=0 n=0"},
    /* Another variable still decides. */
    {{"OMP_PLACES=bogus", "GOMP_CPU_AFFINITY=1_0"}, "bind=1 n=2 {1},{0}"},
    {{"OMP_PLACES=bogus", "OMP_PROC_BIND=spread"}, "bind=4 n=2 {0},{1}"},
    {{"OMP_PLACES={5}", "OMP_PROC_BIND=close"}, "bind=3 n=2 {0},{1}"},
    {{"OMP_PLACES=bogus", "OMP_PROC_BIND=false"}, "bind=0 n=0"},
};

/* The place list as the API shows it. */
static void describe(char *buf, size_t size)
{
    int n = omp_get_num_places();
    size_t len = snprintf(buf, size, "bind=%d n=%d", (int)omp_get_proc_bind(), n);
    for (int i = 0; i < n && len < size; i++) {
        int ids[1024];
        int k = omp_get_place_num_procs(i);
        if (k < 0 || k > 1024) {
            snprintf(buf + len, size - len, " bad count %d", k);
            return;
        }
        omp_get_place_proc_ids(i, ids);
        len += snprintf(buf + len, size - len, "%s{", i ? "," : " ");
        for (int j = 0; j < k && len < size; j++)
            len += snprintf(buf + len, size - len, "%s%d", j ? "," : "", ids[j]);
        if (len < size)
            len += snprintf(buf + len, size - len, "}");
    }
}

/* Runs this program again with `env` (underscores standing for spaces),
   collecting what the child prints. Returns the child's exit status. */
static int run_child(const char *const env[2], char *out, size_t size)
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
        unsetenv("OMP_PLACES");
        unsetenv("OMP_PROC_BIND");
        unsetenv("GOMP_CPU_AFFINITY");
        for (int i = 0; i < 2 && env[i]; i++) {
            char *s = strdup(env[i]);
            for (char *p = strchr(s, '='); p && *p; p++)
                if (*p == '_')
                    *p = ' ';
            putenv(s);
        }
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

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--child") == 0) {
        char buf[8192];
        describe(buf, sizeof buf);
        fputs(buf, stdout);
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
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[8192];
        int st = run_child(cases[i].env, got, sizeof got);
        if (st != 0 || strcmp(got, cases[i].want) != 0) {
            failures++;
            printf("FAIL: %s %s (got '%s' status %d, want '%s')\n", cases[i].env[0],
                   cases[i].env[1] ? cases[i].env[1] : "", got, st, cases[i].want);
        }
    }
    return failures > 100 ? 100 : failures;
}
