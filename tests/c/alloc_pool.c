// Checks the pool_size trait: allocations beyond the pool fail (null_fb), the pool counts every live block (so it fills before pool_size bytes of requests), freeing gives the room back exactly, and threads allocating from one pool at once never get more than it holds.
// Entry points: omp_init_allocator, omp_alloc, omp_calloc, omp_free, omp_destroy_allocator, GOMP_parallel.
#include <omp.h>
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

#define POOL 10000

int main(void)
{
    omp_alloctrait_t t[] = {{omp_atk_pool_size, POOL}, {omp_atk_fallback, omp_atv_null_fb}};
    omp_allocator_handle_t a = omp_init_allocator(omp_default_mem_space, 2, t);
    check(a != omp_null_allocator, "pool allocator", 0, 1);
    if (!a)
        return 1;

    check(omp_alloc(POOL + 1, a) == NULL, "a block larger than the pool", 1, 0);
    check(omp_alloc(POOL, a) == NULL, "a block the size of the pool (it needs room for bookkeeping)", 1, 0);

    /* Fill the pool with 100-byte blocks. */
    void *blocks[200];
    int n = 0;
    while (n < 200 && (blocks[n] = omp_alloc(100, a)) != NULL) {
        memset(blocks[n], n, 100);
        n++;
    }
    check(n > 0 && n < POOL / 100, "100-byte blocks that fit in the pool", n, POOL / 100 - 1);
    check(omp_alloc(100, a) == NULL, "the full pool refuses", 1, 0);

    /* Freeing one makes room for exactly one more. */
    omp_free(blocks[n - 1], a);
    blocks[n - 1] = omp_alloc(100, a);
    check(blocks[n - 1] != NULL, "room again after a free", 0, 1);
    check(omp_alloc(100, a) == NULL, "and only for one", 1, 0);
    for (int i = 0; i < n; i++)
        omp_free(blocks[i], omp_null_allocator);

    /* Emptied, the pool holds the same again, also through calloc. */
    int m = 0;
    while (m < 200 && (blocks[m] = omp_calloc(25, 4, a)) != NULL)
        m++;
    check(m == n, "the emptied pool holds as many blocks", m, n);
    for (int i = 0; i < m; i++)
        omp_free(blocks[i], a);

    /* Threads race for the pool: successful bytes never exceed it, and after
       everything is freed a block of half the pool fits again. */
    long got = 0;
    int wrong = 0;
#pragma omp parallel reduction(+ : got, wrong)
    {
        void *mine[200];
        int k = 0;
        for (int round = 0; round < 200; round++) {
            void *p = omp_alloc(100, a);
            if (p) {
                mine[k++] = p;
                got += 100;
            }
        }
#pragma omp barrier
        for (int i = 0; i < k; i++)
            omp_free(mine[i], a);
        wrong += k > 200;
    }
    check(got <= POOL && got >= 100 * (long)n, "bytes the racing threads got", got, 100L * n);
    check(wrong == 0, "per-thread counts", wrong, 0);
    void *half = omp_alloc(POOL / 2, a);
    check(half != NULL, "half the pool after everything was freed", 0, 1);
    omp_free(half, a);
    omp_destroy_allocator(a);
    return failures > 100 ? 100 : failures;
}
