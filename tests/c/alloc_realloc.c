// Checks omp_realloc: contents survive growing and shrinking, NULL reallocates to a fresh block and size 0 frees, omp_null_allocator keeps the block's allocator (its alignment trait still applies), another allocator moves the block there, and a failed reallocation (null_fb pool) returns NULL and leaves the old block intact.
// Entry points: omp_realloc, omp_alloc, omp_free, omp_init_allocator, omp_destroy_allocator.
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        failures++;
        printf("FAIL: %s\n", what);
    }
}

static int holds(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * 7))
            return 0;
    return 1;
}

static void fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 7);
}

int main(void)
{
    unsigned char *p = omp_realloc(NULL, 100, omp_default_mem_alloc, omp_null_allocator);
    check(p != NULL, "realloc(NULL) allocates");
    fill(p, 100);
    p = omp_realloc(p, 100000, omp_null_allocator, omp_null_allocator);
    check(p && holds(p, 100), "growing keeps the contents");
    fill(p, 100000);
    p = omp_realloc(p, 50, omp_default_mem_alloc, omp_default_mem_alloc);
    check(p && holds(p, 50), "shrinking keeps the prefix");
    check(omp_realloc(p, 0, omp_null_allocator, omp_null_allocator) == NULL, "size 0 frees");

    /* A block of an aligned allocator stays aligned through null. */
    omp_alloctrait_t at[] = {{omp_atk_alignment, 512}};
    omp_allocator_handle_t a512 = omp_init_allocator(omp_default_mem_space, 1, at);
    p = omp_alloc(300, a512);
    check(p && (uintptr_t)p % 512 == 0, "aligned block");
    fill(p, 300);
    for (int i = 1; i <= 5; i++) {
        p = omp_realloc(p, 300 + i * 1000, omp_null_allocator, omp_null_allocator);
        check(p && (uintptr_t)p % 512 == 0 && holds(p, 300), "realloc with null keeps the allocator");
    }
    /* To another allocator, and back. */
    p = omp_realloc(p, 200, omp_default_mem_alloc, a512);
    check(p && holds(p, 200), "moved to omp_default_mem_alloc");
    p = omp_realloc(p, 5000, a512, omp_default_mem_alloc);
    check(p && (uintptr_t)p % 512 == 0 && holds(p, 200), "moved back to the aligned allocator");
    omp_free(p, a512);

    /* A pool: a failed realloc keeps the old block. */
    omp_alloctrait_t pt[] = {{omp_atk_pool_size, 4096}, {omp_atk_fallback, omp_atv_null_fb}};
    omp_allocator_handle_t pool = omp_init_allocator(omp_default_mem_space, 2, pt);
    p = omp_alloc(1000, pool);
    check(p != NULL, "pool block");
    fill(p, 1000);
    unsigned char *q = omp_realloc(p, 8000, pool, pool);
    check(q == NULL, "growing past the pool fails");
    check(holds(p, 1000), "the old block is intact");
    q = omp_realloc(p, 3000, pool, pool);
    check(q && holds(q, 1000), "growing within the pool");
    /* The pool is charged for the new size only: 3000 more no longer fit,
       1000 more bytes still do. */
    void *r = omp_alloc(3000, pool);
    check(r == NULL, "the pool is charged for the grown block");
    r = omp_alloc(500, pool);
    check(r != NULL, "and only for it");
    omp_free(r, pool);
    /* Moving out of the pool gives its room back. */
    q = omp_realloc(q, 3000, omp_default_mem_alloc, pool);
    check(q && holds(q, 1000), "moved out of the pool");
    r = omp_alloc(3500, pool);
    check(r != NULL, "the pool is empty again");
    omp_free(r, pool);
    omp_free(q, omp_null_allocator);

    omp_destroy_allocator(pool);
    omp_destroy_allocator(a512);
    return failures > 100 ? 100 : failures;
}
