// Prints, one `name=value` per line, every ICV the OpenMP API exposes (at the initial thread, then inside a first- and second-level nested region), for tests/env/cases.txt.
// pomp-test: compare-output=yes threads=none
/* The number of processors is deliberately not printed: it depends on the
   machine. The default of max_threads does too, but the harness compares
   libgomp and pomp on the same machine. Nested regions use num_threads(1) so
   that nothing here depends on how many threads a team really gets (with
   OMP_DYNAMIC=true libgomp looks at the load average); the ICVs of an
   implicit task do not depend on the team size. */
#include <omp.h>
#include <stdio.h>

static const char *sched_name(omp_sched_t k)
{
    switch ((int)k & ~(int)omp_sched_monotonic) {
    case omp_sched_static:
        return "static";
    case omp_sched_dynamic:
        return "dynamic";
    case omp_sched_guided:
        return "guided";
    case omp_sched_auto:
        return "auto";
    default:
        return "unknown";
    }
}

static const char *bind_name(omp_proc_bind_t b)
{
    switch (b) {
    case omp_proc_bind_false:
        return "false";
    case omp_proc_bind_true:
        return "true";
    case omp_proc_bind_master:
        return "primary";
    case omp_proc_bind_close:
        return "close";
    case omp_proc_bind_spread:
        return "spread";
    default:
        return "unknown";
    }
}

static void print_icvs(const char *where)
{
    omp_sched_t kind;
    int chunk;
    omp_get_schedule(&kind, &chunk);
    printf("%s.max_threads=%d\n", where, omp_get_max_threads());
    printf("%s.dynamic=%d\n", where, omp_get_dynamic());
    printf("%s.nested=%d\n", where, omp_get_nested());
    printf("%s.max_active_levels=%d\n", where, omp_get_max_active_levels());
    printf("%s.thread_limit=%d\n", where, omp_get_thread_limit());
    printf("%s.schedule.kind=%s (%d)\n", where, sched_name(kind),
           (int)kind & ~(int)omp_sched_monotonic);
    printf("%s.schedule.monotonic=%d\n", where,
           ((int)kind & (int)omp_sched_monotonic) != 0);
    printf("%s.schedule.chunk=%d\n", where, chunk);
    printf("%s.proc_bind=%s (%d)\n", where, bind_name(omp_get_proc_bind()),
           (int)omp_get_proc_bind());
    printf("%s.cancellation=%d\n", where, omp_get_cancellation());
    printf("%s.default_device=%d\n", where, omp_get_default_device());
    printf("%s.max_task_priority=%d\n", where, omp_get_max_task_priority());
    printf("%s.max_teams=%d\n", where, omp_get_max_teams());
    printf("%s.teams_thread_limit=%d\n", where, omp_get_teams_thread_limit());
}

int main(void)
{
    print_icvs("initial");
#pragma omp parallel num_threads(1)
    {
        print_icvs("level1");
#pragma omp parallel num_threads(1)
        {
            printf("level2.max_threads=%d\n", omp_get_max_threads());
            printf("level2.proc_bind=%s (%d)\n", bind_name(omp_get_proc_bind()),
                   (int)omp_get_proc_bind());
        }
    }
    return 0;
}
