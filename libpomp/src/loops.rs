//! Work-shared loops: set-up, chunk hand-out for each schedule, and the end
//! of the loop (libgomp's loop.c, loop_ull.c, iter.c and iter_ull.c).
//!
//! A loop is reduced to its logical iteration space `0..n` when the first
//! thread sets it up; chunks are handed out as logical ranges and mapped back
//! to the program's `long` or `unsigned long long` values only on the way
//! out. So one implementation serves both kinds, the shared counter counts
//! iterations (not values, which may overflow near the ends of the type),
//! and the last chunk ends at the program's own end value.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::icv::SchedKind;
use crate::ordered;
use crate::thread::{self, LoopCursor, Thread};
use crate::work::{steal_from_others, take_own, FastNext, LoopSpec, Role, WorkShare};

/// A loop's bounds as GCC passes them: bit patterns of `long` or
/// `unsigned long long` values.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub start: u64,
    pub end: u64,
    pub incr: u64,
    pub kind: Counter,
}

/// How to read [`Bounds`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// `long`: the direction is the sign of `incr`.
    Long,
    /// `unsigned long long`: the direction is given; a downward loop's
    /// `incr` is the two's-complement negative step.
    Ull { up: bool },
}

impl Bounds {
    /// The number of iterations.
    ///
    /// In 64-bit arithmetic: the distance between the bounds in the loop's
    /// direction and the step's size each fit a `u64` (the distance of two
    /// `long`s is below 2^64), and a unit step, the common case, needs no
    /// division. (Computed in 128 bits, each loop's set-up paid a call to
    /// the compiler's 128-bit division while the other threads waited.)
    pub fn count(&self) -> u64 {
        let (s, e) = (self.start, self.end);
        let (dist, step) = match self.kind {
            Counter::Long => {
                let (si, ei, i) = (s as i64, e as i64, self.incr as i64);
                if i > 0 && si < ei {
                    (e.wrapping_sub(s), i as u64)
                } else if i < 0 && si > ei {
                    (s.wrapping_sub(e), i.unsigned_abs())
                } else {
                    return 0;
                }
            }
            Counter::Ull { up: true } if s < e && self.incr != 0 => (e - s, self.incr),
            Counter::Ull { up: false } if s > e && self.incr != 0 => {
                (s - e, self.incr.wrapping_neg())
            }
            Counter::Ull { .. } => return 0,
        };
        if step == 1 {
            dist
        } else {
            dist.div_ceil(step)
        }
    }
}

/// A schedule as a loop entry point asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sched {
    /// Use run-sched-var.
    Runtime,
    Static,
    /// Dynamic, monotonic: chunks in increasing order on each thread.
    Dynamic,
    /// Dynamic without the `monotonic` modifier (OpenMP 5.0's default for
    /// `schedule(dynamic)`): chunks in any order.
    NonmonotonicDynamic,
    Guided,
    Auto,
}

/// `GOMP_loop_start`'s `sched` argument: libgomp's schedule numbering with
/// the monotonic flag in bit 31. GCC never passes `auto` (it open-codes
/// `schedule(auto)` as static); 4 is what it passes for
/// `schedule(nonmonotonic: runtime)`, which reads run-sched-var like 0.
pub fn decode_sched(sched: i64) -> Sched {
    match sched & 0x7fff_ffff {
        1 => Sched::Static,
        2 if sched & 0x8000_0000 == 0 => Sched::NonmonotonicDynamic,
        2 => Sched::Dynamic,
        3 => Sched::Guided,
        _ => Sched::Runtime,
    }
}

/// The schedule actually used and its chunk in iterations (`auto` is
/// static; runtime reads run-sched-var).
fn resolve(thr: &Thread, sched: Sched, chunk: i64) -> (SchedKind, u64) {
    let (kind, chunk) = match sched {
        Sched::Runtime => {
            let rs = thr.icv.get().run_sched;
            (rs.kind, rs.chunk)
        }
        Sched::Static => (SchedKind::Static, chunk),
        Sched::Dynamic | Sched::NonmonotonicDynamic => (SchedKind::Dynamic, chunk),
        Sched::Guided => (SchedKind::Guided, chunk),
        Sched::Auto => (SchedKind::Auto, 0),
    };
    match kind {
        SchedKind::Static => (SchedKind::Static, chunk.max(0) as u64),
        // `auto` is static without a chunk, whatever chunk the ICV holds
        // (as libgomp maps it).
        SchedKind::Auto => (SchedKind::Static, 0),
        k => (k, chunk.max(1) as u64),
    }
}

/// The full request of a loop-start entry point.
pub struct LoopStart {
    pub bounds: Bounds,
    pub sched: Sched,
    pub chunk: i64,
    pub ordered: bool,
    /// Doacross iteration counts per dimension (`ordered(n)` loops).
    pub doacross: Option<Vec<u64>>,
    /// `GOMP_loop_start`'s `mem`: the size of the zeroed shared block
    /// wanted; replaced by its address.
    pub mem: Option<*mut *mut std::ffi::c_void>,
    /// A `reduction(task, ...)` descriptor (see [`crate::reduction`]).
    pub reductions: Option<*mut usize>,
}

/// Builds the spec for this team; used by the first thread and by the
/// combined entry points' presets.
pub fn make_spec(thr_nthreads: u32, thr: &Thread, req: &LoopStart) -> LoopSpec {
    let (kind, chunk) = resolve(thr, req.sched, req.chunk);
    let n = req.bounds.count();
    let fast_add = n
        .checked_add((thr_nthreads as u64 + 1).saturating_mul(chunk.max(1)))
        .is_some();
    LoopSpec {
        kind,
        chunk,
        n,
        start: req.bounds.start,
        incr: req.bounds.incr,
        end: req.bounds.end,
        nthreads: thr_nthreads,
        ordered: req.ordered,
        fast_add,
        // Ordered and doacross loops hand chunks out in order whatever the
        // modifier says.
        steal: req.sched == Sched::NonmonotonicDynamic && !req.ordered && req.doacross.is_none(),
        ..LoopSpec::EMPTY
    }
}

/// Enters the next construct as a loop; the first thread sets it up.
/// Returns the work share.
///
/// A nonmonotonic dynamic loop that steals needs nothing of the first
/// thread's set-up: each thread prepares the spec from its own arguments
/// (the same on every thread), makes its own range the construct's, and
/// goes on without waiting for the first thread to publish.
pub fn enter(thr: &Thread, req: &LoopStart) -> &'static WorkShare {
    let team = thr.team();
    let k = thr.ws_seq.get() + 1;
    thr.ws_seq.set(k);
    // A node-local nonmonotonic loop: the spec now, on every thread; if it
    // steals, the thread may go on before the set-up is published.
    let local = (req.sched == Sched::NonmonotonicDynamic
        && req.mem.is_none()
        && req.reductions.is_none()
        && team.dist().is_none())
    .then(|| make_spec(thr.nthreads.get(), thr, req).prepare());
    let stealing = local.filter(|s| s.fast == FastNext::Steal);
    let (ws, role) = team.ws.enter_as(k, stealing.is_some());
    match role {
        Role::First => {
            match local {
                Some(spec) => ws.init_prepared(spec),
                None => {
                    let spec = make_spec(thr.nthreads.get(), thr, req);
                    ws.init(match team.dist() {
                        Some(d) => d.distribute(spec, k),
                        None => spec,
                    });
                }
            }
            if let Some(counts) = &req.doacross {
                ws.init_doacross(counts);
            }
            if let Some(mem) = req.mem {
                // SAFETY: GCC passes a valid `void **` whose pointee holds
                // the requested size on entry.
                unsafe { *mem = ws.init_mem(*mem as usize) };
            }
            if let Some(d) = req.reductions {
                // SAFETY: GCC's descriptor; the blocks are allocated before
                // the construct is published.
                unsafe { crate::reduction::workshare_register(d, ws, true, thr.nthreads.get()) };
            }
            team.ws.publish(ws, k);
        }
        Role::Ready => {
            if let Some(mem) = req.mem {
                // SAFETY: as above.
                unsafe { *mem = ws.mem_ptr() };
            }
            if let Some(d) = req.reductions {
                // SAFETY: as above; the construct is ready, so are its
                // blocks.
                unsafe { crate::reduction::workshare_register(d, ws, false, thr.nthreads.get()) };
            }
        }
        // Only a stealing loop without `mem` or reductions enters early.
        Role::Early => {}
    }
    thr.set_ws(ws);
    if let Some(spec) = stealing {
        set_steal(thr, ws, spec, k);
    }
    thr.cursor.set(LoopCursor::default());
    // SAFETY: the slot lives as long as the team, which outlives the
    // construct; the 'static only spares callers a lifetime they never
    // hold past the construct.
    unsafe { &*(ws as *const WorkShare) }
}

/// Makes the thread's own range of stealing loop `k` (`spec`, in `ws`)
/// the construct's and caches what `GOMP_loop_*_next` takes from it;
/// returns the range.
fn set_steal<'a>(thr: &Thread, ws: &'a WorkShare, spec: LoopSpec, k: u64) -> &'a AtomicU64 {
    let t = thr.tid.get() as usize;
    let own = &ws.ranges(spec.nthreads)[t];
    own.own(&spec, t, k);
    thr.steal_base.set((spec.start, spec.chunk_incr));
    thr.steal_spec.set(spec);
    thr.steal_own.set(&own.w);
    &own.w
}

/// Sets up a combined construct's loop before the team is released (the
/// primary thread, at fork).
pub fn preset(team: &crate::team::Team, k: u64, spec: LoopSpec) {
    let (ws, first) = team.ws.enter(k);
    debug_assert!(first, "a preset construct is always new");
    ws.init(match team.dist() {
        Some(d) => d.distribute(spec, k),
        None => spec,
    });
    team.ws.publish(ws, k);
}

/// `GOMP_loop_*_start`: enters the loop and, if `out` is given, takes the
/// caller's first chunk.
pub fn start(req: &LoopStart, out: Option<(&mut u64, &mut u64)>) -> bool {
    let thr = thread::current();
    enter(thr, req);
    match out {
        Some((s, e)) => next(s, e),
        None => true,
    }
}

/// `GOMP_loop_*_next`: the caller's next chunk as `[*istart, *iend)` in the
/// program's values; `false` when the loop has no more work for it (and
/// then neither is written).
#[inline]
pub fn next(istart: &mut u64, iend: &mut u64) -> bool {
    // Not `thread::current()`: its first-use set-up is a call, which would
    // make this path save registers; a thread without state has no loop.
    let Some(thr) = thread::current_if_any() else {
        return false;
    };
    // A stealing loop's own range first, before anything of the work share
    // is read: the take depends on two loads (the thread's state, then
    // this pointer), and the chunk's values come from the thread's state.
    let own = thr.steal_own.get();
    if !own.is_null() {
        // SAFETY: non-null only while `thr.ws` is a stealing loop, and then
        // it points at this thread's range in that loop's work share,
        // which lives as long as the team (see `Thread::steal_own`).
        let own = unsafe { &*own };
        return next_own(thr, own, istart, iend);
    }
    let Some(ws) = thr.ws() else {
        return false;
    };
    let spec = ws.spec();
    // The hot cases, dynamic and guided loops that are neither ordered nor
    // distributed, need nothing but the shared counter: no cursor, and one
    // test of a precomputed byte to get there. Under contention the time
    // between two atomics on the counter is what a chunk costs, so this
    // path is kept short.
    let (a, b) = match spec.fast {
        FastNext::Dynamic => {
            // `fast_add`: neither the add nor `a + chunk` can overflow.
            let a = ws.next.fetch_add(spec.chunk, Ordering::Relaxed);
            if a >= spec.n {
                return false;
            }
            (a, (a + spec.chunk).min(spec.n))
        }
        FastNext::Guided => return next_guided_fast(ws, istart, iend),
        FastNext::Steal => {
            // A construct entered without `enter` (a combined loop's
            // preset, a restored place; either is published): set the
            // range up and cache it now.
            let own = set_steal(thr, ws, *spec, thr.ws_seq.get());
            return next_own(thr, own, istart, iend);
        }
        FastNext::No => return next_general(thr, ws, istart, iend),
    };
    (*istart, *iend) = spec.bounds(a, b);
    true
}

/// [`next`] for guided loops that are neither ordered nor distributed.
#[inline(never)]
fn next_guided_fast(ws: &WorkShare, istart: &mut u64, iend: &mut u64) -> bool {
    let spec = ws.spec();
    match next_guided_cas(ws, spec) {
        Some((a, b)) => {
            (*istart, *iend) = spec.bounds(a, b);
            true
        }
        None => false,
    }
}

/// [`next`] for nonmonotonic dynamic loops: the thread's own range
/// (`own`), inline, one `fetch_add` on a line no other thread touches
/// until it steals.
#[inline(always)]
fn next_own(thr: &Thread, own: &AtomicU64, istart: &mut u64, iend: &mut u64) -> bool {
    match take_own(own) {
        Ok(c) => {
            // A range's chunk is whole and never the loop's last (which is
            // in no range): it starts `c` chunks from the start and ends
            // where the next one starts.
            let (start, step) = thr.steal_base.get();
            let s = start.wrapping_add(c.wrapping_mul(step));
            *istart = s;
            *iend = s.wrapping_add(step);
            true
        }
        Err(lo) => next_stolen(thr, lo, istart, iend),
    }
}

/// [`next`] for nonmonotonic dynamic loops once the caller's own range is
/// empty (`lo` is what its take read as the low bound): the others'
/// ranges, then the loop's last chunk (see [`take_own`]). Works from
/// the thread's copy of the spec: the caller may have entered the loop
/// before its first thread published the work share's.
#[inline(never)]
fn next_stolen(thr: &Thread, lo: u64, istart: &mut u64, iend: &mut u64) -> bool {
    let Some(ws) = thr.ws() else {
        return false;
    };
    let spec = thr.steal_spec.get();
    let me = thr.tid.get() as usize;
    let ranges = ws.ranges(spec.nthreads);
    let k = thr.ws_seq.get();
    let Some(c) = steal_from_others(ranges, &ws.last_taken, &spec, me, lo, k) else {
        return false;
    };
    // c < n / chunk rounded up, so `a` < n.
    let a = c * spec.chunk;
    (*istart, *iend) = spec.bounds(a, a.saturating_add(spec.chunk).min(spec.n));
    true
}

/// [`next`] for every other schedule.
#[inline(never)]
fn next_general(thr: &Thread, ws: &WorkShare, istart: &mut u64, iend: &mut u64) -> bool {
    let spec = ws.spec();
    let mut cur = thr.cursor.get();
    if spec.ordered && cur.has_chunk {
        ordered::pass_turn(ws, &mut cur);
    }
    let got = match spec.kind {
        SchedKind::Static | SchedKind::Auto => {
            next_static(spec, thr.tid.get() + spec.tid_base, &mut cur)
        }
        _ if spec.dist_key != 0 => next_claimed(ws, spec),
        SchedKind::Dynamic => next_dynamic(ws, spec, &mut cur),
        SchedKind::Guided => next_guided(ws, spec, &mut cur),
    };
    let r = match got {
        Some((a, b)) => {
            let (s, e) = spec.bounds(a, b);
            *istart = s;
            *iend = e;
            cur.has_chunk = spec.ordered;
            (cur.chunk_lo, cur.chunk_hi) = (a, b);
            cur.ordered_left = b - a;
            true
        }
        None => false,
    };
    thr.cursor.set(cur);
    r
}

/// Static schedule: computed from the thread number alone.
#[inline]
fn next_static(spec: &LoopSpec, tid: u32, cur: &mut LoopCursor) -> Option<(u64, u64)> {
    let (n, nth, tid) = (spec.n, spec.nthreads as u64, tid as u64);
    if tid >= nth {
        return None;
    }
    if spec.chunk == 0 {
        // One block per thread: the first n % nth threads get one more.
        if cur.trip > 0 {
            return None;
        }
        cur.trip = 1;
        let q = n / nth;
        let t = n % nth;
        let (a, len) = if tid < t {
            (tid * (q + 1), q + 1)
        } else {
            (tid * q + t, q)
        };
        if len == 0 {
            return None;
        }
        cur.chunk_index = tid;
        cur.turn_slot = tid as u32;
        Some((a, a + len))
    } else {
        let idx = (cur.trip as u128) * (nth as u128) + tid as u128;
        let a = idx * spec.chunk as u128;
        if a >= n as u128 {
            return None;
        }
        cur.trip += 1;
        cur.chunk_index = idx as u64;
        // idx = trip * nth + tid.
        cur.turn_slot = tid as u32;
        let a = a as u64;
        Some((a, a.saturating_add(spec.chunk).min(n)))
    }
}

/// Dynamic schedule: one atomic add on the team's counter per chunk.
#[inline]
fn next_dynamic(ws: &WorkShare, spec: &LoopSpec, cur: &mut LoopCursor) -> Option<(u64, u64)> {
    let (n, chunk) = (spec.n, spec.chunk);
    let a = if spec.fast_add {
        let a = ws.next.fetch_add(chunk, Ordering::Relaxed);
        if a >= n {
            return None;
        }
        a
    } else {
        let mut a = ws.next.load(Ordering::Relaxed);
        loop {
            if a >= n {
                return None;
            }
            let b = a.saturating_add(chunk).min(n);
            match ws
                .next
                .compare_exchange_weak(a, b, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => break a,
                Err(v) => a = v,
            }
        }
    };
    if spec.ordered {
        // Only ordered loops need the chunk's number (and a division per
        // chunk is a visible cost with chunk size 1).
        cur.chunk_index = a / chunk;
        cur.turn_slot = (cur.chunk_index % u64::from(spec.nthreads)) as u32;
    }
    Some((a, a.saturating_add(chunk).min(n)))
}

/// Guided schedule: chunks of the remaining iterations divided by the team
/// size, never smaller than the chunk size (except the last).
#[inline]
fn next_guided(ws: &WorkShare, spec: &LoopSpec, cur: &mut LoopCursor) -> Option<(u64, u64)> {
    let n = spec.n;
    if spec.ordered {
        // The chunk and its sequence number must be taken together.
        let mut seq = ws.chunk_seq.lock().unwrap_or_else(|e| e.into_inner());
        let a = ws.next.load(Ordering::Relaxed);
        if a >= n {
            return None;
        }
        let b = guided_end(spec, a);
        ws.next.store(b, Ordering::Relaxed);
        cur.chunk_index = *seq;
        cur.turn_slot = (*seq % u64::from(spec.nthreads)) as u32;
        *seq += 1;
        return Some((a, b));
    }
    next_guided_cas(ws, spec)
}

/// The end of the guided chunk that starts at `a < n`: the remaining
/// iterations divided by the team size, at least the chunk size, at most
/// what remains.
#[inline]
fn guided_end(spec: &LoopSpec, a: u64) -> u64 {
    let rem = spec.n - a;
    a + rem
        .div_ceil(spec.nthreads.max(1) as u64)
        .max(spec.chunk)
        .min(rem)
}

/// The guided chunk of an unordered loop: a compare-and-swap loop on the
/// shared counter.
#[inline]
fn next_guided_cas(ws: &WorkShare, spec: &LoopSpec) -> Option<(u64, u64)> {
    let mut a = ws.next.load(Ordering::Relaxed);
    loop {
        if a >= spec.n {
            return None;
        }
        let b = guided_end(spec, a);
        match ws
            .next
            .compare_exchange_weak(a, b, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => return Some((a, b)),
            Err(v) => a = v,
        }
    }
}

/// Distributed dynamic and guided loops: the next chunk from this node's
/// block, claiming a new block from node 0 when it is used up (one thread
/// at a time; the others wait for it, as the claim is a round trip).
pub fn next_claimed(ws: &WorkShare, spec: &LoopSpec) -> Option<(u64, u64)> {
    let mut b = ws.block.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if b.lo < b.hi {
            let rem = b.hi - b.lo;
            // Whole chunks (blocks start at multiples of the chunk size),
            // so only the loop's very last chunk can be shorter.
            let chunk = spec.chunk.max(1);
            let size = match spec.kind {
                SchedKind::Guided => rem
                    .div_ceil(u64::from(spec.dist_local.max(1)))
                    .max(chunk)
                    .div_ceil(chunk)
                    .saturating_mul(chunk),
                _ => chunk,
            }
            .min(rem);
            let a = b.lo;
            b.lo += size;
            return Some((a, a + size));
        }
        if b.done {
            return None;
        }
        match crate::dist::claim(spec) {
            Some((a, e)) => (b.lo, b.hi) = (a, e),
            None => b.done = true,
        }
    }
}

/// The iterations a node claims at once in a distributed dynamic or guided
/// loop with `rem` iterations left: a share of them in proportion to its
/// threads (half of it, so that late claims still balance: "factoring"),
/// in whole chunks. The blocks are large on purpose: neighbouring
/// iterations usually touch neighbouring data, and a block that ends in
/// the middle of another node's page makes that page move on every claim.
/// Node 0 and the claiming node both compute it.
pub fn claim_size(spec: &LoopSpec, rem: u64) -> u64 {
    let chunk = spec.chunk.max(1) as u128;
    let local = u128::from(spec.dist_local.max(1));
    let total = u128::from(spec.dist_total.max(spec.dist_local).max(1));
    let rem128 = rem as u128;
    let share = (rem128 * local).div_ceil(2 * total);
    let size = match spec.kind {
        SchedKind::Guided => share.max(chunk).div_ceil(chunk) * chunk,
        _ => share.div_ceil(chunk).max(1) * chunk,
    };
    size.min(rem128) as u64
}

/// How a construct ends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum End {
    Barrier,
    Nowait,
    /// A cancellable barrier: returns whether the region was cancelled.
    Cancel,
}

/// `GOMP_loop_end*` (and the ends of sections): passes the ordered turn on,
/// leaves the construct, and waits at the barrier unless `nowait`.
pub fn end(how: End) -> bool {
    let thr = thread::current();
    if let Some(ws) = thr.ws() {
        let mut cur = thr.cursor.get();
        // A stealing loop (never ordered) may still be being set up: its
        // spec is not read.
        if thr.steal_own.get().is_null() && ws.spec().ordered && cur.has_chunk {
            ordered::pass_turn(ws, &mut cur);
            thr.cursor.set(cur);
        }
        if how == End::Nowait {
            thr.team()
                .ws
                .leave_nowait(ws, thr.ws_seq.get(), thr.nthreads.get());
        }
    }
    thr.set_ws(std::ptr::null());
    match how {
        End::Nowait => false,
        End::Barrier | End::Cancel => crate::barrier::wait(thr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks claimed across nodes cover the loop once, in whole chunks
    /// (only the last may be shorter), for dynamic and guided.
    #[test]
    fn claimed_blocks_are_whole_chunks() {
        for kind in [SchedKind::Dynamic, SchedKind::Guided] {
            for (n, chunk, local, total) in
                [(1000, 4, 1, 2), (997, 3, 2, 5), (10, 7, 1, 1), (5, 1, 3, 4)]
            {
                let spec = LoopSpec {
                    kind,
                    chunk,
                    n,
                    dist_local: local,
                    dist_total: total,
                    ..LoopSpec::EMPTY
                };
                let mut a = 0;
                while a < n {
                    let size = claim_size(&spec, n - a);
                    assert!(size > 0, "{kind:?} n {n} at {a}");
                    assert!(
                        size.is_multiple_of(chunk) || a + size == n,
                        "{kind:?} n {n} chunk {chunk}: block {a}+{size}"
                    );
                    a += size;
                }
                assert_eq!(a, n);
            }
        }
        // Factoring: half of a node's proportional share, then less.
        let spec = LoopSpec {
            kind: SchedKind::Dynamic,
            chunk: 1,
            n: 512,
            dist_local: 1,
            dist_total: 2,
            ..LoopSpec::EMPTY
        };
        assert_eq!(claim_size(&spec, 512), 128);
        assert_eq!(claim_size(&spec, 384), 96);
        assert_eq!(claim_size(&spec, 1), 1);
    }

    fn long(start: i64, end: i64, incr: i64) -> u64 {
        Bounds {
            start: start as u64,
            end: end as u64,
            incr: incr as u64,
            kind: Counter::Long,
        }
        .count()
    }

    fn ull(start: u64, end: u64, incr: u64, up: bool) -> u64 {
        Bounds {
            start,
            end,
            incr,
            kind: Counter::Ull { up },
        }
        .count()
    }

    #[test]
    fn iteration_counts() {
        assert_eq!(long(0, 10, 1), 10);
        assert_eq!(long(0, 10, 3), 4);
        assert_eq!(long(10, 0, -3), 4);
        assert_eq!(long(5, 5, 1), 0);
        assert_eq!(long(5, 0, 1), 0);
        assert_eq!(long(i64::MIN, i64::MAX, 1), u64::MAX);
        assert_eq!(long(i64::MAX - 5, i64::MAX, 4), 2);
        assert_eq!(ull(0, u64::MAX, 1, true), u64::MAX);
        assert_eq!(ull(10, 0, 2u64.wrapping_neg(), false), 5);
        assert_eq!(ull(u64::MAX, 0, 1u64.wrapping_neg(), false), u64::MAX);
        assert_eq!(long(0, 10, 0), 0);
    }

    /// `count` (64-bit, no division for unit steps) against the count
    /// computed in 128 bits, over bounds and steps at the types' edges.
    #[test]
    fn iteration_counts_match_a_128_bit_reference() {
        let vals: Vec<i64> = [
            i64::MIN,
            i64::MIN + 1,
            i64::MIN / 2,
            -1000,
            -7,
            -1,
            0,
            1,
            2,
            7,
            1000,
            i64::MAX / 2,
            i64::MAX - 1,
            i64::MAX,
        ]
        .into();
        let steps: Vec<i64> = [i64::MIN, -1000, -3, -2, -1, 0, 1, 2, 3, 1000, i64::MAX].into();
        for &s in &vals {
            for &e in &vals {
                for &i in &steps {
                    let (s2, e2, i2) = (s as i128, e as i128, i as i128);
                    let want = if i2 > 0 && s2 < e2 {
                        (e2 - s2 + i2 - 1) / i2
                    } else if i2 < 0 && s2 > e2 {
                        (s2 - e2 - i2 - 1) / -i2
                    } else {
                        0
                    };
                    assert_eq!(long(s, e, i) as i128, want, "long {s} {e} {i}");
                    // The same bit patterns as unsigned bounds, both ways.
                    let (us, ue, ui) = (s as u64, e as u64, i as u64);
                    let up = if us < ue && ui != 0 {
                        (ue as u128 - us as u128).div_ceil(ui as u128)
                    } else {
                        0
                    };
                    assert_eq!(ull(us, ue, ui, true) as u128, up, "ull up {us} {ue} {ui}");
                    let d = ui.wrapping_neg();
                    let down = if us > ue && d != 0 {
                        (us as u128 - ue as u128).div_ceil(d as u128)
                    } else {
                        0
                    };
                    assert_eq!(
                        ull(us, ue, ui, false) as u128,
                        down,
                        "ull down {us} {ue} {ui}"
                    );
                }
            }
        }
    }

    fn spec(n: u64, chunk: u64, nthreads: u32) -> LoopSpec {
        LoopSpec {
            kind: SchedKind::Static,
            chunk,
            n,
            start: 0,
            incr: 1,
            end: n,
            nthreads,
            ordered: false,
            fast_add: true,
            ..LoopSpec::EMPTY
        }
    }

    /// Every static distribution covers each iteration exactly once.
    #[test]
    fn static_covers_every_iteration_once() {
        for n in [0u64, 1, 2, 3, 7, 100, 101] {
            for nth in 1..6u32 {
                for chunk in [0u64, 1, 3, 64] {
                    let s = spec(n, chunk, nth);
                    let mut hits = vec![0u32; n as usize];
                    for tid in 0..nth {
                        let mut cur = LoopCursor::default();
                        while let Some((a, b)) = next_static(&s, tid, &mut cur) {
                            assert!(a < b && b <= n);
                            for i in a..b {
                                hits[i as usize] += 1;
                            }
                        }
                    }
                    assert!(
                        hits.iter().all(|&h| h == 1),
                        "n={n} nth={nth} chunk={chunk}"
                    );
                }
            }
        }
    }

    #[test]
    fn static_blocks_match_libgomp() {
        // 10 iterations on 4 threads: 3, 3, 2, 2.
        let s = spec(10, 0, 4);
        let blocks: Vec<_> = (0..4)
            .map(|t| next_static(&s, t, &mut LoopCursor::default()))
            .collect();
        assert_eq!(
            blocks,
            vec![Some((0, 3)), Some((3, 6)), Some((6, 8)), Some((8, 10))]
        );
    }

    #[test]
    fn last_chunk_ends_at_the_program_end() {
        let mut s = spec(4, 0, 1);
        s.end = 10;
        s.incr = 3;
        assert_eq!(s.bounds(0, 4), (0, 10));
        assert_eq!(s.bounds(0, 2), (0, 6));
        // Near the top of long: values never overflow.
        let b = Bounds {
            start: (i64::MAX - 5) as u64,
            end: i64::MAX as u64,
            incr: 4,
            kind: Counter::Long,
        };
        let mut s = spec(b.count(), 0, 1);
        s.start = b.start;
        s.end = b.end;
        s.incr = 4;
        assert_eq!(s.bounds(0, 2), (b.start, i64::MAX as u64));
    }

    #[test]
    fn dynamic_and_guided_cover_every_iteration_once() {
        for kind in [SchedKind::Dynamic, SchedKind::Guided] {
            for (n, chunk, fast_add) in [(1000u64, 7u64, true), (1000, 1, false), (3, 5, true)] {
                let ws = crate::work::WorkShares::new();
                let (w, _) = ws.enter(1);
                let mut s = spec(n, chunk, 3);
                s.kind = kind;
                s.fast_add = fast_add;
                w.init(s);
                let mut hits = vec![0u32; n as usize];
                let mut cur = LoopCursor::default();
                loop {
                    let r = match kind {
                        SchedKind::Dynamic => next_dynamic(w, w.spec(), &mut cur),
                        _ => next_guided(w, w.spec(), &mut cur),
                    };
                    let Some((a, b)) = r else { break };
                    if kind == SchedKind::Guided && b < n {
                        assert!(b - a >= chunk);
                    }
                    for i in a..b {
                        hits[i as usize] += 1;
                    }
                }
                assert!(hits.iter().all(|&h| h == 1), "{kind:?} n={n} chunk={chunk}");
            }
        }
    }
}
