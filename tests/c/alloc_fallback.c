// Checks the fallback trait when a pool is exhausted: default_mem_fb (the default) still returns memory, null_fb returns NULL, allocator_fb retries with the allocator in fb_data (following a chain), and abort_fb ends the program (checked in a child process).
// Entry points: omp_init_allocator, omp_alloc, omp_aligned_alloc, omp_free, omp_destroy_allocator.
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        failures++;
        printf("FAIL: %s\n", what);
    }
}

static omp_allocator_handle_t pool(size_t size, omp_uintptr_t fallback, omp_allocator_handle_t fb)
{
    omp_alloctrait_t t[] = {{omp_atk_pool_size, size}, {omp_atk_fallback, fallback}, {omp_atk_fb_data, fb}};
    return omp_init_allocator(omp_default_mem_space, fallback == omp_atv_allocator_fb ? 3 : 2, t);
}

int main(void)
{
    omp_allocator_handle_t dflt = pool(256, omp_atv_default_mem_fb, 0);
    omp_alloctrait_t no_fb_trait[] = {{omp_atk_pool_size, 256}};
    omp_allocator_handle_t implicit = omp_init_allocator(omp_default_mem_space, 1, no_fb_trait);
    omp_allocator_handle_t null = pool(256, omp_atv_null_fb, 0);
    check(dflt && implicit && null, "allocators made");

    /* default_mem_fb, explicit or by default: memory anyway. */
    char *p = omp_alloc(10000, dflt), *q = omp_alloc(10000, implicit);
    check(p && q, "default_mem_fb gives memory beyond the pool");
    if (p && q) {
        memset(p, 1, 10000);
        memset(q, 2, 10000);
        check(p[9999] == 1 && q[9999] == 2, "fallback memory usable");
    }
    /* The pool itself still works and is not charged for those. */
    void *small = omp_alloc(8, dflt);
    check(small != NULL, "small block from the pool");
    omp_free(small, dflt);
    omp_free(p, dflt);
    omp_free(q, omp_null_allocator);

    /* null_fb: NULL, whatever the alignment. */
    check(omp_alloc(10000, null) == NULL, "null_fb gives NULL");
    check(omp_aligned_alloc(64, 10000, null) == NULL, "null_fb gives NULL (aligned)");
    void *fits = omp_alloc(16, null);
    check(fits != NULL, "null_fb pool still serves what fits");
    omp_free(fits, null);

    /* allocator_fb: a chain of two pools, then a predefined allocator. */
    omp_allocator_handle_t big = pool(1 << 20, omp_atv_null_fb, 0);
    omp_allocator_handle_t chain1 = pool(256, omp_atv_allocator_fb, big);
    omp_allocator_handle_t chain2 = pool(64, omp_atv_allocator_fb, chain1);
    check(big && chain1 && chain2, "chained allocators made");
    void *c = omp_alloc(100000, chain2);
    check(c != NULL, "allocator_fb reaches the third allocator");
    /* What chain2 got came from `big`: it is charged there. */
    void *rest = omp_alloc((1 << 20) - 50000, big);
    check(rest == NULL, "the fallback block is charged to the allocator that served it");
    omp_free(rest, big);
    omp_free(c, chain2);
    rest = omp_alloc((1 << 20) - 50000, big);
    check(rest != NULL, "freeing the fallback block gives the room back");
    omp_free(rest, big);
    check(omp_alloc(2 << 20, chain2) == NULL, "the end of the chain is null_fb");

    omp_allocator_handle_t to_predef = pool(64, omp_atv_allocator_fb, omp_low_lat_mem_alloc);
    void *lp = omp_alloc(4096, to_predef);
    check(lp != NULL, "allocator_fb to a predefined allocator");
    omp_free(lp, to_predef);

    /* abort_fb ends the program. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull)
            dup2(fileno(devnull), 2); /* the runtime's message is expected */
        omp_allocator_handle_t ab = pool(64, omp_atv_abort_fb, 0);
        void *x = omp_alloc(4096, ab);
        (void)x;
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "abort_fb ends the program");

    omp_destroy_allocator(dflt);
    omp_destroy_allocator(implicit);
    omp_destroy_allocator(null);
    omp_destroy_allocator(chain2);
    omp_destroy_allocator(chain1);
    omp_destroy_allocator(big);
    omp_destroy_allocator(to_predef);
    return failures > 100 ? 100 : failures;
}
