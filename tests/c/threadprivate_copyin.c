// Checks the copyin clause: at the start of a region every thread's threadprivate copy (scalar, array, struct) gets the initial thread's value, on parallel and combined parallel for, with num_threads, in a nested region (copying from that region's encountering thread), and values written in a region do not change what the next copyin copies except through the primary thread's copy.
// GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_end_nowait, GOMP_atomic_start, GOMP_atomic_end, GOMP_critical_name_start, GOMP_critical_name_end (copyin itself is compiler-generated; the runtime provides the team and the barrier).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

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

static int tv = 3;
static int tarr[8];
static struct {
    long x;
    char tag[8];
} ts = {1, "init"};
#pragma omp threadprivate(tv, tarr, ts)

int main(void)
{
    for (int r = 0; r < 10; r++) {
        tv = 100 + r;
        for (int k = 0; k < 8; k++)
            tarr[k] = r * 8 + k;
        ts.x = 1000L * r;
        ts.tag[0] = (char)('a' + r % 26);
        int ok = 0, nthr = 0;
#pragma omp parallel copyin(tv, tarr, ts) reduction(+:ok)
        {
            if (omp_get_thread_num() == 0)
                nthr = omp_get_num_threads();
            int good = tv == 100 + r && ts.x == 1000L * r && ts.tag[0] == (char)('a' + r % 26);
            for (int k = 0; k < 8; k++)
                good &= tarr[k] == r * 8 + k;
            ok += good;
            /* Scribble on every copy; the next round's copyin overwrites
               all of them with the initial thread's (rewritten) value. */
            tv = -omp_get_thread_num() - 1;
            tarr[0] = -1;
            ts.x = -1;
        }
        check(ok, nthr, "round %d: threads whose copies match after copyin", r);
        /* The initial thread's copy is the primary thread's: it kept its
           own write from inside the region. */
        check(tv, -1, "round %d: primary copy written in the region", r);
    }

    /* Combined parallel for with copyin and num_threads. */
    tv = 55;
    int per_iter_ok = 0;
#pragma omp parallel for copyin(tv) num_threads(3) reduction(+:per_iter_ok) schedule(dynamic)
    for (int i = 0; i < 30; i++) {
        per_iter_ok += tv == 55;
    }
    check(per_iter_ok, 30, "parallel for copyin: iterations seeing the value");

    /* Without copyin the non-primary threads keep their own values. */
    tv = 7;
    int keep = 0, nthr2 = 0;
#pragma omp parallel copyin(tv) reduction(+:keep)
    {
        if (omp_get_thread_num() == 0)
            nthr2 = omp_get_num_threads();
        tv = 200 + omp_get_thread_num();
    }
    tv = 8;
#pragma omp parallel reduction(+:keep)
    {
        int me = omp_get_thread_num();
        keep += me == 0 ? tv == 8 : tv == 200 + me;
    }
    check(keep, nthr2, "threads keeping their own value without copyin");

    /* Nested: copyin copies from the encountering thread of the inner
       region, which is a level-1 thread with its own value. */
    omp_set_max_active_levels(2);
    int nested_ok = 0, nested_total = 0;
#pragma omp parallel num_threads(2) reduction(+:nested_ok, nested_total)
    {
        int outer = omp_get_thread_num();
        tv = 300 + outer;
#pragma omp parallel num_threads(2) copyin(tv) reduction(+:nested_ok, nested_total)
        {
            nested_ok += tv == 300 + outer;
            nested_total += 1;
        }
    }
    check(nested_ok, nested_total, "nested copyin from the encountering thread");
    check(nested_total, 4, "nested implicit tasks");

    return failures > 100 ? 100 : failures;
}
