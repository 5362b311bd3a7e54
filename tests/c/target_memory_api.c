// Checks the device memory routines on the host device and their error returns for device numbers that do not exist (libgomp 12 without offload devices): omp_target_alloc/free, omp_target_is_present, omp_target_memcpy, omp_target_memcpy_rect (including the dimension query) and omp_target_associate_ptr / omp_target_disassociate_ptr.
// Entry points: omp_target_alloc, omp_target_free, omp_target_is_present, omp_target_memcpy, omp_target_memcpy_rect, omp_target_associate_ptr, omp_target_disassociate_ptr.
#include <errno.h>
#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

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
    const int host = omp_get_initial_device();
    char *d = omp_target_alloc(256, host);
    check(d != NULL, 1, "omp_target_alloc on the host");
    memset(d, 0, 256);
    check(omp_target_is_present(d, host), 1, "host memory is present on the host");
    check(omp_target_is_present(NULL, host), 1, "NULL is present");

    char src[64];
    for (int i = 0; i < 64; i++)
        src[i] = (char)(i + 1);
    check(omp_target_memcpy(d, src, 10, 100, 5, host, host), 0, "omp_target_memcpy");
    check(d[100] == 6 && d[109] == 15 && d[99] == 0 && d[110] == 0, 1, "memcpy offsets");
    check(omp_target_memcpy(d, src, 0, 0, 0, host, host), 0, "memcpy of nothing");

    /* A 2 x 3 block of 2-byte elements from a 4 x 5 array to an 8 x 8 one. */
    short s2[4][5], d2[8][8];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 5; j++)
            s2[i][j] = (short)(10 * i + j);
    memset(d2, 0, sizeof d2);
    size_t vol[2] = {2, 3}, doff[2] = {1, 2}, soff[2] = {2, 1}, ddim[2] = {8, 8}, sdim[2] = {4, 5};
    check(omp_target_memcpy_rect(d2, s2, sizeof(short), 2, vol, doff, soff, ddim, sdim, host, host), 0,
          "omp_target_memcpy_rect");
    int bad = 0, copied = 0;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) {
            int in = i >= 1 && i < 3 && j >= 2 && j < 5;
            if (in) {
                copied++;
                bad += d2[i][j] != 10 * (i - 1 + 2) + (j - 2 + 1);
            } else
                bad += d2[i][j] != 0;
        }
    check(bad, 0, "rect contents");
    check(copied, 6, "rect size");
    /* Three dimensions. */
    int s3[3][4][5], d3[3][4][5];
    for (int i = 0; i < 60; i++)
        ((int *)s3)[i] = i;
    memset(d3, 0, sizeof d3);
    size_t v3[3] = {3, 4, 5}, o3[3] = {0, 0, 0}, dim3[3] = {3, 4, 5};
    check(omp_target_memcpy_rect(d3, s3, sizeof(int), 3, v3, o3, o3, dim3, dim3, host, host), 0,
          "3-d rect");
    check(memcmp(d3, s3, sizeof d3), 0, "3-d rect is a full copy");
    check(omp_target_memcpy_rect(NULL, NULL, 1, 2, vol, doff, soff, ddim, sdim, host, host), INT_MAX,
          "dimension query");
    size_t huge[1] = {(size_t)-1 / 2}, zero[1] = {0};
    check(omp_target_memcpy_rect(d, src, 4, 1, huge, zero, zero, huge, huge, host, host), EINVAL,
          "rect byte count overflow");

    check(omp_target_associate_ptr(src, d, 10, 0, host), EINVAL, "associate on the host");
    check(omp_target_disassociate_ptr(src, host), EINVAL, "disassociate on the host");
    omp_target_free(d, host);
    omp_target_free(NULL, host);

    /* Devices that do not exist. */
    const int bad_devices[] = {1, 7, -1, -2, -100};
    for (int k = 0; k < 5; k++) {
        int dev = bad_devices[k];
        check(omp_target_alloc(16, dev) == NULL, 1, "omp_target_alloc on a missing device");
        omp_target_free(src, dev); /* ignored */
        check(omp_target_is_present(src, dev), 0, "omp_target_is_present on a missing device");
        check(omp_target_is_present(NULL, dev), 1, "NULL is present anywhere");
        check(omp_target_memcpy(d2, src, 4, 0, 0, dev, host), EINVAL, "memcpy to a missing device");
        check(omp_target_memcpy(d2, src, 4, 0, 0, host, dev), EINVAL, "memcpy from a missing device");
        check(omp_target_memcpy_rect(d2, s2, 2, 2, vol, doff, soff, ddim, sdim, dev, host), EINVAL,
              "rect to a missing device");
        check(omp_target_memcpy_rect(NULL, NULL, 2, 2, vol, doff, soff, ddim, sdim, dev, dev), INT_MAX,
              "dimension query, any device");
        check(omp_target_associate_ptr(src, d2, 4, 0, dev), EINVAL, "associate on a missing device");
        check(omp_target_disassociate_ptr(src, dev), EINVAL, "disassociate on a missing device");
    }
    return failures > 100 ? 100 : failures;
}
