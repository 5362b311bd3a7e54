// Checks the data environment of deferred tasks: explicit and implicit firstprivate values are captured when the task is created (later changes by the creator are not seen), writes to a firstprivate copy stay private, shared variables and file-scope variables are written through, and private variables are the task's own.
// GOMP entry points: GOMP_parallel, GOMP_single_start, GOMP_task, GOMP_taskwait, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define N 200

static long global_sum; /* file scope: shared in every task */

int main(void)
{
    int seen_explicit[N], seen_implicit[N], seen_ptr[N];
    long shared_sum = 0;
    int private_ok = 0, copy_writes_ok = 0;

    for (int i = 0; i < N; i++)
        seen_explicit[i] = seen_implicit[i] = seen_ptr[i] = -1;

#pragma omp parallel shared(seen_explicit, seen_implicit, seen_ptr, shared_sum, private_ok, copy_writes_ok)
    {
#pragma omp single
        {
            int x = 0;        /* private to the implicit task: firstprivate in the task by default */
            int *where = seen_ptr;
            for (int i = 0; i < N; i++) {
                x = i * 3;
                int slot = i; /* declared in the loop: firstprivate by default */
#pragma omp task firstprivate(x) shared(seen_explicit)
                {
                    seen_explicit[slot] = x;
                }
#pragma omp task
                {
                    seen_implicit[slot] = x + 1;
                }
#pragma omp task firstprivate(where)
                {
                    where[slot] = slot * 7;
                    where = NULL; /* only the task's own copy */
                }
                x = -100; /* after creation: no task may see this */
                where = seen_ptr;
            }
            /* Shared data written by tasks, private data of their own. */
            int p = 5;
            for (int i = 0; i < N; i++) {
#pragma omp task shared(shared_sum) private(p) firstprivate(i)
                {
                    p = i;
                    __atomic_fetch_add(&shared_sum, p, __ATOMIC_RELAXED);
                    __atomic_fetch_add(&global_sum, 2 * p, __ATOMIC_RELAXED);
                    if (p == i)
                        __atomic_fetch_add(&private_ok, 1, __ATOMIC_RELAXED);
                }
            }
            check(p, 5, "creator's p after tasks with private(p)");
            /* A task writing its firstprivate copy leaves the original. */
            int orig = 11;
#pragma omp task firstprivate(orig) shared(copy_writes_ok)
            {
                if (orig == 11)
                    copy_writes_ok++;
                orig = 99;
            }
#pragma omp taskwait
            check(orig, 11, "firstprivate original after the task wrote its copy");
            check(copy_writes_ok, 1, "task saw the firstprivate value");
        }
    }

    int bad_e = 0, bad_i = 0, bad_p = 0;
    for (int i = 0; i < N; i++) {
        bad_e += seen_explicit[i] != i * 3;
        bad_i += seen_implicit[i] != i * 3 + 1;
        bad_p += seen_ptr[i] != i * 7;
    }
    check(bad_e, 0, "tasks with a wrong explicit firstprivate value");
    check(bad_i, 0, "tasks with a wrong implicit firstprivate value");
    check(bad_p, 0, "tasks that did not write through a firstprivate pointer");
    check(shared_sum, (long)N * (N - 1) / 2, "shared sum");
    check(global_sum, (long)N * (N - 1), "file-scope sum");
    check(private_ok, N, "tasks whose private copy held their value");
    return failures > 100 ? 100 : failures;
}
