// Checks that on one machine the runtime adds nothing to the process beyond the team: no thread (the process has exactly the team's threads during and after a region, and after a second one), no signal handler (no catchable signal has a handler function), no malloc of its own (malloc resolves to libc's, also with the runtime preloaded).
// GOMP entry points: GOMP_parallel (and omp_* queries).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

/* The process's thread count, from /proc/self/status. */
static long threads_now(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long n = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "Threads:", 8) == 0)
            n = strtol(line + 8, NULL, 10);
    fclose(f);
    return n;
}

static void check_signals(const char *when)
{
    for (int s = 1; s < NSIG; s++) {
        struct sigaction sa;
        if (s == SIGKILL || s == SIGSTOP)
            continue;
        if (sigaction(s, NULL, &sa) != 0)
            continue; /* not a signal number this kernel knows, or reserved */
        /* A handler is a function; SIG_IGN may come from whoever started
         * the program (a background shell ignores SIGINT and SIGQUIT). */
        int handler = (sa.sa_flags & SA_SIGINFO) ? sa.sa_sigaction != NULL
                                                 : sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN;
        if (handler) {
            char what[96];
            snprintf(what, sizeof what, "%s: signal %d (%s) has a handler", when, s, strsignal(s));
            check(1, 0, what);
        }
    }
}

int main(void)
{
    check(threads_now(), 1, "threads before any region");
    check_signals("at start");

    int team = 0;
    long inside = 0;
#pragma omp parallel
    {
#pragma omp barrier
#pragma omp single
        {
            team = omp_get_num_threads();
            inside = threads_now();
        }
    }
    check(inside, team, "threads during the first region = its team");
    check(threads_now(), team, "threads after it (the idle pool)");

#pragma omp parallel
    {
#pragma omp barrier
#pragma omp single
        inside = threads_now();
    }
    check(inside, team, "threads during a second region of the same size");
    check_signals("after two regions");

    /* malloc, as the program sees it, is libc's. */
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    if (!libc) {
        check(1, 0, "libc.so.6 is loaded");
    } else {
        void *ours = dlsym(RTLD_DEFAULT, "malloc");
        void *libcs = dlsym(libc, "malloc");
        check(ours == libcs, 1, "malloc is libc's");
        check(dlsym(RTLD_DEFAULT, "free") == dlsym(libc, "free"), 1, "free is libc's");
        dlclose(libc);
    }
    return failures > 100 ? 100 : failures;
}
