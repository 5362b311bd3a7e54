// Checks def-allocator-var as libgomp 12 keeps it: omp_set_default_allocator / omp_get_default_allocator, omp_null_allocator meaning omp_default_mem_alloc, omp_alloc(…, omp_null_allocator) using it, a new team's threads starting with the primary thread's value, each thread's own setting inside the region, the primary's value restored when the region ends, and a target region starting from the initial value.
// Entry points: omp_set_default_allocator, omp_get_default_allocator, omp_alloc, omp_free, GOMP_parallel, GOMP_barrier, GOMP_target_ext.
#include <omp.h>
#include <stdint.h>
#include <stdio.h>

#define MAXT 64

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
    check(omp_get_default_allocator(), omp_default_mem_alloc, "initial");
    omp_set_default_allocator(omp_high_bw_mem_alloc);
    check(omp_get_default_allocator(), omp_high_bw_mem_alloc, "after set");
    omp_set_default_allocator(omp_null_allocator);
    check(omp_get_default_allocator(), omp_default_mem_alloc, "null means omp_default_mem_alloc");

    omp_alloctrait_t t[] = {{omp_atk_alignment, 1024}};
    omp_allocator_handle_t a = omp_init_allocator(omp_default_mem_space, 1, t);
    omp_set_default_allocator(a);
    check(omp_get_default_allocator() == a, 1, "custom allocator as default");
    int misaligned = 0;
    for (int i = 0; i < 16; i++) {
        void *p = omp_alloc(10 + i, omp_null_allocator);
        misaligned += (uintptr_t)p % 1024 != 0;
        omp_free(p, omp_null_allocator);
    }
    check(misaligned, 0, "omp_null_allocator allocates with the default allocator");

    int inherited = 0, own = 0, allocs = 0, n = 0;
#pragma omp parallel reduction(+ : inherited, own, allocs, n)
    {
        int me = omp_get_thread_num();
        n++;
        inherited += omp_get_default_allocator() == a;
        void *p = omp_alloc(8, omp_null_allocator);
        allocs += (uintptr_t)p % 1024 == 0;
        omp_free(p, omp_null_allocator);
#pragma omp barrier
        omp_set_default_allocator(me % 2 ? omp_pteam_mem_alloc : omp_cgroup_mem_alloc);
#pragma omp barrier
        own += omp_get_default_allocator() == (me % 2 ? omp_pteam_mem_alloc : omp_cgroup_mem_alloc);
    }
    check(inherited, n, "threads start with the primary thread's default");
    check(allocs, n, "threads allocate with it");
    check(own, n, "each thread keeps what it set");
    check(omp_get_default_allocator() == a, 1, "the primary's default is restored after the region");

    /* A second region hands the primary's value out again. */
    inherited = n = 0;
#pragma omp parallel reduction(+ : inherited, n)
    {
        n++;
        inherited += omp_get_default_allocator() == a;
    }
    check(inherited, n, "a later region starts from the primary's value again");

    long in_target = -1;
#pragma omp target map(from : in_target)
    in_target = (long)omp_get_default_allocator();
    check(in_target, omp_default_mem_alloc, "a target region starts from the initial value");
    check(omp_get_default_allocator() == a, 1, "unchanged by the target region");

    omp_set_default_allocator(omp_default_mem_alloc);
    omp_destroy_allocator(a);
    return failures > 100 ? 100 : failures;
}
