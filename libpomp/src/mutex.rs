//! A futex mutex in one 32-bit word: 0 unlocked, 1 locked, 2 locked with
//! (possible) sleepers. The word may live in the program's storage (an
//! `omp_lock_t`, the pointer-sized slot of a named critical), so the mutex
//! is a view over an `AtomicU32`, not an owner of one.
//!
//! Locking spins under the wait policy before it sleeps, so a short critical
//! section hands over without a system call; unlocking enters the kernel
//! only when someone sleeps.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::{sys, wait};

const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
const CONTENDED: u32 = 2;

/// Locks the mutex whose word is `w`.
#[inline]
pub fn lock(w: &AtomicU32) {
    if w.compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        lock_slow(w);
    }
}

#[cold]
fn lock_slow(w: &AtomicU32) {
    let limit = wait::spin_limit();
    let mut spins = 0u64;
    loop {
        let v = w.load(Ordering::Relaxed);
        if v == UNLOCKED {
            if w.compare_exchange_weak(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
            continue;
        }
        if spins >= limit {
            break;
        }
        wait::spin_step(spins);
        spins += 1;
    }
    // Sleep, marking the word contended so that unlock wakes us. Having
    // swapped in CONTENDED, we must keep it when we get the lock: other
    // sleepers may remain.
    while w.swap(CONTENDED, Ordering::Acquire) != UNLOCKED {
        sys::futex_wait(w, CONTENDED);
    }
}

/// Tries to lock; `true` on success.
#[inline]
pub fn try_lock(w: &AtomicU32) -> bool {
    w.compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
}

/// Unlocks.
#[inline]
pub fn unlock(w: &AtomicU32) {
    if w.swap(UNLOCKED, Ordering::Release) == CONTENDED {
        // Cold: the common unlock then returns straight after the exchange,
        // with no taken jump. Under contention the unlocking thread's path
        // from this exchange to its next lock decides how often the lock
        // changes hands.
        std::hint::cold_path();
        sys::futex_wake(w, 1);
    }
}

/// A mutex that owns its word.
pub struct Mutex(AtomicU32);

impl Mutex {
    pub const fn new() -> Mutex {
        Mutex(AtomicU32::new(UNLOCKED))
    }
    #[inline]
    pub fn lock(&self) {
        lock(&self.0)
    }
    #[inline]
    pub fn unlock(&self) {
        unlock(&self.0)
    }
}

impl Default for Mutex {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn excludes_under_contention() {
        wait::configure(20, 20, 2);
        let m = Arc::new(Mutex::new());
        let count = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let hs: Vec<_> = (0..4)
            .map(|_| {
                let (m, count) = (m.clone(), count.clone());
                std::thread::spawn(move || {
                    for _ in 0..20_000 {
                        m.lock();
                        // A non-atomic read-modify-write: lost updates show
                        // up if two threads are ever inside together.
                        let v = count.load(Ordering::Relaxed);
                        count.store(v + 1, Ordering::Relaxed);
                        m.unlock();
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        assert_eq!(count.load(Ordering::Relaxed), 80_000);
    }
}
