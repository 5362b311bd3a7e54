//! The wait policy: spin for a while, then sleep on a futex.
//!
//! Every blocking wait in the runtime (barriers, the dock where idle workers
//! wait for the next region, ordered and doacross hand-offs, locks) goes
//! through here, so `OMP_WAIT_POLICY` and `GOMP_SPINCOUNT` mean one thing
//! everywhere. A waiter spins `spin_limit()` times with a pause instruction,
//! then announces itself by setting [`SLEEPING`] in the word it watches and
//! sleeps on that word. Whoever changes the word clears the bit and, if it
//! was set, wakes the sleepers — so an uncontended hand-off never enters the
//! kernel.
//!
//! When the runtime's threads outnumber the CPUs, spinning only steals time
//! from the thread being waited for, so the (much smaller) throttled count is
//! used instead, as libgomp does.

use std::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};

use crate::sys;

/// Bit 0 of a watched word: some thread may be asleep on it.
pub const SLEEPING: u32 = 1;

/// Spins before sleeping when threads do not outnumber CPUs.
static SPIN_COUNT: AtomicU64 = AtomicU64::new(300_000);
/// Spins before sleeping when they do.
static THROTTLED_SPIN_COUNT: AtomicU64 = AtomicU64::new(1_000);
/// Threads the runtime runs (the initial thread plus every worker).
static MANAGED_THREADS: AtomicU32 = AtomicU32::new(1);
/// CPUs available to the process, read once at start.
static CPUS: AtomicU32 = AtomicU32::new(1);

/// Sets the spin counts (from `OMP_WAIT_POLICY` / `GOMP_SPINCOUNT`) and the
/// CPU count. Called once by the runtime's initialiser.
pub fn configure(spin: u64, throttled: u64, cpus: u32) {
    SPIN_COUNT.store(spin, Ordering::Relaxed);
    THROTTLED_SPIN_COUNT.store(throttled, Ordering::Relaxed);
    CPUS.store(cpus.max(1), Ordering::Relaxed);
}

/// Records that the runtime now runs `delta` more (or fewer) threads.
pub fn add_managed_threads(delta: i32) {
    if delta >= 0 {
        MANAGED_THREADS.fetch_add(delta as u32, Ordering::Relaxed);
    } else {
        MANAGED_THREADS.fetch_sub(delta.unsigned_abs(), Ordering::Relaxed);
    }
}

/// After `fork()`, in the child: only the forking thread runs.
pub fn reset_managed_threads() {
    MANAGED_THREADS.store(1, Ordering::Relaxed);
}

/// How many times a waiter spins before it sleeps.
#[inline]
pub fn spin_limit() -> u64 {
    if MANAGED_THREADS.load(Ordering::Relaxed) > CPUS.load(Ordering::Relaxed) {
        THROTTLED_SPIN_COUNT.load(Ordering::Relaxed)
    } else {
        SPIN_COUNT.load(Ordering::Relaxed)
    }
}

/// Spins before a spinning waiter starts yielding its CPU now and then.
const PURE_SPINS: u64 = 16_384;

/// One step of a spin-wait. After [`PURE_SPINS`] steps, every 1024th step
/// yields the CPU: when the machine is oversubscribed, the thread being
/// waited for may be queued behind the spinner on its CPU, and a spinner
/// that never yields would make it wait for a whole scheduler tick. On an
/// idle machine the yield returns at once.
#[inline]
pub fn spin_step(i: u64) {
    if i >= PURE_SPINS && i.is_multiple_of(1024) {
        std::thread::yield_now();
    } else {
        std::hint::spin_loop();
    }
}

/// Waits until `ready(value)` holds for the value of `word`, and returns
/// that value. `word` must be one whose writers follow the [`SLEEPING`]
/// protocol: every change that can make `ready` true either clears the bit
/// and calls [`wake`] with the previous value, or (for counters) keeps the
/// bit and calls [`wake`] whenever it was set.
#[inline]
pub fn wait_until(word: &AtomicU32, ready: impl Fn(u32) -> bool) -> u32 {
    let v = word.load(Ordering::Acquire);
    if ready(v) {
        return v;
    }
    wait_until_slow(word, &ready)
}

#[cold]
fn wait_until_slow(word: &AtomicU32, ready: &dyn Fn(u32) -> bool) -> u32 {
    let limit = spin_limit();
    let mut spins = 0u64;
    loop {
        let v = word.load(Ordering::Acquire);
        if ready(v) {
            return v;
        }
        if spins < limit {
            spin_step(spins);
            spins += 1;
            continue;
        }
        if v & SLEEPING == 0
            && word
                .compare_exchange_weak(v, v | SLEEPING, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            continue;
        }
        sys::futex_wait(word, v | SLEEPING);
    }
}

/// Wakes the sleepers of `word` if `previous` (its value before the change
/// the caller just made) says there may be any.
#[inline]
pub fn wake(word: &AtomicU32, previous: u32) {
    if previous & SLEEPING != 0 {
        // Cold: while the waiters spin, the waker's path runs straight on.
        std::hint::cold_path();
        sys::futex_wake_all(word);
    }
}

/// A condition variable without a mutex, for waits whose condition lives in
/// other memory (an ordered turn, a doacross post): waiters register, check
/// the condition once more, and sleep only if it still does not hold;
/// notifiers change the condition, then wake registered waiters.
///
/// Bit 0 of `seq` says "someone registered"; the rest counts notifications,
/// so a waiter whose key is stale never sleeps.
#[derive(Default)]
pub struct EventCount {
    seq: AtomicU32,
}

impl EventCount {
    pub const fn new() -> Self {
        Self {
            seq: AtomicU32::new(0),
        }
    }

    /// Wakes every registered waiter. Call after making the condition true.
    #[inline]
    pub fn notify_all(&self) {
        // Orders the caller's condition store before the load of `seq`; pairs
        // with the SeqCst read-modify-write in `wait_for`'s registration, so
        // either the waiter sees the condition or we see its registration.
        fence(Ordering::SeqCst);
        if self.seq.load(Ordering::Relaxed) & SLEEPING != 0 {
            // Bit 0 is set, so adding 1 clears it and carries into the count.
            self.seq.fetch_add(1, Ordering::SeqCst);
            sys::futex_wake_all(&self.seq);
        }
    }

    /// Waits until `cond()` holds, spinning first.
    #[inline]
    pub fn wait_for(&self, cond: impl Fn() -> bool) {
        if cond() {
            return;
        }
        self.wait_for_slow(&cond);
    }

    #[cold]
    fn wait_for_slow(&self, cond: &dyn Fn() -> bool) {
        let limit = spin_limit();
        for i in 0..limit {
            if cond() {
                return;
            }
            spin_step(i);
        }
        self.sleep_until(cond);
    }

    /// Sleeps until `cond()` holds, without spinning first (for callers
    /// that spin themselves, on a cheaper condition).
    #[cold]
    pub fn sleep_until(&self, cond: &dyn Fn() -> bool) {
        loop {
            let key = self.seq.fetch_or(SLEEPING, Ordering::SeqCst) | SLEEPING;
            if cond() {
                return;
            }
            sys::futex_wait(&self.seq, key);
            if cond() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn wait_until_sees_a_change_made_after_the_waiter_slept() {
        configure(10, 10, 1);
        let word = Arc::new(AtomicU32::new(4));
        let w = word.clone();
        let h = std::thread::spawn(move || wait_until(&w, |v| v & !SLEEPING != 4));
        std::thread::sleep(std::time::Duration::from_millis(20));
        let prev = word.swap(6, Ordering::Release);
        wake(&word, prev);
        assert_eq!(h.join().unwrap(), 6);
    }

    #[test]
    fn event_count_wakes_a_sleeping_waiter() {
        configure(10, 10, 1);
        let ec = Arc::new(EventCount::new());
        let flag = Arc::new(AtomicU32::new(0));
        let (e, f) = (ec.clone(), flag.clone());
        let h = std::thread::spawn(move || e.wait_for(|| f.load(Ordering::Acquire) == 1));
        std::thread::sleep(std::time::Duration::from_millis(20));
        flag.store(1, Ordering::Release);
        ec.notify_all();
        h.join().unwrap();
    }
}
