// Checks that an OMP_ALLOCATOR value that is not a predefined allocator's name (libgomp 12 takes no numbers, memory spaces or trait lists) leaves def-allocator-var at omp_default_mem_alloc.
// pomp-test: env=OMP_ALLOCATOR=4
// Entry points: omp_get_default_allocator, omp_alloc, omp_free.
#include <omp.h>
#include <stdio.h>

int main(void)
{
    int failures = 0;
    if (omp_get_default_allocator() != omp_default_mem_alloc) {
        failures++;
        printf("FAIL: default allocator (got %ld, want %ld)\n", (long)omp_get_default_allocator(),
               (long)omp_default_mem_alloc);
    }
    void *p = omp_alloc(64, omp_null_allocator);
    if (!p) {
        failures++;
        printf("FAIL: omp_alloc with the default allocator\n");
    }
    omp_free(p, omp_null_allocator);
    return failures;
}
