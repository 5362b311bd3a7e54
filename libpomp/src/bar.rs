//! Team barriers: the in-region barrier and the end-of-region join.
//!
//! A barrier is split into a gather (every thread announces its arrival) and
//! a release (waiting threads may go on). Two gather algorithms, picked per
//! region from the team size by [`Algorithm::for_team`]:
//!
//! - **Central**: one arrival counter on a cache line of its own; the last
//!   thread to arrive releases. With two threads this costs two cache-line
//!   transfers (the counter to the last arriver, the release word back to
//!   the waiter), the minimum for any barrier.
//! - **Tree**: thread `t` waits for its children `4t+1 ..= 4t+4`, then posts
//!   its own arrival for its parent; thread 0 releases. No line is written by
//!   more than five threads, so large teams do not queue on one counter.
//!
//! The release is always one generation word that every waiter watches
//! ([`Barrier::gen`]): bits 3.. count generations, bit 2 says explicit tasks
//! were queued (waiters then help run them), bit 1 says the region was
//! cancelled, bit 0 is the wait policy's [`wait::SLEEPING`] bit. The
//! releasing thread first runs tasks until none is outstanding
//! ([`TaskHooks::drain`]), so a barrier completes only with every task of
//! the team.
//!
//! The join at the end of a region is only a gather towards thread 0 (the
//! primary thread): workers arrive and go back to the team's dock, and the
//! release is the next region's fork. It has its own counter and flags, so a
//! cancelled region (whose threads skipped in-region barriers) still joins
//! exactly once.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::arch::CachePadded;
use crate::wait::{self, EventCount, SLEEPING};

/// How the gather is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    Central,
    Tree,
}

/// Teams up to this size use the central counter.
const CENTRAL_MAX: u32 = 8;
/// Children per node of the gather tree.
const RADIX: u32 = 4;

impl Algorithm {
    /// The algorithm for a team of `n`, unless `POMP_BARRIER` forces one.
    pub fn for_team(n: u32, forced: Option<Algorithm>) -> Algorithm {
        forced.unwrap_or(if n <= CENTRAL_MAX {
            Algorithm::Central
        } else {
            Algorithm::Tree
        })
    }
}

/// Bit 1 of the generation word: the region was cancelled; every barrier of
/// it returns at once.
pub const CANCELLED: u32 = 2;
/// Bit 2: explicit tasks were queued during this barrier generation.
const TASKS: u32 = 4;
const FLAGS: u32 = SLEEPING | CANCELLED | TASKS;
const GEN_ONE: u32 = 8;

/// What a barrier needs from the task scheduler.
pub trait TaskHooks {
    /// The releasing thread: run tasks until none is outstanding.
    fn drain(&self);
    /// A waiting thread: run tasks until `released()`.
    fn help(&self, released: &dyn Fn() -> bool);
    /// After a release during which tasks were queued: wake the helpers.
    fn released(&self);
}

/// For barriers of teams that never run explicit tasks (tests).
pub struct NoTasks;

impl TaskHooks for NoTasks {
    fn drain(&self) {}
    fn help(&self, _: &dyn Fn() -> bool) {}
    fn released(&self) {}
}

/// Per-thread slots of the tree algorithm.
#[derive(Default)]
struct Slot {
    /// The epoch of the last in-region barrier this thread (and its subtree)
    /// arrived at.
    bar: AtomicU64,
    /// The region number of the last join this thread (and its subtree)
    /// arrived at.
    join: AtomicU64,
    /// Where this thread sleeps while waiting for its children.
    children: EventCount,
}

pub struct Barrier {
    /// Release word of the in-region barrier.
    gen: CachePadded<AtomicU32>,
    /// Central gather counter of the in-region barrier.
    arrived: CachePadded<AtomicU32>,
    /// Central gather counter of the join: arrivals << 1 | SLEEPING (thread
    /// 0 sleeps on it when workers are slow).
    join: CachePadded<AtomicU32>,
    /// Tree slots, one per thread of the team's capacity. Resized only by the
    /// primary thread between regions, when no other thread touches them.
    slots: UnsafeCell<Vec<CachePadded<Slot>>>,
    /// Team size and algorithm of the current region; written by the primary
    /// thread at fork, before the release that makes workers read them.
    nthreads: AtomicU32,
    algorithm: UnsafeCell<Algorithm>,
}

// SAFETY: the UnsafeCells are written only by the primary thread in
// `prepare`, which the team protocol runs while every other thread of the
// team is docked (not inside any barrier method); the dock's release/acquire
// orders those writes before any worker's reads.
unsafe impl Sync for Barrier {}

impl Barrier {
    pub fn new() -> Barrier {
        Barrier {
            gen: CachePadded(AtomicU32::new(0)),
            arrived: CachePadded(AtomicU32::new(0)),
            join: CachePadded(AtomicU32::new(0)),
            slots: UnsafeCell::new(Vec::new()),
            nthreads: AtomicU32::new(1),
            algorithm: UnsafeCell::new(Algorithm::Central),
        }
    }

    /// Sets the barrier up for a region of `n` threads. The primary thread
    /// calls this at fork, while no other thread uses the barrier.
    ///
    /// # Safety
    /// No other thread may be inside any method of this barrier, and the
    /// caller must publish the change with a release that the team's other
    /// threads acquire before they use the barrier.
    pub unsafe fn prepare(&self, n: u32, algorithm: Algorithm) {
        // Each store is skipped when the value is already right, so that
        // lines the workers hold stay shared.
        if self.nthreads.load(Ordering::Relaxed) != n {
            self.nthreads.store(n, Ordering::Relaxed);
        }
        let g = self.gen.load(Ordering::Relaxed);
        if g & FLAGS != 0 {
            // The last region was cancelled (threads may have left the
            // in-region barrier mid-way) or a waiter slept: start clean.
            self.arrived.store(0, Ordering::Relaxed);
            self.gen.store(g & !FLAGS, Ordering::Relaxed);
        }
        // The join counter is reset by `join_wait` itself.
        // SAFETY: per this function's contract nobody else accesses the cells.
        unsafe {
            if *self.algorithm.get() != algorithm {
                *self.algorithm.get() = algorithm;
            }
            let slots = &mut *self.slots.get();
            if algorithm == Algorithm::Tree && slots.len() < n as usize {
                slots.resize_with(n as usize, Default::default);
            }
        }
    }

    #[inline]
    fn algorithm(&self) -> Algorithm {
        // SAFETY: written only in `prepare`, which happens-before every call
        // of the barrier methods (see `prepare`'s contract).
        unsafe { *self.algorithm.get() }
    }

    #[inline]
    fn slots(&self) -> &[CachePadded<Slot>] {
        // SAFETY: as for `algorithm`: stable while the region runs.
        unsafe { &*self.slots.get() }
    }

    /// The team size of the current region.
    #[inline]
    pub fn nthreads(&self) -> u32 {
        self.nthreads.load(Ordering::Relaxed)
    }

    /// Whether the current region has been cancelled.
    #[inline]
    pub fn cancelled(&self) -> bool {
        self.gen.load(Ordering::Acquire) & CANCELLED != 0
    }

    /// A task was queued: threads waiting in this barrier should help.
    #[inline]
    pub fn signal_tasks(&self) {
        if self.gen.load(Ordering::Relaxed) & TASKS == 0 {
            let prev = self.gen.fetch_or(TASKS, Ordering::SeqCst);
            wait::wake(&self.gen, prev);
        }
    }

    /// Marks the region cancelled and wakes every thread waiting in an
    /// in-region barrier, which then returns `true`.
    pub fn cancel(&self) {
        let prev = self.gen.fetch_or(CANCELLED, Ordering::AcqRel);
        wait::wake(&self.gen, prev);
        if self.algorithm() == Algorithm::Tree {
            for s in self.slots() {
                s.children.notify_all();
            }
        }
    }

    /// The in-region barrier. `tid` is the caller's thread number and
    /// `epoch` a value unique to this barrier instance (equal on every
    /// thread: the region number and the count of barriers so far). The last
    /// thread to arrive runs `on_release` before releasing the others.
    /// Returns `true` if the region was cancelled instead.
    #[inline]
    pub fn wait(
        &self,
        tid: u32,
        epoch: u64,
        on_release: impl FnOnce(),
        tasks: &dyn TaskHooks,
    ) -> bool {
        let n = self.nthreads();
        let g = self.gen.load(Ordering::Acquire);
        if g & CANCELLED != 0 {
            return true;
        }
        if n == 1 {
            tasks.drain();
            on_release();
            // Cancelled meanwhile: see below.
            return self.cancelled();
        }
        match self.algorithm() {
            Algorithm::Central => {
                if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == n {
                    self.arrived.store(0, Ordering::Relaxed);
                    tasks.drain();
                    on_release();
                    if self.cancelled() {
                        // Cancelled meanwhile (a distributed team learns it
                        // from another node while `on_release` waits for
                        // the other nodes): the waiters left already.
                        return true;
                    }
                    self.release(g, tasks);
                    false
                } else {
                    self.await_release(g, tasks)
                }
            }
            Algorithm::Tree => {
                if self.gather_tree(tid, n, |s| &s.bar, epoch) {
                    return true;
                }
                if tid == 0 {
                    tasks.drain();
                    on_release();
                    if self.cancelled() {
                        return true;
                    }
                    self.release(g, tasks);
                    false
                } else {
                    self.await_release(g, tasks)
                }
            }
        }
    }

    /// Bumps the generation, keeping CANCELLED, and wakes sleepers.
    #[inline]
    fn release(&self, seen: u32, tasks: &dyn TaskHooks) {
        let mut cur = self.gen.load(Ordering::Relaxed);
        loop {
            let new = (((seen & !FLAGS).wrapping_add(GEN_ONE)) & !FLAGS) | (cur & CANCELLED);
            match self
                .gen
                .compare_exchange_weak(cur, new, Ordering::Release, Ordering::Relaxed)
            {
                Ok(prev) => {
                    wait::wake(&self.gen, prev);
                    if prev & TASKS != 0 {
                        tasks.released();
                    }
                    return;
                }
                Err(v) => cur = v,
            }
        }
    }

    /// Waits until generation `seen` is over, helping with tasks when some
    /// are queued; `true` if it ended by cancellation.
    #[inline]
    fn await_release(&self, seen: u32, tasks: &dyn TaskHooks) -> bool {
        let over = |v: u32| (v & !FLAGS) != (seen & !FLAGS) || v & CANCELLED != 0;
        loop {
            let v = wait::wait_until(&self.gen, |v| over(v) || v & TASKS != 0);
            if over(v) {
                return (v & !FLAGS) == (seen & !FLAGS);
            }
            tasks.help(&|| over(self.gen.load(Ordering::Acquire)));
        }
    }

    /// Tree gather: waits for `tid`'s children to reach `epoch` in the field
    /// `field` picks, then posts `tid`'s own arrival. Returns `true` if the
    /// region was cancelled meanwhile (only in-region barriers care).
    fn gather_tree(
        &self,
        tid: u32,
        n: u32,
        field: impl Fn(&Slot) -> &AtomicU64,
        epoch: u64,
    ) -> bool {
        let slots = self.slots();
        let first = tid.saturating_mul(RADIX).saturating_add(1);
        for c in first..first.saturating_add(RADIX).min(n) {
            let child = field(&slots[c as usize]);
            slots[tid as usize].children.wait_for(|| {
                child.load(Ordering::Acquire) == epoch
                    || self.gen.load(Ordering::Relaxed) & CANCELLED != 0
            });
            if child.load(Ordering::Acquire) != epoch {
                return true;
            }
        }
        if tid != 0 {
            field(&slots[tid as usize]).store(epoch, Ordering::Release);
            slots[((tid - 1) / RADIX) as usize].children.notify_all();
        }
        false
    }

    /// A worker's arrival at the join of region `region`. After this the
    /// worker must not touch the team until the next fork.
    #[inline]
    pub fn join_arrive(&self, tid: u32, region: u64) {
        match self.algorithm() {
            Algorithm::Central => {
                let prev = self.join.fetch_add(2, Ordering::Release);
                wait::wake(&self.join, prev);
            }
            Algorithm::Tree => {
                let n = self.nthreads();
                self.gather_tree(tid, n, |s| &s.join, region);
            }
        }
    }

    /// Thread 0's side of the join: returns once every worker has arrived.
    #[inline]
    pub fn join_wait(&self, region: u64) {
        let n = self.nthreads();
        if n == 1 {
            return;
        }
        match self.algorithm() {
            Algorithm::Central => {
                let want = (n - 1) << 1;
                wait::wait_until(&self.join, |v| v & !SLEEPING == want);
                self.join.store(0, Ordering::Relaxed);
            }
            Algorithm::Tree => {
                self.gather_tree(0, n, |s| &s.join, region);
            }
        }
    }
}

impl Default for Barrier {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    /// Runs `rounds` barriers with `n` threads; between barriers every
    /// thread checks that all others finished the previous phase.
    fn phases(n: u32, algorithm: Algorithm, rounds: u64) {
        wait::configure(50, 50, 2);
        let bar = Arc::new(Barrier::new());
        // SAFETY: no thread uses the barrier yet.
        unsafe { bar.prepare(n, algorithm) };
        let count = Arc::new(AtomicUsize::new(0));
        let releases = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..n)
            .map(|tid| {
                let (bar, count, releases) = (bar.clone(), count.clone(), releases.clone());
                std::thread::spawn(move || {
                    for r in 1..=rounds {
                        count.fetch_add(1, Ordering::Relaxed);
                        let c = bar.wait(
                            tid,
                            r,
                            || {
                                releases.fetch_add(1, Ordering::Relaxed);
                            },
                            &NoTasks,
                        );
                        assert!(!c);
                        let seen = count.load(Ordering::Relaxed);
                        assert!(seen >= (r * n as u64) as usize, "round {r}: saw {seen}");
                        // Second barrier so nobody races ahead into the next
                        // round's increments before all have checked.
                        bar.wait(tid, r + 1_000_000, || {}, &NoTasks);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(releases.load(Ordering::Relaxed), rounds as usize);
    }

    #[test]
    fn central_barrier_separates_phases() {
        phases(4, Algorithm::Central, 300);
    }

    #[test]
    fn tree_barrier_separates_phases() {
        phases(11, Algorithm::Tree, 100);
    }

    #[test]
    fn cancel_releases_waiters() {
        wait::configure(10, 10, 2);
        for algorithm in [Algorithm::Central, Algorithm::Tree] {
            let bar = Arc::new(Barrier::new());
            // SAFETY: no thread uses the barrier yet.
            unsafe { bar.prepare(3, algorithm) };
            let hs: Vec<_> = (1..3)
                .map(|tid| {
                    let bar = bar.clone();
                    std::thread::spawn(move || bar.wait(tid, 1, || {}, &NoTasks))
                })
                .collect();
            std::thread::sleep(std::time::Duration::from_millis(20));
            bar.cancel();
            for h in hs {
                assert!(h.join().unwrap(), "{algorithm:?}: waiter not cancelled");
            }
            assert!(
                bar.wait(0, 2, || {}, &NoTasks),
                "later barriers return at once"
            );
        }
    }

    #[test]
    fn join_gathers_all_workers() {
        wait::configure(10, 10, 2);
        for (n, algorithm) in [(3, Algorithm::Central), (13, Algorithm::Tree)] {
            let bar = Arc::new(Barrier::new());
            for region in 1..=20u64 {
                // SAFETY: all workers of the previous round have joined (and
                // been joined by this thread) before prepare.
                unsafe { bar.prepare(n, algorithm) };
                let done = Arc::new(AtomicUsize::new(0));
                let hs: Vec<_> = (1..n)
                    .map(|tid| {
                        let (bar, done) = (bar.clone(), done.clone());
                        std::thread::spawn(move || {
                            done.fetch_add(1, Ordering::Relaxed);
                            bar.join_arrive(tid, region);
                        })
                    })
                    .collect();
                bar.join_wait(region);
                assert_eq!(done.load(Ordering::Relaxed), (n - 1) as usize);
                for h in hs {
                    h.join().unwrap();
                }
            }
        }
    }
}
