// Checks the default affinity format "level %L thread %i affinity %A" and the fields that name the host: %i is the calling thread's pthread_self() in hex with 0x (zero-padded after the 0x), %P the process id, %H the host name, %A the CPUs the thread may run on as ranges (0-3,5) when threads are not bound, each in the initial thread and in team threads.
// GOMP entry points: GOMP_parallel (plus omp_capture_affinity and omp_get_affinity_format).
// pomp-test: cflags=-D_GNU_SOURCE,-pthread
#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failures;

/* The calling thread's mask as libgomp prints it: 0-3,5 */
static void mask_text(char *buf, size_t size)
{
    cpu_set_t s;
    size_t len = 0;
    buf[0] = 0;
    if (sched_getaffinity(0, sizeof s, &s) != 0)
        return;
    for (int c = 0; c < CPU_SETSIZE && len + 24 < size; c++) {
        if (!CPU_ISSET(c, &s))
            continue;
        int e = c;
        while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, &s))
            e++;
        len += snprintf(buf + len, size - len, len ? ",%d" : "%d", c);
        if (e > c)
            len += snprintf(buf + len, size - len, "-%d", e);
        c = e;
    }
}

static void check(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
#pragma omp critical(report)
        {
            failures++;
            printf("FAIL: %s in thread %d (got '%s', want '%s')\n", what, omp_get_thread_num(), got,
                   want);
        }
    }
}

static void fields(void)
{
    char got[512], want[512], mask[256], host[256];
    mask_text(mask, sizeof mask);
    snprintf(want, sizeof want, "level %d thread 0x%lx affinity %s", omp_get_level(),
             (unsigned long)pthread_self(), mask);
    omp_capture_affinity(got, sizeof got, NULL);
    check("default format", got, want);
    snprintf(want, sizeof want, "0x%030lx|0x%lx", (unsigned long)pthread_self(),
             (unsigned long)pthread_self());
    omp_capture_affinity(got, sizeof got, "%0.32i|%{native_thread_id}");
    check("%i", got, want);
    snprintf(want, sizeof want, "%d|%d", (int)getpid(), (int)getpid());
    omp_capture_affinity(got, sizeof got, "%P|%{process_id}");
    check("%P", got, want);
    if (gethostname(host, sizeof host) == 0) {
        host[sizeof host - 1] = 0;
        snprintf(want, sizeof want, "%s|%s", host, host);
        omp_capture_affinity(got, sizeof got, "%H|%{host}");
        check("%H", got, want);
    }
    snprintf(want, sizeof want, "%s", mask);
    omp_capture_affinity(got, sizeof got, "%A");
    check("%A", got, want);
}

int main(void)
{
    char f[64];
    omp_get_affinity_format(f, sizeof f);
    check("default affinity-format-var", f, "level %L thread %i affinity %A");
    fields();
#pragma omp parallel num_threads(3)
    fields();
    return failures > 100 ? 100 : failures;
}
