// Checks detached tasks (detach clause): a task completes only when its body has finished and its event is fulfilled, so taskwait, taskgroup and dependent successors wait for the omp_fulfill_event call made from another task (before or after the body ran) or, with two or more threads, from the generating thread after it saw the body finish.
// GOMP entry points: GOMP_task (GOMP_TASK_FLAG_DETACH, with and without GOMP_TASK_FLAG_DEPEND), omp_fulfill_event, GOMP_taskwait, GOMP_taskgroup_start, GOMP_taskgroup_end, GOMP_taskyield, GOMP_parallel, GOMP_single_start, GOMP_barrier.
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

static void check(long got, long want, const char *fmt, ...)
{
    if (got == want)
        return;
    __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf(" (got %ld, want %ld)\n", got, want);
    va_end(ap);
}

#define N 50

static void spin(int k)
{
    volatile long s = 0;
    for (int j = 0; j < 200 * (1 + k % 4); j++)
        s += j;
}

int main(void)
{
    int team = 1;
#pragma omp parallel shared(team)
    {
#pragma omp single nowait
        {
            team = omp_get_num_threads();

            /* 1. taskwait waits for the event fulfilled by another task. */
            for (int r = 0; r < 10; r++) {
                int ran = 0, fulfilled = 0;
                omp_event_handle_t ev;
#pragma omp task detach(ev) shared(ran)
                {
                    spin(r);
                    __atomic_store_n(&ran, 1, __ATOMIC_RELEASE);
                }
#pragma omp task firstprivate(ev) shared(fulfilled)
                {
                    spin(r + 1);
                    __atomic_store_n(&fulfilled, 1, __ATOMIC_RELEASE);
                    omp_fulfill_event(ev);
                }
#pragma omp taskwait
                check(__atomic_load_n(&ran, __ATOMIC_ACQUIRE), 1, "detached body done after taskwait, round %d", r);
                check(__atomic_load_n(&fulfilled, __ATOMIC_ACQUIRE), 1, "event fulfilled after taskwait, round %d", r);
            }

            /* 2. A successor waits for the fulfilment, not just the body;
               the gate makes the fulfilment likely to come first. */
            int succ_bad = 0, succ_ran = 0;
            for (int r = 0; r < 10; r++) {
                int gate = 0, x = 0, fulfilled = 0, ran = 0;
                omp_event_handle_t ev;
#pragma omp task depend(out: gate) shared(gate)
                {
                    spin(3);
                    gate = 1;
                }
#pragma omp task detach(ev) depend(in: gate) depend(out: x) shared(x, ran)
                {
                    x = 1;
                    __atomic_store_n(&ran, 1, __ATOMIC_RELEASE);
                }
#pragma omp task firstprivate(ev) shared(fulfilled)
                {
                    __atomic_store_n(&fulfilled, 1, __ATOMIC_RELEASE);
                    omp_fulfill_event(ev);
                }
#pragma omp task depend(in: x) shared(x, fulfilled, ran, succ_bad, succ_ran)
                {
                    if (!__atomic_load_n(&fulfilled, __ATOMIC_ACQUIRE) || !__atomic_load_n(&ran, __ATOMIC_ACQUIRE) || x != 1)
                        succ_bad++;
                    succ_ran++;
                }
#pragma omp taskwait
            }
            check(succ_bad, 0, "successors that ran before the detached task completed");
            check(succ_ran, 10, "successors run");

            /* 3. taskgroup waits for many detached tasks. */
            int body[N] = {0}, fulfilled[N] = {0};
            omp_event_handle_t evs[N];
#pragma omp taskgroup
            {
                for (int i = 0; i < N; i++) {
                    omp_event_handle_t e;
#pragma omp task detach(e) firstprivate(i) shared(body)
                    __atomic_store_n(&body[i], 1, __ATOMIC_RELEASE);
                    evs[i] = e;
                }
                for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i) shared(evs, fulfilled)
                    {
                        spin(i);
                        __atomic_store_n(&fulfilled[i], 1, __ATOMIC_RELEASE);
                        omp_fulfill_event(evs[i]);
                    }
                }
            }
            int nb = 0, nf = 0;
            for (int i = 0; i < N; i++) {
                nb += __atomic_load_n(&body[i], __ATOMIC_ACQUIRE);
                nf += __atomic_load_n(&fulfilled[i], __ATOMIC_ACQUIRE);
            }
            check(nb, N, "detached bodies done after the taskgroup");
            check(nf, N, "events fulfilled after the taskgroup");

            /* 4. The generating thread fulfils after the body ran. Only
               another thread can run the body while this one waits for
               it without waiting for the task, so this needs a team. */
            if (team > 1) {
                for (int r = 0; r < 5; r++) {
                    int ran = 0, done_seen = -1;
                    omp_event_handle_t ev;
#pragma omp task detach(ev) shared(ran)
                    __atomic_store_n(&ran, 1, __ATOMIC_RELEASE);
                    while (!__atomic_load_n(&ran, __ATOMIC_ACQUIRE)) {
#pragma omp taskyield
                    }
                    omp_fulfill_event(ev);
#pragma omp taskwait
                    done_seen = __atomic_load_n(&ran, __ATOMIC_ACQUIRE);
                    check(done_seen, 1, "detached task fulfilled by its generating thread, round %d", r);
                }
            }
        }
        /* The other threads wait here and run the tasks. */
#pragma omp barrier
    }
    return failures > 100 ? 100 : failures;
}
