// Checks omp_init_allocator's validation as libgomp 12 does it: every valid value of every trait (and omp_atv_default) gives an allocator, an unknown trait or a value its trait does not take gives omp_null_allocator, pinned memory is refused, the last of repeated traits wins, and unknown memory spaces are refused.
// Entry points: omp_init_allocator, omp_destroy_allocator, omp_alloc, omp_free.
#include <omp.h>
#include <stdint.h>
#include <stdio.h>

static int failures;

static omp_allocator_handle_t make(omp_memspace_handle_t ms, int key, omp_uintptr_t value)
{
    omp_alloctrait_t t[1] = {{(omp_alloctrait_key_t)key, value}};
    return omp_init_allocator(ms, 1, t);
}

static void expect(int key, omp_uintptr_t value, int valid)
{
    omp_allocator_handle_t a = make(omp_default_mem_space, key, value);
    if ((a != omp_null_allocator) != valid) {
        failures++;
        printf("FAIL: trait %d value %ld (got %s, want %s)\n", key, (long)value,
               a ? "an allocator" : "omp_null_allocator", valid ? "an allocator" : "omp_null_allocator");
    }
    if (a) {
        void *p = omp_alloc(64, a);
        if (!p) {
            failures++;
            printf("FAIL: allocating with trait %d value %ld\n", key, (long)value);
        }
        omp_free(p, a);
        omp_destroy_allocator(a);
    }
}

int main(void)
{
    const omp_uintptr_t def = omp_atv_default;
    /* sync_hint */
    expect(omp_atk_sync_hint, def, 1);
    expect(omp_atk_sync_hint, omp_atv_contended, 1);
    expect(omp_atk_sync_hint, omp_atv_uncontended, 1);
    expect(omp_atk_sync_hint, omp_atv_serialized, 1);
    expect(omp_atk_sync_hint, omp_atv_private, 1);
    expect(omp_atk_sync_hint, omp_atv_all, 0);
    expect(omp_atk_sync_hint, 0, 0);
    /* alignment: powers of two */
    expect(omp_atk_alignment, def, 1);
    expect(omp_atk_alignment, 1, 1);
    expect(omp_atk_alignment, 64, 1);
    expect(omp_atk_alignment, 4096, 1);
    expect(omp_atk_alignment, 0, 0);
    expect(omp_atk_alignment, 24, 0);
    /* access */
    expect(omp_atk_access, def, 1);
    expect(omp_atk_access, omp_atv_all, 1);
    expect(omp_atk_access, omp_atv_cgroup, 1);
    expect(omp_atk_access, omp_atv_pteam, 1);
    expect(omp_atk_access, omp_atv_thread, 1);
    expect(omp_atk_access, omp_atv_private, 0);
    expect(omp_atk_access, omp_atv_null_fb, 0);
    /* pool_size: any */
    expect(omp_atk_pool_size, def, 1);
    expect(omp_atk_pool_size, 1 << 20, 1);
    /* fallback */
    expect(omp_atk_fallback, def, 1);
    expect(omp_atk_fallback, omp_atv_default_mem_fb, 1);
    expect(omp_atk_fallback, omp_atv_null_fb, 1);
    expect(omp_atk_fallback, omp_atv_abort_fb, 1);
    expect(omp_atk_fallback, omp_atv_allocator_fb, 1);
    expect(omp_atk_fallback, omp_atv_cgroup, 0);
    expect(omp_atk_fallback, omp_atv_environment, 0);
    /* fb_data: any */
    expect(omp_atk_fb_data, omp_high_bw_mem_alloc, 1);
    /* pinned: no pinned memory in GCC 12 */
    expect(omp_atk_pinned, def, 1);
    expect(omp_atk_pinned, omp_atv_false, 1);
    expect(omp_atk_pinned, omp_atv_true, 0);
    expect(omp_atk_pinned, 2, 0);
    /* partition */
    expect(omp_atk_partition, def, 1);
    expect(omp_atk_partition, omp_atv_environment, 1);
    expect(omp_atk_partition, omp_atv_nearest, 1);
    expect(omp_atk_partition, omp_atv_blocked, 1);
    expect(omp_atk_partition, omp_atv_interleaved, 1);
    expect(omp_atk_partition, omp_atv_all, 0);
    /* unknown keys */
    expect(0, 0, 0);
    expect(9, 0, 0);
    expect(-1, 0, 0);

    /* No traits at all, and several at once; the last of two wins. */
    omp_allocator_handle_t a = omp_init_allocator(omp_default_mem_space, 0, NULL);
    if (!a) {
        failures++;
        printf("FAIL: allocator without traits\n");
    }
    omp_destroy_allocator(a);
    omp_alloctrait_t many[] = {{omp_atk_sync_hint, omp_atv_contended}, {omp_atk_alignment, 2048},
                               {omp_atk_access, omp_atv_all},        {omp_atk_pool_size, 1 << 20},
                               {omp_atk_fallback, omp_atv_null_fb},  {omp_atk_alignment, 128}};
    a = omp_init_allocator(omp_default_mem_space, 6, many);
    if (!a) {
        failures++;
        printf("FAIL: allocator with six traits\n");
    } else {
        int misaligned = 0, overaligned = 0;
        for (int i = 0; i < 32; i++) {
            void *p = omp_alloc(8, a);
            misaligned += (uintptr_t)p % 128 != 0;
            overaligned += (uintptr_t)p % 2048 == 0;
            omp_free(p, a);
        }
        if (misaligned) {
            failures++;
            printf("FAIL: blocks not aligned to the last alignment trait (got %d)\n", misaligned);
        }
        if (overaligned == 32) {
            failures++;
            printf("FAIL: the first alignment trait seems to win\n");
        }
        omp_destroy_allocator(a);
    }
    /* One bad trait among good ones spoils the lot. */
    omp_alloctrait_t spoiled[] = {{omp_atk_alignment, 64}, {omp_atk_fallback, 99}};
    if (omp_init_allocator(omp_default_mem_space, 2, spoiled) != omp_null_allocator) {
        failures++;
        printf("FAIL: a bad trait after a good one was accepted\n");
    }

    /* Memory spaces: the standard ones except high bandwidth (libgomp 12 has
       it only through libmemkind) give allocators; unknown ones do not. */
    const omp_memspace_handle_t spaces[] = {omp_default_mem_space, omp_large_cap_mem_space,
                                            omp_const_mem_space, omp_low_lat_mem_space};
    for (int i = 0; i < 4; i++) {
        a = omp_init_allocator(spaces[i], 0, NULL);
        void *p = a ? omp_alloc(100, a) : NULL;
        if (!p) {
            failures++;
            printf("FAIL: memory space %ld\n", (long)spaces[i]);
        }
        omp_free(p, a);
        omp_destroy_allocator(a);
    }
    if (omp_init_allocator((omp_memspace_handle_t)5, 0, NULL) != omp_null_allocator ||
        omp_init_allocator((omp_memspace_handle_t)1000, 0, NULL) != omp_null_allocator) {
        failures++;
        printf("FAIL: an unknown memory space was accepted\n");
    }
    return failures > 100 ? 100 : failures;
}
