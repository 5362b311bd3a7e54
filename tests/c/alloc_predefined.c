// Checks omp_alloc / omp_free with every predefined allocator and with omp_null_allocator (the default allocator): blocks are usable, at least pointer-aligned, distinct, and can be allocated and freed concurrently by every thread; 0 bytes gives NULL.
// Entry points: omp_alloc, omp_free, omp_get_default_allocator, GOMP_parallel.
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what, long got, long want)
{
    if (!ok) {
        failures++;
        printf("FAIL: %s (got %ld, want %ld)\n", what, got, want);
    }
}

int main(void)
{
    const omp_allocator_handle_t all[] = {
        omp_null_allocator,    omp_default_mem_alloc, omp_large_cap_mem_alloc,
        omp_const_mem_alloc,   omp_high_bw_mem_alloc, omp_low_lat_mem_alloc,
        omp_cgroup_mem_alloc,  omp_pteam_mem_alloc,   omp_thread_mem_alloc,
    };
    const int n = sizeof all / sizeof all[0];

    check(omp_get_default_allocator() == omp_default_mem_alloc, "initial default allocator",
          (long)omp_get_default_allocator(), (long)omp_default_mem_alloc);

    for (int i = 0; i < n; i++) {
        check(omp_alloc(0, all[i]) == NULL, "omp_alloc(0) is NULL", i, -1);
        unsigned char *p = omp_alloc(1000, all[i]);
        unsigned char *q = omp_alloc(1, all[i]);
        check(p != NULL && q != NULL, "omp_alloc succeeds", i, -1);
        if (!p || !q)
            continue;
        check((uintptr_t)p % sizeof(void *) == 0, "block pointer-aligned", (long)((uintptr_t)p % 16), 0);
        check(p != q, "blocks distinct", i, -1);
        memset(p, 0xa5, 1000);
        *q = 7;
        check(p[999] == 0xa5 && *q == 7, "blocks hold their contents", p[999], 0xa5);
        omp_free(q, all[i]);
        omp_free(p, omp_null_allocator); /* the allocator argument may be null */
    }
    omp_free(NULL, omp_default_mem_alloc);

    /* Every thread allocates and frees at once. */
    int bad = 0;
#pragma omp parallel reduction(+ : bad)
    {
        int me = omp_get_thread_num();
        long *blocks[64];
        for (int k = 0; k < 64; k++) {
            blocks[k] = omp_alloc(sizeof(long) * (k + 1), all[k % n]);
            if (!blocks[k]) {
                bad++;
                continue;
            }
            for (int j = 0; j <= k; j++)
                blocks[k][j] = me * 1000 + k;
        }
        for (int k = 0; k < 64; k++) {
            if (!blocks[k])
                continue;
            for (int j = 0; j <= k; j++)
                bad += blocks[k][j] != me * 1000 + k;
            omp_free(blocks[k], all[k % n]);
        }
    }
    check(bad == 0, "concurrent blocks", bad, 0);

    return failures > 100 ? 100 : failures;
}
