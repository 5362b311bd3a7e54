// Checks the query routines that need no team: omp_get_num_procs equals the CPUs in the affinity mask, omp_get_wtime never goes backwards within a thread and advances across a sleep, omp_get_wtick is positive and small, and the defaults of omp_get_cancellation, omp_get_max_task_priority, omp_in_final (outside any task, in and out of regions), omp_get_num_devices/omp_get_initial_device/omp_get_device_num/omp_is_initial_device on the host, and omp_get_num_teams/omp_get_team_num outside teams.
// GOMP entry points: GOMP_parallel, GOMP_critical_name_start, GOMP_critical_name_end (plus the omp_* query routines).
// pomp-test: cflags=-D_GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
#pragma omp atomic
    failures++;
    va_list ap;
    va_start(ap, fmt);
#pragma omp critical(report)
    {
        printf("FAIL: ");
        vprintf(fmt, ap);
        printf(" (got %ld, want %ld)\n", got, want);
    }
    va_end(ap);
}

int main(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        check(omp_get_num_procs(), CPU_COUNT(&set), "omp_get_num_procs vs affinity mask");
    check(omp_get_num_procs() > 0, 1, "omp_get_num_procs %d > 0", omp_get_num_procs());

    double tick = omp_get_wtick();
    check(tick > 0.0 && tick <= 0.01, 1, "omp_get_wtick in (0, 0.01]");

    /* Monotonic within the initial thread. */
    double prev = omp_get_wtime();
    int backwards = 0;
    for (int i = 0; i < 100000; i++) {
        double now = omp_get_wtime();
        if (now < prev)
            backwards++;
        prev = now;
    }
    check(backwards, 0, "omp_get_wtime steps backwards in the initial thread");

    /* Advances across a 2 ms sleep (a lower bound only). */
    double t0 = omp_get_wtime();
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
    double t1 = omp_get_wtime();
    check(t1 - t0 >= 0.0015, 1, "omp_get_wtime advanced at least 1.5 ms across a 2 ms sleep");

    /* Monotonic within every thread of a team. */
    int back_in_team = 0;
#pragma omp parallel reduction(+:back_in_team)
    {
        double p = omp_get_wtime();
        for (int i = 0; i < 20000; i++) {
            double now = omp_get_wtime();
            if (now < p)
                back_in_team++;
            p = now;
        }
        if (omp_get_wtick() <= 0.0)
            back_in_team += 1000;
    }
    check(back_in_team, 0, "omp_get_wtime steps backwards (or bad wtick) in team threads");

    /* Defaults with no OMP_CANCELLATION / OMP_MAX_TASK_PRIORITY. */
    check(omp_get_cancellation(), 0, "omp_get_cancellation default");
    check(omp_get_max_task_priority(), 0, "omp_get_max_task_priority default");

    check(omp_in_final(), 0, "omp_in_final at the initial thread");
    int final_in_region = 0;
#pragma omp parallel reduction(+:final_in_region)
    final_in_region += omp_in_final();
    check(final_in_region, 0, "omp_in_final in implicit tasks of a region");

    /* The host is the initial device; its number equals the number of
       non-host devices. */
    int ndev = omp_get_num_devices();
    check(ndev >= 0, 1, "omp_get_num_devices %d >= 0", ndev);
    check(omp_get_initial_device(), ndev, "omp_get_initial_device");
    check(omp_is_initial_device(), 1, "omp_is_initial_device on the host");
    check(omp_get_device_num(), omp_get_initial_device(), "omp_get_device_num on the host");
    int not_initial = 0;
#pragma omp parallel reduction(+:not_initial)
    not_initial += !omp_is_initial_device() + (omp_get_device_num() != ndev);
    check(not_initial, 0, "host device queries in team threads");

    check(omp_get_num_teams(), 1, "omp_get_num_teams outside teams");
    check(omp_get_team_num(), 0, "omp_get_team_num outside teams");

    return failures > 100 ? 100 : failures;
}
