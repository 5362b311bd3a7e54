// Checks the allocate clause, which GCC lowers to GOMP_alloc / GOMP_free: private, firstprivate and task copies placed by an allocator get its alignment trait (or the clause's align modifier) and hold the right values, on every thread.
// Entry points: GOMP_alloc, GOMP_free, GOMP_parallel, GOMP_parallel_loop_*, GOMP_task, omp_init_allocator.
#include <omp.h>
#include <stdint.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *what)
{
    if (got != want) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

int main(void)
{
    omp_alloctrait_t t[] = {{omp_atk_alignment, 256}};
    omp_allocator_handle_t a = omp_init_allocator(omp_default_mem_space, 1, t);
    int x = 42, arr[64];
    for (int i = 0; i < 64; i++)
        arr[i] = i;
    int bad_align = 0, bad_value = 0, n = 0;

#pragma omp parallel firstprivate(x, arr) allocate(a : x, arr) reduction(+ : bad_align, bad_value, n)
    {
        n++;
        bad_align += ((uintptr_t)&x % 256 != 0) + ((uintptr_t)arr % 256 != 0);
        bad_value += x != 42;
        for (int i = 0; i < 64; i++)
            bad_value += arr[i] != i;
        x = omp_get_thread_num();
        arr[0] = -1;
    }
    check(bad_align, 0, "firstprivate copies aligned by the allocator");
    check(bad_value, 0, "firstprivate copies hold the values");
    check(x, 42, "the original is untouched");
    check(arr[0], 0, "the original array is untouched");

    long sum = 0;
    bad_align = 0;
    int y;
#pragma omp parallel for private(y) allocate(align(128), allocator(omp_high_bw_mem_alloc) : y) \
    reduction(+ : sum, bad_align)
    for (int i = 0; i < 1000; i++) {
        y = i * 2;
        bad_align += (uintptr_t)&y % 128 != 0;
        sum += y;
    }
    check(sum, 999000, "private copies in a loop");
    check(bad_align, 0, "align modifier of the clause");

    int tasks_bad = 0;
    int z = 7;
#pragma omp parallel reduction(+ : tasks_bad)
#pragma omp single
    for (int k = 0; k < 20; k++) {
#pragma omp task firstprivate(z, k) allocate(a : z) shared(tasks_bad)
        {
            if ((uintptr_t)&z % 256 != 0 || z != 7 + k) {
#pragma omp atomic
                tasks_bad++;
            }
        }
        z++;
    }
    check(tasks_bad, 0, "task firstprivate copies aligned and correct");
    omp_destroy_allocator(a);
    return failures > 100 ? 100 : failures;
}
