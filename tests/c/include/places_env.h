/* The body of the places_*.c tests: each defines `cases`, a table of one or
   two environment settings (underscores standing for spaces) and the place
   list libgomp makes of them on CPUs {0,1}, then includes this file. Each
   case is read by a child process (this program again) restricted to CPUs 0
   and 1. */
#include <fcntl.h>
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
