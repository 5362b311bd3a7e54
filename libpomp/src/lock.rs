//! OpenMP locks inside the program's own storage (libgomp's lock.c):
//! `omp_lock_t` is GCC's 4-byte type and holds a [`crate::mutex`] word;
//! `omp_nest_lock_t` is 16 bytes and holds [`NestLock`].
//!
//! Nestable locks belong to a task (OpenMP 3.0 onwards). The OpenMP 2.5
//! nestable lock (`omp_*_nest_lock@OMP_1.0`, 8 bytes) belongs to a thread;
//! [`NestLock25`] keeps those old binaries working.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use crate::mutex;
use crate::{sys, thread};

/// `omp_init_lock`.
pub fn init(w: &AtomicU32) {
    w.store(0, Ordering::Relaxed);
}

/// `omp_set_lock`.
#[inline]
pub fn set(w: &AtomicU32) {
    if crate::dist::on() {
        // Across nodes the lock is node 0's, keyed by the lock's address:
        // the word's page never travels for it.
        return crate::dist::lock(w as *const AtomicU32 as u64);
    }
    mutex::lock(w);
}

/// `omp_unset_lock`.
#[inline]
pub fn unset(w: &AtomicU32) {
    if crate::dist::on() {
        return crate::dist::unlock(w as *const AtomicU32 as u64);
    }
    mutex::unlock(w);
}

/// `omp_test_lock`.
#[inline]
pub fn test(w: &AtomicU32) -> bool {
    if crate::dist::on() {
        return crate::dist::try_lock(w as *const AtomicU32 as u64);
    }
    mutex::try_lock(w)
}

/// The layout of GCC's 16-byte, 8-aligned `omp_nest_lock_t` as pomp uses it.
#[repr(C)]
pub struct NestLock {
    lock: AtomicU32,
    /// Nesting depth; touched only by the owner.
    count: AtomicU32,
    /// The owning task, 0 when unlocked.
    owner: AtomicUsize,
}

const _: () = assert!(std::mem::size_of::<NestLock>() == 16);

/// The identity of the task executing on the calling thread, never 0.
fn current_task() -> usize {
    crate::task::current_ident(thread::current())
}

impl Default for NestLock {
    fn default() -> Self {
        Self::new()
    }
}

impl NestLock {
    /// An unlocked lock.
    pub const fn new() -> NestLock {
        NestLock {
            lock: AtomicU32::new(0),
            count: AtomicU32::new(0),
            owner: AtomicUsize::new(0),
        }
    }

    /// `omp_init_nest_lock`.
    pub fn init(&self) {
        self.lock.store(0, Ordering::Relaxed);
        self.count.store(0, Ordering::Relaxed);
        self.owner.store(0, Ordering::Relaxed);
    }

    fn key(&self) -> u64 {
        self as *const NestLock as u64
    }

    /// `omp_set_nest_lock`.
    pub fn set(&self) {
        let me = current_task();
        if crate::dist::on() {
            return crate::dist::nest_set(self.key(), me);
        }
        if self.owner.load(Ordering::Relaxed) == me {
            self.count.fetch_add(1, Ordering::Relaxed);
            return;
        }
        mutex::lock(&self.lock);
        self.owner.store(me, Ordering::Relaxed);
        self.count.store(1, Ordering::Relaxed);
    }

    /// `omp_unset_nest_lock`.
    pub fn unset(&self) {
        if crate::dist::on() {
            return crate::dist::nest_unset(self.key());
        }
        if self.count.fetch_sub(1, Ordering::Relaxed) == 1 {
            self.owner.store(0, Ordering::Relaxed);
            mutex::unlock(&self.lock);
        }
    }

    /// `omp_test_nest_lock`: the new nesting count, or 0.
    pub fn test(&self) -> i32 {
        let me = current_task();
        if crate::dist::on() {
            return crate::dist::nest_test(self.key(), me);
        }
        if self.owner.load(Ordering::Relaxed) == me {
            return self.count.fetch_add(1, Ordering::Relaxed) as i32 + 1;
        }
        if mutex::try_lock(&self.lock) {
            self.owner.store(me, Ordering::Relaxed);
            self.count.store(1, Ordering::Relaxed);
            1
        } else {
            0
        }
    }
}

/// The OpenMP 2.5 nestable lock: 8 bytes, owned by a thread; the owner's
/// kernel thread id is also the futex word.
#[repr(C)]
pub struct NestLock25 {
    owner: AtomicU32,
    count: AtomicU32,
}

const _: () = assert!(std::mem::size_of::<NestLock25>() == 8);

impl NestLock25 {
    pub fn init(&self) {
        self.owner.store(0, Ordering::Relaxed);
        self.count.store(0, Ordering::Relaxed);
    }

    fn key(&self) -> u64 {
        self as *const NestLock25 as u64
    }

    pub fn set(&self) {
        let me = sys::gettid();
        if crate::dist::on() {
            return crate::dist::nest_set(self.key(), me as usize);
        }
        if self.owner.load(Ordering::Relaxed) == me {
            self.count.fetch_add(1, Ordering::Relaxed);
            return;
        }
        loop {
            match self
                .owner
                .compare_exchange(0, me, Ordering::Acquire, Ordering::Relaxed)
            {
                Ok(_) => break,
                Err(other) => sys::futex_wait(&self.owner, other),
            }
        }
        self.count.store(1, Ordering::Relaxed);
    }

    pub fn unset(&self) {
        if crate::dist::on() {
            return crate::dist::nest_unset(self.key());
        }
        if self.count.fetch_sub(1, Ordering::Relaxed) == 1 {
            self.owner.store(0, Ordering::Release);
            sys::futex_wake(&self.owner, 1);
        }
    }

    pub fn test(&self) -> i32 {
        let me = sys::gettid();
        if crate::dist::on() {
            return crate::dist::nest_test(self.key(), me as usize);
        }
        if self.owner.load(Ordering::Relaxed) == me {
            return self.count.fetch_add(1, Ordering::Relaxed) as i32 + 1;
        }
        if self
            .owner
            .compare_exchange(0, me, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            self.count.store(1, Ordering::Relaxed);
            1
        } else {
            0
        }
    }
}
