//! Work shares: the shared state of one work-sharing construct (libgomp's
//! work.c).
//!
//! Every thread of a team meets the same sequence of work-sharing constructs,
//! so constructs are numbered (1, 2, 3 ... across the team's regions) and
//! construct `k` lives in slot `k % RING` of the team's ring. With `nowait`,
//! fast threads may be several constructs ahead of slow ones; the ring lets
//! up to [`RING`] constructs be in flight at once. A thread that gets
//! further ahead waits until the slot's previous construct is finished.
//!
//! Each slot carries three construct numbers:
//! - `claimed`: the construct whose first thread is (or was) setting it up;
//! - `ready`: the construct whose set-up is complete;
//! - `released`: the last construct every thread has left with `nowait`.
//!
//! A construct that ends in a barrier is not counted out thread by thread:
//! when the barrier completes, every construct up to the releasing thread's
//! number is finished, and the releasing thread records that in `done_upto`
//! (see [`WorkShares::barrier_passed`]).

use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;

use crate::arch::CachePadded;
use crate::icv::SchedKind;
use crate::ordered::Doacross;
use crate::wait::EventCount;

/// Constructs that may be in flight at once in one team.
pub const RING: usize = 16;

/// A loop's iteration space and schedule, as the first thread set it up.
/// Iterations are numbered 0..n ("logical"); `start`, `incr`, `end` are the
/// bit patterns of the program's `long` or `unsigned long long` values, so
/// one wrapping formula maps both kinds back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopSpec {
    pub kind: SchedKind,
    /// Iterations per chunk; 0 with `Static` means one block per thread.
    pub chunk: u64,
    pub n: u64,
    pub start: u64,
    pub incr: u64,
    pub end: u64,
    pub nthreads: u32,
    pub ordered: bool,
    /// `fetch_add` on the shared counter can never overflow.
    pub fast_add: bool,
    /// Which hand-out path `GOMP_loop_*_next` may take without the
    /// thread's cursor; set by [`WorkShare::init`] from the rest.
    pub fast: FastNext,
    /// Distributed loops: the global number of this node's first thread
    /// (static schedules count threads from it; `nthreads` is then the
    /// team's size across nodes).
    pub tid_base: u32,
    /// Distributed loops: the construct's key at node 0's manager (region
    /// and construct number), 0 for a node-local loop. Dynamic and guided
    /// loops claim blocks of iterations with it, ordered loops pass the
    /// turn with it.
    pub dist_key: u64,
    /// Distributed loops: this node's threads and the team's size.
    pub dist_local: u32,
    pub dist_total: u32,
    /// The program allows a nonmonotonic hand-out (`schedule(dynamic)`
    /// without the `monotonic` modifier, OpenMP 5.0's default): threads
    /// may take chunks from ranges of their own and steal from each other
    /// ([`take_own`]). Used where [`FastNext::of`] picks it.
    pub steal: bool,
    /// Stealing loops: the number of the last chunk, which is in no range
    /// (set by [`LoopSpec::prepare`], as are the next three).
    pub last_chunk: u64,
    /// Stealing loops: `chunk * incr`, wrapping: the distance in the
    /// program's values from one chunk's start to the next's.
    pub chunk_incr: u64,
    /// Stealing loops: the chunks of a thread's range at the start,
    /// `last_chunk / nthreads`, and how many of the ranges (the last ones)
    /// hold one chunk more, `last_chunk % nthreads`.
    pub range_len: u64,
    pub long_ranges: u64,
}

/// The chunk hand-outs that need nothing but the shared counter: the hot
/// path of `GOMP_loop_*_next` tests this one byte instead of the schedule,
/// `ordered`, the distribution key and the overflow guard one by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FastNext {
    /// Anything else: static, ordered, distributed, or a counter that could
    /// overflow with `fetch_add`.
    No,
    /// Dynamic: one `fetch_add` of the chunk size.
    Dynamic,
    /// Guided: a compare-and-swap loop on the counter.
    Guided,
    /// Nonmonotonic dynamic: chunks from the thread's own range, then
    /// stolen from the others' ([`take_own`]); no shared counter.
    Steal,
}

/// Chunks a stealing loop may have: a range's bounds are 32 bits each; a
/// thread's takes from an empty range push its low bound past the high
/// one, and `TOOK_LAST` must stay above every bound.
pub const STEAL_MAX_CHUNKS: u64 = 1 << 31;

/// Chunks per thread below which a nonmonotonic loop keeps the counter.
pub const STEAL_MIN_PER_THREAD: u64 = 4;

/// A range of chunks `lo..hi` in one word: the owner takes from `lo` with
/// one `fetch_add`, thieves lower `hi` with a compare-and-swap.
#[inline]
pub fn pack(lo: u64, hi: u64) -> u64 {
    (hi << 32) | lo
}

#[inline]
fn unpack(w: u64) -> (u64, u64) {
    (w & 0xffff_ffff, w >> 32)
}

/// A thread's range after it took the loop's last chunk: empty, and
/// marked so that the thread takes nothing more.
const TOOK_LAST: u64 = 1 << 31;

/// One thread's range of a stealing loop, with the construct it belongs
/// to. The ranges are set up by the threads themselves, not by the
/// construct's first one: each thread makes its own range the construct's
/// when it enters the loop, or a thief does so first for a thread that has
/// not arrived yet ([`StealRange::make_current`]), so that no thread waits
/// for another's set-up and each range's line stays with its owner.
#[derive(Default)]
pub struct StealRange {
    /// The chunks `lo..hi` still in the range, packed by [`pack`].
    pub w: AtomicU64,
    /// `2k` once the range is construct `k`'s, `2k + 1` while a thread is
    /// making it so; anything lower: a construct every thread has left.
    gen: AtomicU64,
}

impl StealRange {
    /// Makes this range thread `t`'s of construct `k`, whose loop is
    /// `spec`, unless it is already or another thread is doing that now.
    /// Returns whether it is construct `k`'s (`false`: being set up).
    ///
    /// A range is set up once per construct: the thread whose
    /// compare-and-swap moves `gen` from an older construct to `2k + 1`
    /// writes it and then publishes `2k` (release; a reader's acquire of
    /// `2k` sees the range). The older construct is finished by every
    /// thread (the slot is not entered for `k` before that), so nobody
    /// takes from the old value any more.
    #[inline]
    pub fn make_current(&self, spec: &LoopSpec, t: usize, k: u64) -> bool {
        let g = self.gen.load(Ordering::Acquire);
        if g == 2 * k {
            return true;
        }
        // (Any other value but 2k + 1 is an older construct's: numbers only
        // grow. Were one ever higher, taking it over still beats a hang.)
        if g == 2 * k + 1
            || self
                .gen
                .compare_exchange(g, 2 * k + 1, Ordering::Acquire, Ordering::Acquire)
                .is_err()
        {
            return self.gen.load(Ordering::Acquire) == 2 * k;
        }
        let (lo, hi) = spec.initial_range(t as u64);
        self.w.store(pack(lo, hi), Ordering::Relaxed);
        self.gen.store(2 * k, Ordering::Release);
        true
    }

    /// [`make_current`](Self::make_current) for the range's owner, which
    /// must have it: waits out a thief that is setting it up (a few
    /// stores; the wait yields now and then in case the thief lost its CPU
    /// in between).
    #[inline]
    pub fn own(&self, spec: &LoopSpec, t: usize, k: u64) {
        let mut i = 0;
        while !self.make_current(spec, t, k) {
            crate::wait::spin_step(i);
            i += 1;
        }
    }
}

/// The stealing hand-out: a thread takes the next chunk of its own range
/// ([`take_own`]), and once that is empty steals from the others' and at
/// last takes the loop's last chunk ([`steal_from_others`]);
/// `GOMP_loop_*_next` runs the first step inline. The thread's own range is
/// construct `k`'s already ([`StealRange::own`]).
///
/// The ranges hold every chunk but the last. Each is handed out once: the
/// owner's `fetch_add` and a thief's compare-and-swap are atomic on the
/// same word, so of the two only one gets a contested chunk (the thief
/// takes `mid..hi` with `mid > lo` or, from a one-chunk range, the chunk
/// itself, and the owner then reads an empty range). A thief keeps the
/// rest of what it took in its own range, which it only writes while that
/// range is empty: a stale compare-and-swap on it cannot succeed, since no
/// chunk, once handed out, is in any range again, so a non-empty value
/// never repeats. A thread that finds every range empty may miss chunks a
/// thief is about to put in its own range, or those of a range another
/// thread is just setting up; the thief, or the range's owner (every
/// thread of the team enters the loop), runs them, so nothing is lost,
/// only not shared.
///
/// The loop's last chunk goes, once (`last_taken` swapped to `k`), to the
/// first thread that finds every range empty, and that thread takes
/// nothing after it. Chunks may come in any order otherwise (the schedule
/// is nonmonotonic), but GCC's code for `lastprivate` takes the values of
/// the thread whose last chunk ended the loop: the thread that ran the
/// loop's last chunk must run nothing after it.
///
/// This first step: the next chunk of the thread's own range `own`, or,
/// where it is empty, the low bound the take read (for
/// [`steal_from_others`]).
#[inline(always)]
pub fn take_own(own: &AtomicU64) -> Result<u64, u64> {
    let (lo, hi) = unpack(own.fetch_add(1, Ordering::Relaxed));
    if lo < hi {
        Ok(lo)
    } else {
        Err(lo)
    }
}

/// The second step of the hand-out (see [`take_own`]), once the thread's
/// own range is empty (`lo` is what its take read as its low bound).
#[inline(never)]
pub fn steal_from_others(
    ranges: &[CachePadded<StealRange>],
    last_taken: &AtomicU64,
    spec: &LoopSpec,
    me: usize,
    lo: u64,
    k: u64,
) -> Option<u64> {
    if lo >= TOOK_LAST {
        return None;
    }
    let own = &ranges[me].w;
    let n = ranges.len();
    for d in 1..n {
        let t = (me + d) % n;
        let v = &ranges[t];
        // A thread that has not entered the loop yet: set its range up
        // for it and steal from it all the same.
        if !v.make_current(spec, t, k) {
            continue;
        }
        let v = &v.w;
        let mut w = v.load(Ordering::Relaxed);
        loop {
            let (lo, hi) = unpack(w);
            if lo >= hi {
                break;
            }
            // The upper half, rounded down: all of a one-chunk range.
            let mid = lo + (hi - lo) / 2;
            match v.compare_exchange_weak(w, pack(lo, mid), Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => {
                    if mid + 1 < hi {
                        own.store(pack(mid + 1, hi), Ordering::Relaxed);
                    }
                    return Some(mid);
                }
                Err(x) => w = x,
            }
        }
    }
    if spec.n > 0 && last_taken.swap(k, Ordering::Relaxed) != k {
        own.store(pack(TOOK_LAST, 0), Ordering::Relaxed);
        return Some(spec.last_chunk);
    }
    None
}

/// Whether a loop of `n` iterations in chunks of `chunk` has from
/// `STEAL_MIN_PER_THREAD` chunks a thread up to (not including)
/// `STEAL_MAX_CHUNKS` chunks. By multiplication: the set-up runs while the
/// other threads wait, and a division costs tens of cycles.
#[inline]
fn steal_sized(n: u64, chunk: u64, nthreads: u32) -> bool {
    let c = chunk.max(1);
    let min = STEAL_MIN_PER_THREAD * u64::from(nthreads);
    // chunks >= min  <=>  n > (min - 1) * c;
    // chunks < MAX   <=>  n <= (MAX - 1) * c.
    (min - 1).checked_mul(c).is_some_and(|x| n > x)
        && (STEAL_MAX_CHUNKS - 1).checked_mul(c).is_none_or(|x| n <= x)
}

impl FastNext {
    fn of(spec: &LoopSpec) -> FastNext {
        if spec.ordered || spec.dist_key != 0 {
            return FastNext::No;
        }
        match spec.kind {
            // One thread has nobody to steal from; more chunks than a
            // range's 32-bit bounds hold take the counter; so do loops of
            // fewer than STEAL_MIN_PER_THREAD chunks a thread, where the
            // ranges' set-up and the search for a victim at the end cost
            // more than the few atomics on the counter they save.
            SchedKind::Dynamic
                if spec.steal
                    && spec.nthreads > 1
                    && steal_sized(spec.n, spec.chunk, spec.nthreads) =>
            {
                FastNext::Steal
            }
            SchedKind::Dynamic if spec.fast_add => FastNext::Dynamic,
            SchedKind::Guided => FastNext::Guided,
            _ => FastNext::No,
        }
    }
}

/// A node's block of a distributed dynamic or guided loop: iterations
/// `lo..hi` are this node's to hand out; `done` once node 0 has none left.
#[derive(Default)]
pub struct Block {
    pub lo: u64,
    pub hi: u64,
    pub done: bool,
}

impl LoopSpec {
    pub const EMPTY: LoopSpec = LoopSpec {
        kind: SchedKind::Static,
        chunk: 0,
        n: 0,
        start: 0,
        incr: 1,
        end: 0,
        nthreads: 1,
        ordered: false,
        fast_add: true,
        fast: FastNext::No,
        tid_base: 0,
        dist_key: 0,
        dist_local: 0,
        dist_total: 0,
        steal: false,
        last_chunk: 0,
        chunk_incr: 0,
        range_len: 0,
        long_ranges: 0,
    };

    /// The spec with what derives from the rest filled in: the hand-out
    /// path `fast` (whatever the caller put there) and, for a stealing
    /// loop, its last chunk and the ranges' split. Every thread of a
    /// stealing loop computes this from its own arguments (they are the
    /// same on all threads), so it is a function of the other fields only.
    pub fn prepare(self) -> LoopSpec {
        let mut spec = LoopSpec {
            fast: FastNext::of(&self),
            ..self
        };
        if spec.fast == FastNext::Steal {
            spec = spec.with_ranges();
        }
        spec
    }

    /// The spec with a stealing loop's derived fields filled in (two
    /// divisions at most, none for chunks of one).
    fn with_ranges(self) -> LoopSpec {
        let chunks = if self.chunk == 1 {
            self.n
        } else {
            self.n.div_ceil(self.chunk)
        };
        let last_chunk = chunks.saturating_sub(1);
        let nth = u64::from(self.nthreads);
        LoopSpec {
            last_chunk,
            chunk_incr: self.chunk.wrapping_mul(self.incr),
            range_len: last_chunk / nth,
            long_ranges: last_chunk % nth,
            ..self
        }
    }

    /// Stealing loops: thread `t`'s range at the start, `lo..hi`: the t-th
    /// of `nthreads` equal parts of the chunks but the last, the last
    /// `long_ranges` parts one chunk longer.
    #[inline]
    pub fn initial_range(&self, t: u64) -> (u64, u64) {
        let short = u64::from(self.nthreads) - self.long_ranges;
        let lo = t * self.range_len + t.saturating_sub(short);
        (lo, lo + self.range_len + u64::from(t >= short))
    }

    /// The program's iteration variable value for logical iteration `i`.
    #[inline]
    pub fn value(&self, i: u64) -> u64 {
        self.start.wrapping_add(i.wrapping_mul(self.incr))
    }

    /// The bounds GOMP hands back for logical chunk `[a, b)`: the last chunk
    /// ends at the program's own end value, which never overflows.
    #[inline]
    pub fn bounds(&self, a: u64, b: u64) -> (u64, u64) {
        let e = if b >= self.n { self.end } else { self.value(b) };
        (self.value(a), e)
    }
}

pub struct WorkShare {
    claimed: AtomicU64,
    ready: AtomicU64,
    released: AtomicU64,
    /// Threads that left this construct with `nowait`. On a line of its
    /// own, as is `last_taken`: each is written during the construct, and
    /// a line they shared with the set-up (`spec`, `ranges`) would move
    /// between the threads that read it for every chunk.
    left: CachePadded<AtomicU32>,
    /// Next logical iteration (or section) to hand out.
    pub next: CachePadded<AtomicU64>,
    /// Ordered loops: where the turn is passed, one word a line for each
    /// of the loop's `nthreads`: chunk `c`'s thread waits on word
    /// `c % nthreads` until it says `c` (see [`crate::ordered`]). Sized
    /// as `ranges` is.
    ordered_turns: UnsafeCell<Vec<CachePadded<AtomicU32>>>,
    /// Guided ordered loops: the next chunk's sequence number, taken with
    /// the chunk under this lock.
    pub chunk_seq: Mutex<u64>,
    /// Distributed dynamic and guided loops: this node's current block.
    pub block: Mutex<Block>,
    /// `copyprivate`: the executing thread's data, whether it is published
    /// yet, and where the other threads wait for it.
    pub copyprivate: AtomicPtr<c_void>,
    pub copyprivate_set: AtomicBool,
    pub copyprivate_ready: EventCount,
    spec: UnsafeCell<LoopSpec>,
    /// Doacross state of `ordered(n)` loops.
    doacross: UnsafeCell<Doacross>,
    /// The zeroed block `GOMP_loop_start`'s `mem` argument asks for.
    mem: UnsafeCell<Vec<u128>>,
    /// Nonmonotonic dynamic loops: each thread's range of chunks still to
    /// hand out (the first `nthreads` are this loop's). Sized by
    /// [`WorkShares::prepare`] for the team, never while a construct runs.
    ranges: UnsafeCell<Vec<CachePadded<StealRange>>>,
    /// Nonmonotonic dynamic loops: the construct whose last chunk, which is
    /// in no range, has been handed out.
    pub last_taken: CachePadded<AtomicU64>,
    /// Distributed constructs: the block in DSM memory, the same on every
    /// node (node 0 hands it out by construct key), instead of `mem`.
    dist_mem: AtomicPtr<c_void>,
    /// `reduction(task, ...)`: the private-copy blocks the first thread
    /// allocated (see [`crate::reduction`]).
    reduction_blocks: AtomicPtr<c_void>,
}

// SAFETY: the UnsafeCells `spec`, `doacross` and `mem` are written only by
// the construct's first thread between `claim` succeeding and `publish`, and
// read by the others only after acquiring `ready == k` (a stealing loop's
// threads that enter before that read none of them: they work from specs of
// their own); the slot is not claimed again until every thread has left
// (see `WorkShares::enter`). `ranges` and `ordered_turns` (the Vecs; their
// elements are atomics) are resized only by `WorkShares::prepare`, while no
// construct of the team runs.
unsafe impl Sync for WorkShare {}

/// Stores `$v` in the atomic `$a` (relaxed) unless it holds it already.
macro_rules! renew {
    ($a:expr, $v:expr) => {{
        let v = $v;
        if $a.load(Ordering::Relaxed) != v {
            $a.store(v, Ordering::Relaxed);
        }
    }};
}

impl WorkShare {
    fn new() -> WorkShare {
        WorkShare {
            claimed: AtomicU64::new(0),
            ready: AtomicU64::new(0),
            released: AtomicU64::new(0),
            left: CachePadded(AtomicU32::new(0)),
            next: CachePadded(AtomicU64::new(0)),
            // One word for a team of one (the ring of a thread's own team
            // is never sized by `WorkShares::prepare`).
            ordered_turns: UnsafeCell::new(vec![CachePadded(AtomicU32::new(0))]),
            chunk_seq: Mutex::new(0),
            block: Mutex::new(Block::default()),
            copyprivate: AtomicPtr::new(std::ptr::null_mut()),
            copyprivate_set: AtomicBool::new(false),
            copyprivate_ready: EventCount::new(),
            spec: UnsafeCell::new(LoopSpec::EMPTY),
            doacross: UnsafeCell::new(Doacross::default()),
            mem: UnsafeCell::new(Vec::new()),
            ranges: UnsafeCell::new(Vec::new()),
            last_taken: CachePadded(AtomicU64::new(0)),
            dist_mem: AtomicPtr::new(std::ptr::null_mut()),
            reduction_blocks: AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    /// The loop this construct runs.
    #[inline]
    pub fn spec(&self) -> &LoopSpec {
        // SAFETY: see the Sync impl: stable once the construct is ready.
        unsafe { &*self.spec.get() }
    }

    /// The doacross state.
    #[inline]
    pub fn doacross(&self) -> &Doacross {
        // SAFETY: see the Sync impl.
        unsafe { &*self.doacross.get() }
    }

    /// The shared `mem` block's address.
    pub fn mem_ptr(&self) -> *mut c_void {
        let d = self.dist_mem.load(Ordering::Relaxed);
        if !d.is_null() {
            return d;
        }
        // SAFETY: see the Sync impl.
        unsafe { (*self.mem.get()).as_mut_ptr().cast() }
    }

    /// The first thread's set-up: clears the per-construct state. Only the
    /// thread that claimed the construct calls the `init_*` methods, before
    /// [`WorkShares::publish`].
    pub fn init(&self, spec: LoopSpec) {
        self.init_prepared(spec.prepare());
    }

    /// [`init`](Self::init) with a spec [`LoopSpec::prepare`] returned.
    pub fn init_prepared(&self, spec: LoopSpec) {
        debug_assert_eq!(spec, spec.prepare());
        // Every store here is skipped where the slot holds the value already
        // (see `renew!`): the other threads may wait for this set-up, and
        // most of a construct's state equals that of the one the slot held
        // last, which the other threads have read since it was written, so
        // a store would cost a transfer of its cache line for nothing.
        // (`left` is 0 here: the last thread to leave a construct resets
        // it, and `finish_region` after a cancelled region. It is not
        // reset here because a stealing loop's threads may leave before
        // this set-up runs.)
        if spec.fast != FastNext::Steal {
            renew!(self.next, 0);
        }
        // (Distributed ordered loops pass the turn through node 0.)
        if spec.ordered && spec.dist_key == 0 {
            // SAFETY: the Vec is resized only while no construct runs.
            let turns = unsafe { &*self.ordered_turns.get() };
            crate::ordered::reset_turns(&turns[..spec.nthreads as usize]);
        }
        // The two locked fields only where the loop uses them.
        if spec.ordered && spec.kind == SchedKind::Guided {
            *self.chunk_seq.lock().unwrap_or_else(|e| e.into_inner()) = 0;
        }
        if spec.dist_key != 0 {
            *self.block.lock().unwrap_or_else(|e| e.into_inner()) = Block::default();
        }
        renew!(self.copyprivate, std::ptr::null_mut());
        renew!(self.copyprivate_set, false);
        renew!(self.reduction_blocks, std::ptr::null_mut());
        renew!(self.dist_mem, std::ptr::null_mut());
        // SAFETY: only the claiming thread writes, before publish.
        unsafe {
            if *self.spec.get() != spec {
                *self.spec.get() = spec;
            }
        }
    }

    /// Ordered loops: turn word `slot` (< the loop's `nthreads`).
    #[inline]
    pub fn ordered_turn(&self, slot: u32) -> &AtomicU32 {
        // SAFETY: the Vec is resized only while no construct runs; it holds
        // a word for each of the loop's threads.
        let turns = unsafe { &*self.ordered_turns.get() };
        &turns[slot as usize]
    }

    /// Nonmonotonic dynamic loops: the ranges of a team of `nthreads`.
    #[inline]
    pub fn ranges(&self, nthreads: u32) -> &[CachePadded<StealRange>] {
        // SAFETY: see the Sync impl: the Vec is not resized while a
        // construct runs.
        let r = unsafe { &*self.ranges.get() };
        &r[..nthreads as usize]
    }

    /// Records the task-reduction blocks (first thread, before publish).
    pub fn set_reduction_blocks(&self, p: *mut c_void) {
        self.reduction_blocks.store(p, Ordering::Relaxed);
    }

    /// The task-reduction blocks of this construct.
    pub fn reduction_blocks(&self) -> *mut c_void {
        self.reduction_blocks.load(Ordering::Relaxed)
    }

    /// Sets up the doacross state (first thread only, before publish).
    pub fn init_doacross(&self, counts: &[u64]) {
        // SAFETY: only the claiming thread writes, before publish.
        let d = unsafe { &mut *self.doacross.get() };
        d.reset(counts);
        let key = self.spec().dist_key;
        if key != 0 {
            // Across nodes the posted iterations live in DSM memory that
            // every node's threads read and update.
            let outer = counts.first().copied().unwrap_or(0) as usize;
            let p = crate::dist::ws_mem(key | DIST_MEM_DOACROSS, outer.max(1) * 8);
            d.share(p.cast());
        }
    }

    /// Provides a zeroed shared block of `size` bytes (first thread only,
    /// before publish); returns its address.
    pub fn init_mem(&self, size: usize) -> *mut c_void {
        let key = self.spec().dist_key;
        if key != 0 {
            let p = crate::dist::ws_mem(key, size.max(1)).cast::<c_void>();
            self.dist_mem.store(p, Ordering::Relaxed);
            return p;
        }
        // SAFETY: only the claiming thread writes, before publish.
        let v = unsafe { &mut *self.mem.get() };
        v.clear();
        v.resize(size.div_ceil(16).max(1), 0);
        v.as_mut_ptr().cast()
    }
}

/// Distributed constructs: the key bit that names a construct's doacross
/// table rather than its `mem` block at node 0.
const DIST_MEM_DOACROSS: u64 = 1 << 31;
/// ... and its task-reduction blocks.
pub const DIST_MEM_REDUCTION: u64 = 1 << 30;

/// How a thread enters a construct (see [`WorkShares::enter_as`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// It is the first: it sets the construct up and publishes it.
    First,
    /// The construct is set up.
    Ready,
    /// Another thread is setting it up; the caller asked to go on anyway.
    Early,
}

/// A team's ring of work shares.
pub struct WorkShares {
    slots: Box<[WorkShare]>,
    /// The team size every slot's stealing ranges are sized for.
    ranges_for: std::sync::atomic::AtomicUsize,
    /// Every construct up to this number is finished (set when a barrier
    /// completes, and at the end of each region).
    done_upto: CachePadded<AtomicU64>,
    /// Threads waiting for a slot to be set up or freed.
    waiters: EventCount,
    /// `cancel for` / `cancel sections` was activated in the construct
    /// being executed; cleared by the barrier that ends it. Kept per team
    /// rather than per work share because GCC open-codes static loops,
    /// which never enter a work share (libgomp keeps it per team too).
    pub cancelled: AtomicBool,
}

impl WorkShares {
    pub fn new() -> WorkShares {
        WorkShares {
            slots: (0..RING).map(|_| WorkShare::new()).collect(),
            ranges_for: std::sync::atomic::AtomicUsize::new(0),
            done_upto: CachePadded(AtomicU64::new(0)),
            waiters: EventCount::new(),
            cancelled: AtomicBool::new(false),
        }
    }

    /// The slot of construct `k`.
    #[inline]
    pub fn slot(&self, k: u64) -> *const WorkShare {
        &self.slots[(k % RING as u64) as usize]
    }

    /// Enters construct `k`: returns its work share, and `true` if the caller
    /// is the first thread and must set it up and then [`publish`] it.
    ///
    /// [`publish`]: WorkShares::publish
    #[inline]
    pub fn enter(&self, k: u64) -> (&WorkShare, bool) {
        let (ws, role) = self.enter_as(k, false);
        (ws, role == Role::First)
    }

    /// [`enter`](Self::enter), where the caller may go on before the first
    /// thread's set-up is complete if `early` (a stealing loop's thread,
    /// which reads nothing of that set-up).
    #[inline]
    pub fn enter_as(&self, k: u64, early: bool) -> (&WorkShare, Role) {
        let ws = &self.slots[(k % RING as u64) as usize];
        if ws.ready.load(Ordering::Acquire) == k {
            return (ws, Role::Ready);
        }
        let c = ws.claimed.load(Ordering::Acquire);
        if c < k
            && self.is_free(ws, c)
            && ws
                .claimed
                .compare_exchange(c, k, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            return (ws, Role::First);
        }
        if early && c == k {
            return (ws, Role::Early);
        }
        self.enter_slow(ws, k, early)
    }

    #[cold]
    fn enter_slow<'a>(&'a self, ws: &'a WorkShare, k: u64, early: bool) -> (&'a WorkShare, Role) {
        loop {
            if ws.ready.load(Ordering::Acquire) == k {
                return (ws, Role::Ready);
            }
            let c = ws.claimed.load(Ordering::Acquire);
            if c == k {
                if early {
                    return (ws, Role::Early);
                }
                // Another thread is setting it up.
                self.waiters
                    .wait_for(|| ws.ready.load(Ordering::Acquire) == k);
                return (ws, Role::Ready);
            }
            if self.is_free(ws, c) {
                if ws
                    .claimed
                    .compare_exchange(c, k, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
                {
                    return (ws, Role::First);
                }
                continue;
            }
            // The slot still holds construct c = k - RING, which some thread
            // has not left yet.
            self.waiters
                .wait_for(|| self.is_free(ws, c) || ws.claimed.load(Ordering::Acquire) != c);
        }
    }

    /// Waits until construct `k`, which the caller may have entered early,
    /// is set up (at once, nearly always: the caller has run loop bodies
    /// since; the test is inline, the wait out of line).
    #[inline]
    pub fn wait_ready(&self, ws: &WorkShare, k: u64) {
        self.waiters
            .wait_for(|| ws.ready.load(Ordering::Acquire) >= k);
    }

    /// Sizes every slot's stealing ranges and ordered turns for a team of
    /// `nthreads`. Called
    /// by the primary thread when it starts a region, before it releases
    /// the workers.
    ///
    /// # Safety
    ///
    /// No construct of the team may be running (no thread reads a slot's
    /// ranges).
    pub unsafe fn prepare(&self, nthreads: u32) {
        let n = nthreads as usize;
        if self.ranges_for.load(Ordering::Relaxed) >= n {
            return;
        }
        for ws in self.slots.iter() {
            // SAFETY: the caller's promise: nobody reads the Vecs now.
            let (r, o) = unsafe { (&mut *ws.ranges.get(), &mut *ws.ordered_turns.get()) };
            if r.len() < n {
                r.resize_with(n, Default::default);
            }
            if o.len() < n {
                o.resize_with(n, Default::default);
            }
        }
        self.ranges_for.store(n, Ordering::Relaxed);
    }

    /// Whether the slot's construct `c` is finished by every thread.
    #[inline]
    fn is_free(&self, ws: &WorkShare, c: u64) -> bool {
        c == 0
            || ws.released.load(Ordering::Acquire) >= c
            || self.done_upto.load(Ordering::Acquire) >= c
    }

    /// Ends the first thread's set-up of construct `k`.
    #[inline]
    pub fn publish(&self, ws: &WorkShare, k: u64) {
        ws.ready.store(k, Ordering::Release);
        self.waiters.notify_all();
    }

    /// A thread leaves construct `k` without a barrier; the last of the
    /// team's `nthreads` to leave frees the slot.
    #[inline]
    pub fn leave_nowait(&self, ws: &WorkShare, k: u64, nthreads: u32) {
        if ws.left.fetch_add(1, Ordering::AcqRel) + 1 == nthreads {
            ws.left.store(0, Ordering::Relaxed);
            ws.released.store(k, Ordering::Release);
            self.waiters.notify_all();
        }
    }

    /// Called by the thread that completes a barrier: every construct up to
    /// its number `k` is finished.
    #[inline]
    pub fn barrier_passed(&self, k: u64) {
        if self.cancelled.load(Ordering::Relaxed) {
            self.cancelled.store(false, Ordering::Relaxed);
        }
        if self.done_upto.load(Ordering::Relaxed) < k {
            self.done_upto.store(k, Ordering::Release);
        }
    }

    /// At the end of a region, every construct up to `k` (the primary
    /// thread's count) is finished. After a cancelled region the threads may
    /// have entered different numbers of constructs, so the highest one
    /// claimed counts instead.
    pub fn finish_region(&self, k: u64, cancelled: bool) {
        if self.cancelled.load(Ordering::Relaxed) {
            self.cancelled.store(false, Ordering::Relaxed);
        }
        if cancelled {
            // Threads may have skipped constructs they would have left
            // with `nowait`: the count of those that did is stale.
            for ws in self.slots.iter() {
                renew!(ws.left, 0);
            }
        }
        let k = if cancelled {
            self.slots
                .iter()
                .map(|ws| ws.claimed.load(Ordering::Acquire))
                .fold(k, u64::max)
        } else {
            k
        };
        self.barrier_passed(k);
    }

    /// The number of the last finished construct (the next region's base).
    pub fn last_done(&self) -> u64 {
        self.done_upto.load(Ordering::Acquire)
    }
}

impl Default for WorkShares {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: SchedKind, ordered: bool, fast_add: bool, dist_key: u64) -> LoopSpec {
        LoopSpec {
            kind,
            chunk: 4,
            n: 100,
            end: 100,
            nthreads: 2,
            ordered,
            fast_add,
            dist_key,
            ..LoopSpec::EMPTY
        }
    }

    /// `GOMP_loop_*_next` skips the cursor only for hand-outs that need
    /// nothing else: whatever the caller put in `fast`, `init` decides.
    #[test]
    fn init_picks_the_fast_path_only_where_it_is_enough() {
        use SchedKind::*;
        let cases = [
            (spec(Dynamic, false, true, 0), FastNext::Dynamic),
            (spec(Dynamic, false, false, 0), FastNext::No),
            (spec(Dynamic, true, true, 0), FastNext::No),
            (spec(Dynamic, false, true, 7), FastNext::No),
            (spec(Guided, false, false, 0), FastNext::Guided),
            (spec(Guided, true, true, 0), FastNext::No),
            (spec(Guided, false, true, 7), FastNext::No),
            (spec(Static, false, true, 0), FastNext::No),
            (spec(Auto, false, true, 0), FastNext::No),
        ];
        let stealing = |s: LoopSpec| LoopSpec { steal: true, ..s };
        let cases = cases.into_iter().chain([
            (stealing(spec(Dynamic, false, true, 0)), FastNext::Steal),
            (stealing(spec(Dynamic, false, false, 0)), FastNext::Steal),
            (stealing(spec(Dynamic, true, true, 0)), FastNext::No),
            (stealing(spec(Dynamic, false, true, 7)), FastNext::No),
            (stealing(spec(Guided, false, false, 0)), FastNext::Guided),
            (stealing(spec(Static, false, true, 0)), FastNext::No),
            // One thread: nobody to steal from.
            (
                LoopSpec {
                    nthreads: 1,
                    ..stealing(spec(Dynamic, false, true, 0))
                },
                FastNext::Dynamic,
            ),
            // Too few chunks a thread: 7 for 2 threads (n = 100, chunk 15).
            (
                LoopSpec {
                    chunk: 15,
                    ..stealing(spec(Dynamic, false, true, 0))
                },
                FastNext::Dynamic,
            ),
            // Just enough: 8 chunks (n = 100, chunk 13).
            (
                LoopSpec {
                    chunk: 13,
                    ..stealing(spec(Dynamic, false, true, 0))
                },
                FastNext::Steal,
            ),
            // More chunks than a range holds.
            (
                LoopSpec {
                    chunk: 1,
                    n: STEAL_MAX_CHUNKS,
                    ..stealing(spec(Dynamic, false, true, 0))
                },
                FastNext::Dynamic,
            ),
        ]);
        let ws = stealing_share(2);
        for (s, want) in cases {
            for claimed in [
                FastNext::No,
                FastNext::Dynamic,
                FastNext::Guided,
                FastNext::Steal,
            ] {
                ws.init(LoopSpec { fast: claimed, ..s });
                assert_eq!(ws.spec().fast, want, "{s:?}");
            }
        }
    }

    /// `steal_sized` (multiplications) agrees with the chunk count it
    /// stands for (a division), at the bounds and where the products
    /// overflow.
    #[test]
    fn steal_size_test_matches_the_chunk_count() {
        let ns = [
            0u64,
            1,
            7,
            8,
            9,
            63,
            64,
            65,
            1 << 31,
            (1 << 31) + 1,
            1 << 40,
            u64::MAX,
        ];
        let chunks = [
            0u64,
            1,
            2,
            3,
            8,
            13,
            1 << 20,
            1 << 33,
            u64::MAX / 3,
            u64::MAX,
        ];
        for &n in &ns {
            for &c in &chunks {
                for nth in [2u32, 3, 4, 64, 1024] {
                    let count = n.div_ceil(c.max(1));
                    let want =
                        (STEAL_MIN_PER_THREAD * u64::from(nth)..STEAL_MAX_CHUNKS).contains(&count);
                    assert_eq!(
                        steal_sized(n, c, nth),
                        want,
                        "n={n} chunk={c} nthreads={nth}"
                    );
                    // Around each threshold too.
                    let m = STEAL_MIN_PER_THREAD * u64::from(nth);
                    // (Wrapping where the product overflows: any n will do there.)
                    let at = |k: u64| k.wrapping_mul(c.max(1));
                    for n in [at(m - 1), at(m), at(m).wrapping_add(1)] {
                        let count = n.div_ceil(c.max(1));
                        let want = (m..STEAL_MAX_CHUNKS).contains(&count);
                        assert_eq!(
                            steal_sized(n, c, nth),
                            want,
                            "n={n} chunk={c} nthreads={nth}"
                        );
                    }
                }
            }
        }
    }

    /// A work share with ranges and turn words for `nthreads`, as
    /// `WorkShares::prepare` sizes them.
    fn stealing_share(nthreads: u32) -> WorkShare {
        let ws = WorkShare::new();
        // SAFETY: the work share is this test's alone.
        unsafe { &mut *ws.ranges.get() }.resize_with(nthreads as usize, Default::default);
        // SAFETY: as above.
        unsafe { &mut *ws.ordered_turns.get() }.resize_with(nthreads as usize, Default::default);
        ws
    }

    /// The spec of a stealing loop of `chunks` chunks of 1, as its threads
    /// prepare it.
    fn stealing_spec(nthreads: u32, chunks: u64) -> LoopSpec {
        let spec = LoopSpec {
            kind: SchedKind::Dynamic,
            chunk: 1,
            n: chunks,
            end: chunks,
            nthreads,
            steal: true,
            ..LoopSpec::EMPTY
        }
        .prepare();
        if chunks >= STEAL_MIN_PER_THREAD * u64::from(nthreads) {
            assert_eq!(spec.fast, FastNext::Steal);
            spec
        } else {
            // `prepare` gives so short a loop the counter; the hand-out
            // itself must still be right for it.
            assert_eq!(spec.fast, FastNext::Dynamic);
            LoopSpec {
                fast: FastNext::Steal,
                ..spec.with_ranges()
            }
        }
    }

    /// Thread `t`'s next chunk of `ws`'s stealing loop `spec`, construct
    /// `k`, the thread's range set up first as `GOMP_loop_*_start` does,
    /// then the two steps `GOMP_loop_*_next` takes.
    fn take(ws: &WorkShare, spec: &LoopSpec, t: usize, k: u64) -> Option<u64> {
        let ranges = ws.ranges(spec.nthreads);
        ranges[t].own(spec, t, k);
        match take_own(&ranges[t].w) {
            Ok(c) => Some(c),
            Err(lo) => steal_from_others(ranges, &ws.last_taken, spec, t, lo, k),
        }
    }

    /// Every chunk of construct `k` that thread `t` takes, in order.
    fn drain(ws: &WorkShare, spec: &LoopSpec, t: usize, k: u64) -> Vec<u64> {
        std::iter::from_fn(|| take(ws, spec, t, k)).collect()
    }

    #[test]
    fn a_thread_takes_its_range_then_steals_halves_and_the_last_chunk_last() {
        // Chunks 0..9: thread 0 holds 0..4, thread 1 holds 4..8, and 8 is
        // in no range.
        let ws = stealing_share(2);
        let spec = stealing_spec(2, 9);
        // Thread 1 has not arrived: thread 0 sets its range up and steals
        // from it all the same. Its own, the upper half of thread 1's
        // (6, 7), then halves of what is left (5, then 4), then the last
        // chunk, after which it takes nothing.
        assert_eq!(drain(&ws, &spec, 0, 1), [0, 1, 2, 3, 6, 7, 5, 4, 8]);
        // Thread 1 arriving finds its range the construct's and empty.
        for t in [0, 1, 0] {
            assert_eq!(take(&ws, &spec, t, 1), None);
        }
    }

    /// The ranges and the last chunk's mark are the construct's: what an
    /// earlier construct in the slot left behind (a cancelled loop's
    /// chunks, its taken last chunk) is never handed out or believed.
    #[test]
    fn a_construct_never_takes_what_an_earlier_one_left_in_the_slot() {
        let ws = stealing_share(2);
        // Construct 1: run to its end (its last chunk taken).
        let big = stealing_spec(2, 100);
        let mut all = [drain(&ws, &big, 1, 1), drain(&ws, &big, 0, 1)].concat();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        // Construct 2: cancelled after three chunks of each thread: both
        // ranges keep most of theirs.
        for t in [0, 1] {
            for _ in 0..3 {
                assert!(take(&ws, &big, t, 2).is_some());
            }
        }
        // Construct 3, a short loop run by thread 0 alone: exactly its own
        // chunks, in the order of a fresh slot, and its last chunk.
        let small = stealing_spec(2, 9);
        assert_eq!(drain(&ws, &small, 0, 3), [0, 1, 2, 3, 6, 7, 5, 4, 8]);
        assert_eq!(take(&ws, &small, 1, 3), None);
    }

    /// A range is set up once per construct, by whichever thread comes
    /// first; a range being set up is not taken over; one marked for any
    /// other construct is (were numbers ever to go back, a thread would
    /// otherwise wait for its range for ever).
    #[test]
    fn a_range_is_set_up_once_for_each_construct() {
        let spec = stealing_spec(2, 9);
        let r = StealRange::default();
        assert!(r.make_current(&spec, 1, 3));
        assert_eq!(unpack(r.w.load(Ordering::Relaxed)), (4, 8));
        // Taken from since: a second set-up for the same construct must not
        // refill it.
        r.w.store(pack(6, 8), Ordering::Relaxed);
        assert!(r.make_current(&spec, 1, 3));
        assert_eq!(unpack(r.w.load(Ordering::Relaxed)), (6, 8));
        // Being set up by another thread: not ours to write.
        r.gen.store(2 * 4 + 1, Ordering::Relaxed);
        assert!(!r.make_current(&spec, 1, 4));
        assert_eq!(unpack(r.w.load(Ordering::Relaxed)), (6, 8));
        // A later construct's mark: taken over, not waited on.
        r.gen.store(2 * 9, Ordering::Relaxed);
        assert!(r.make_current(&spec, 1, 5));
        assert_eq!(unpack(r.w.load(Ordering::Relaxed)), (4, 8));
    }

    /// Ranges split as the threads' parts of the chunks but the last: in
    /// order, without gaps, the longer ones last, differing by one at most.
    #[test]
    fn initial_ranges_split_the_chunks_but_the_last() {
        for nth in [2u32, 3, 4, 7, 64] {
            for chunks in [
                4 * u64::from(nth),
                4 * u64::from(nth) + 1,
                1000,
                1001,
                65_537,
            ] {
                let spec = stealing_spec(nth, chunks);
                let mut lo = 0;
                let mut lens = vec![];
                for t in 0..u64::from(nth) {
                    let (a, b) = spec.initial_range(t);
                    assert_eq!(a, lo, "nth={nth} chunks={chunks} t={t}");
                    lens.push(b - a);
                    lo = b;
                }
                assert_eq!(lo, chunks - 1, "nth={nth} chunks={chunks}");
                assert!(lens.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1));
            }
        }
    }

    #[test]
    fn stealing_hands_out_every_chunk_once_and_the_last_one_last() {
        for nthreads in [2u32, 3, 4, 8] {
            // One work share through a run of constructs, as a slot of the
            // ring is reused; threads arrive late by different amounts, so
            // thieves set ranges up for owners that are not there yet.
            let ws = stealing_share(nthreads);
            let sync = std::sync::Barrier::new(nthreads as usize);
            let mut k = 0;
            for chunks in [0u64, 1, 2, 3, 7, 100, 10_007] {
                for round in 0..4 {
                    k += 1;
                    let spec = stealing_spec(nthreads, chunks);
                    let per_thread: Vec<Vec<u64>> = std::thread::scope(|sc| {
                        let hs: Vec<_> = (0..nthreads as usize)
                            .map(|t| {
                                let (ws, spec, sync) = (&ws, &spec, &sync);
                                sc.spawn(move || {
                                    sync.wait();
                                    for _ in 0..((t + k as usize) % 3) * 2000 {
                                        std::hint::spin_loop();
                                    }
                                    let mut got = vec![];
                                    while let Some(c) = take(ws, spec, t, k) {
                                        got.push(c);
                                        // Uneven work, so that ranges drain
                                        // at different times and get stolen.
                                        for _ in 0..(t + round) * 50 {
                                            std::hint::spin_loop();
                                        }
                                    }
                                    got
                                })
                            })
                            .collect();
                        hs.into_iter().map(|h| h.join().unwrap()).collect()
                    });
                    let what = format!("{nthreads} threads, {chunks} chunks, construct {k}");
                    if chunks > 0 {
                        // Whoever ran the last chunk ran it last.
                        let ends = per_thread
                            .iter()
                            .filter(|g| g.contains(&(chunks - 1)))
                            .map(|g| *g.last().unwrap())
                            .collect::<Vec<_>>();
                        assert_eq!(ends, [chunks - 1], "{what}");
                    }
                    let mut all: Vec<u64> = per_thread.concat();
                    all.sort_unstable();
                    assert_eq!(all, (0..chunks).collect::<Vec<_>>(), "{what}");
                }
            }
        }
    }
}
#[cfg(test)]
mod layout_tests {
    use super::*;
    use std::mem::offset_of;

    /// The lines a field spans, in 64-byte units from the work share's
    /// start (the work share is 128-byte aligned).
    fn lines(off: usize, size: usize) -> std::ops::RangeInclusive<usize> {
        off / 64..=(off + size - 1) / 64
    }

    /// Every thread reads `spec` and `ranges` at each chunk; `left` and
    /// `last_taken` are written during the construct. Sharing a line, the
    /// writes would move it between the threads at every construct.
    #[test]
    fn fields_written_during_a_construct_are_off_the_set_up_lines() {
        let read = [
            lines(offset_of!(WorkShare, spec), std::mem::size_of::<LoopSpec>()),
            lines(
                offset_of!(WorkShare, ranges),
                std::mem::size_of::<UnsafeCell<Vec<CachePadded<StealRange>>>>(),
            ),
        ];
        let written = [
            lines(
                offset_of!(WorkShare, left),
                std::mem::size_of::<AtomicU32>(),
            ),
            lines(
                offset_of!(WorkShare, last_taken),
                std::mem::size_of::<AtomicU64>(),
            ),
        ];
        for w in &written {
            for r in &read {
                assert!(
                    w.end() < r.start() || r.end() < w.start(),
                    "written lines {w:?} overlap read lines {r:?}"
                );
            }
        }
    }
}
