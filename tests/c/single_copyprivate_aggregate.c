// Checks single copyprivate of aggregates: an int array, a struct with mixed members and an embedded array, a large array (8 KiB), and several such variables in one clause, copied from the executing thread to every other thread.
// GOMP entry points: GOMP_parallel, GOMP_single_copy_start, GOMP_single_copy_end, GOMP_barrier, GOMP_atomic_start/end (reduction merge).
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ROUNDS 60
#define BIG 2048

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    failures++;
    if (failures > 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

struct rec {
    char tag;
    double weight;
    short parts[5];
    long long id;
    char name[13];
};

static void fill_rec(struct rec *s, int r)
{
    memset(s, 0, sizeof *s);
    s->tag = (char)('a' + r % 26);
    s->weight = r * 0.25;
    for (int k = 0; k < 5; k++)
        s->parts[k] = (short)(r * 5 + k);
    s->id = 1000000007LL * r;
    snprintf(s->name, sizeof s->name, "rec-%d", r);
}

static int rec_ok(const struct rec *s, int r)
{
    struct rec want;
    fill_rec(&want, r);
    if (s->tag != want.tag || s->weight != want.weight || s->id != want.id)
        return 0;
    for (int k = 0; k < 5; k++)
        if (s->parts[k] != want.parts[k])
            return 0;
    return strcmp(s->name, want.name) == 0;
}

int main(void)
{
    long bad_arr = 0, bad_rec = 0, bad_big = 0, bad_multi = 0;

#pragma omp parallel reduction(+:bad_arr, bad_rec, bad_big, bad_multi)
    {
        int me = omp_get_thread_num();
        for (int r = 0; r < ROUNDS; r++) {
            int arr[10];
            for (int k = 0; k < 10; k++)
                arr[k] = -me;
#pragma omp single copyprivate(arr)
            for (int k = 0; k < 10; k++)
                arr[k] = r * 10 + k;
            for (int k = 0; k < 10; k++)
                bad_arr += arr[k] != r * 10 + k;

            struct rec s;
            memset(&s, 0xff, sizeof s);
#pragma omp single copyprivate(s)
            fill_rec(&s, r);
            bad_rec += !rec_ok(&s, r);

            if (r % 10 == 0) {
                int big[BIG];
                for (int k = 0; k < BIG; k++)
                    big[k] = me;
#pragma omp single copyprivate(big)
                for (int k = 0; k < BIG; k++)
                    big[k] = k * r + 1;
                for (int k = 0; k < BIG; k++)
                    bad_big += big[k] != k * r + 1;
            }

            /* Several variables of different kinds in one clause. */
            int n = -1;
            double v[3] = { -1, -1, -1 };
            struct rec t;
            memset(&t, 0, sizeof t);
            unsigned char bytes[3] = { 0, 0, 0 };
#pragma omp single copyprivate(n, v, t, bytes)
            {
                n = r + 1;
                for (int k = 0; k < 3; k++)
                    v[k] = r + k / 4.0;
                fill_rec(&t, r + 1);
                bytes[0] = (unsigned char)r;
                bytes[1] = (unsigned char)(r >> 8);
                bytes[2] = 0xa5;
            }
            bad_multi += n != r + 1;
            for (int k = 0; k < 3; k++)
                bad_multi += v[k] != r + k / 4.0;
            bad_multi += !rec_ok(&t, r + 1);
            bad_multi += bytes[0] != (unsigned char)r || bytes[1] != (unsigned char)(r >> 8)
                || bytes[2] != 0xa5;
        }
    }
    check(bad_arr, 0, "copyprivate int[10]: wrong elements");
    check(bad_rec, 0, "copyprivate struct: wrong copies");
    check(bad_big, 0, "copyprivate int[%d]: wrong elements", BIG);
    check(bad_multi, 0, "copyprivate of four variables: wrong values");
    return failures > 100 ? 100 : failures;
}
