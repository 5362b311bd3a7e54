// Checks OMP_ALLOCATOR: a predefined allocator's name (any case) sets the initial def-allocator-var of the initial thread and of every team thread, and memory comes from it.
// pomp-test: env=OMP_ALLOCATOR=OMP_LOW_LAT_MEM_ALLOC
// Entry points: omp_get_default_allocator, omp_alloc, omp_free, GOMP_parallel.
#include <omp.h>
#include <stdio.h>
#include <string.h>

static int failures;

int main(void)
{
    if (omp_get_default_allocator() != omp_low_lat_mem_alloc) {
        failures++;
        printf("FAIL: default allocator (got %ld, want %ld)\n", (long)omp_get_default_allocator(),
               (long)omp_low_lat_mem_alloc);
    }
    int wrong = 0;
#pragma omp parallel reduction(+ : wrong)
    {
        wrong += omp_get_default_allocator() != omp_low_lat_mem_alloc;
        char *p = omp_alloc(1000, omp_null_allocator);
        if (!p)
            wrong++;
        else {
            memset(p, 3, 1000);
            wrong += p[999] != 3;
        }
        omp_free(p, omp_null_allocator);
    }
    if (wrong) {
        failures++;
        printf("FAIL: team threads' default allocator or blocks (got %d wrong)\n", wrong);
    }
    return failures;
}
