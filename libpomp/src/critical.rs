//! `critical` (unnamed and named) and the fallback for `atomic` constructs
//! the compiler cannot make lock-free (libgomp's critical.c).

use std::sync::atomic::AtomicU32;

use crate::arch::CachePadded;
use crate::mutex::{self, Mutex};

// Each on a line of its own: a program whose threads contend for the
// unnamed critical and the atomic fallback at once would otherwise bounce
// one line between both, and the runtime's statics beside them (read at
// every fork) would move with it.
static DEFAULT_CRITICAL: CachePadded<Mutex> = CachePadded(Mutex::new());
static ATOMIC: CachePadded<Mutex> = CachePadded(Mutex::new());

/// `GOMP_critical_start`.
#[inline]
pub fn start() {
    if crate::dist::on() {
        return crate::dist::critical_start();
    }
    DEFAULT_CRITICAL.lock();
}

/// `GOMP_critical_end`.
#[inline]
pub fn end() {
    if crate::dist::on() {
        return crate::dist::critical_end();
    }
    DEFAULT_CRITICAL.unlock();
}

/// `GOMP_critical_name_start`: `slot` is the pointer-sized, zero-initialised
/// common symbol GCC emits per critical name (`.gomp_critical_user_NAME`);
/// its first four bytes are the mutex word.
#[inline]
pub fn name_start(slot: &AtomicU32) {
    if crate::dist::on() {
        // Keyed by the name's address (equal on every node), never by
        // touching the word.
        return crate::dist::lock(slot as *const AtomicU32 as u64);
    }
    mutex::lock(slot);
}

/// `GOMP_critical_name_end`.
#[inline]
pub fn name_end(slot: &AtomicU32) {
    if crate::dist::on() {
        return crate::dist::unlock(slot as *const AtomicU32 as u64);
    }
    mutex::unlock(slot);
}

/// `GOMP_atomic_start`.
#[inline]
pub fn atomic_start() {
    if crate::dist::on() {
        return crate::dist::atomic_start();
    }
    ATOMIC.lock();
}

/// `GOMP_atomic_end`.
#[inline]
pub fn atomic_end() {
    if crate::dist::on() {
        return crate::dist::atomic_end();
    }
    ATOMIC.unlock();
}
