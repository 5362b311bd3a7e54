// Checks omp_aligned_alloc, omp_calloc and omp_aligned_calloc: the alignment asked for (up to a page) is honoured, an allocator's alignment trait applies to every block and the larger of the two wins, calloc memory is zero, and a byte count that overflows gives NULL.
// Entry points: omp_aligned_alloc, omp_calloc, omp_aligned_calloc, omp_init_allocator, omp_destroy_allocator, omp_free.
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

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

int main(void)
{
    for (size_t a = 1; a <= 4096; a *= 2) {
        void *p = omp_aligned_alloc(a, 100, omp_default_mem_alloc);
        check(p && (uintptr_t)p % a == 0, "omp_aligned_alloc alignment", (long)a, 0);
        if (p)
            memset(p, 1, 100);
        unsigned char *z = omp_aligned_calloc(a, 10, 33, omp_default_mem_alloc);
        check(z && (uintptr_t)z % a == 0 && all_zero(z, 330), "omp_aligned_calloc aligned and zero",
              (long)a, 0);
        omp_free(p, omp_default_mem_alloc);
        omp_free(z, omp_default_mem_alloc);
    }

    /* Reuse freed memory dirty, then calloc it: still zero. */
    for (int round = 0; round < 4; round++) {
        unsigned char *d = omp_alloc(4000, omp_null_allocator);
        if (d) {
            memset(d, 0xff, 4000);
            omp_free(d, omp_null_allocator);
        }
        unsigned char *c = omp_calloc(1000, 4, omp_null_allocator);
        check(c && all_zero(c, 4000), "omp_calloc zero", round, 0);
        omp_free(c, omp_null_allocator);
    }
    check(omp_calloc(0, 10, omp_default_mem_alloc) == NULL, "omp_calloc(0, n)", 1, 0);
    check(omp_calloc(10, 0, omp_default_mem_alloc) == NULL, "omp_calloc(n, 0)", 1, 0);
    size_t big = (size_t)1 << 40;
    volatile size_t vbig = big; /* keep GCC from warning about the product */
    check(omp_calloc(vbig, vbig, omp_default_mem_alloc) == NULL, "omp_calloc overflow", 1, 0);
    check(omp_aligned_calloc(64, vbig, vbig, omp_default_mem_alloc) == NULL,
          "omp_aligned_calloc overflow", 1, 0);

    /* The alignment trait: every block, and the larger alignment wins. */
    omp_alloctrait_t t[] = {{omp_atk_alignment, 256}};
    omp_allocator_handle_t a256 = omp_init_allocator(omp_default_mem_space, 1, t);
    check(a256 != omp_null_allocator, "allocator with alignment 256", 0, 1);
    for (int i = 0; i < 8; i++) {
        void *p = omp_alloc(1 + i * 50, a256);
        check(p && (uintptr_t)p % 256 == 0, "trait alignment", i, 0);
        void *q = omp_aligned_alloc(16, 24, a256);
        check(q && (uintptr_t)q % 256 == 0, "trait alignment beats a smaller one", i, 0);
        void *r = omp_aligned_alloc(2048, 24, a256);
        check(r && (uintptr_t)r % 2048 == 0, "a larger asked alignment beats the trait", i, 0);
        unsigned char *c = omp_calloc(3, 7, a256);
        check(c && (uintptr_t)c % 256 == 0 && all_zero(c, 21), "calloc with trait", i, 0);
        omp_free(p, a256);
        omp_free(q, a256);
        omp_free(r, omp_null_allocator);
        omp_free(c, a256);
    }
    omp_destroy_allocator(a256);
    return failures > 100 ? 100 : failures;
}
