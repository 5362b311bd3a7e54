// Checks the num_threads clause: with dyn-var false and no thread limit the team has exactly the requested size (1..8, larger than OMP_NUM_THREADS too), thread numbers cover 0..n-1, the clause does not change omp_get_max_threads, and a runtime expression works.
// GOMP entry points: GOMP_parallel with a num_threads argument.
#include <omp.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *what, int n)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s for num_threads(%d) (got %ld, want %ld)\n", what, n, got, want);
    }
}

static int team_of(int n, int *mask_ok)
{
    int size = 0;
    unsigned long mask = 0;
#pragma omp parallel num_threads(n)
    {
        int me = omp_get_thread_num();
#pragma omp atomic
        size++;
        if (me >= 0 && me < 64)
            __atomic_fetch_or(&mask, 1UL << me, __ATOMIC_RELAXED);
        if (omp_get_num_threads() != n)
            __atomic_store_n(mask_ok, 0, __ATOMIC_RELAXED);
    }
    if (mask != (n >= 64 ? ~0UL : (1UL << n) - 1))
        *mask_ok = 0;
    return size;
}

int main(void)
{
    int max = omp_get_max_threads();
    static const int sizes[] = {1, 2, 3, 4, 5, 8, 2, 1, 7, 3};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int n = sizes[i];
        int ok = 1;
        int size = team_of(n, &ok);
        check(size, n, "team size", n);
        check(ok, 1, "thread numbers / omp_get_num_threads", n);
        check(omp_get_max_threads(), max, "omp_get_max_threads after", n);
    }

    /* The clause's expression is evaluated once, by the encountering thread. */
    int evals = 0;
    int size = 0;
#pragma omp parallel num_threads((evals++, 3))
    {
#pragma omp atomic
        size++;
    }
    check(evals, 1, "evaluations of the num_threads expression", 3);
    check(size, 3, "team size", 3);

    /* num_threads together with a reduction, the typical combination. */
    int sum = 0;
#pragma omp parallel num_threads(4) reduction(+ : sum)
    sum += omp_get_thread_num() + 1;
    check(sum, 10, "reduction over the team", 4);
    return failures > 100 ? 100 : failures;
}
