//! `ordered` regions and doacross loops (libgomp's ordered.c).
//!
//! **Ordered.** Chunks of an ordered loop are numbered in iteration order
//! when they are handed out (see [`crate::loops`]). The thread executing
//! chunk `c` may run its ordered regions once the work share's turn equals
//! `c`, and passes the turn to `c + 1` when it finishes the chunk — when it
//! asks for its next chunk or leaves the loop — or sooner, at the end of the
//! chunk's last ordered region once every iteration of the chunk has run
//! one (see [`end`]). Within a chunk the thread's iterations are in order
//! anyway, so an iteration may skip its ordered region (as the spec allows)
//! without stalling anyone.
//!
//! The turn is not one word that every thread watches: chunk `c`'s thread
//! waits on word `c % nthreads` of the work share, each on a line of its
//! own, and whoever passes the turn to `c` writes that word. A thread holds
//! one chunk at a time and passes it before taking the next, and chunks are
//! handed out in order, so the chunks being waited for lie within
//! `nthreads` of the turn: no two waiters share a word. With one word, the
//! thread that had just passed the turn went straight back to spinning on
//! the line the next holder had to write, and on this machine's slower
//! cross-core path that cost each hand-over about half as much again
//! (1100-1500 TSC ticks against 750, a two-thread ping-pong with a short
//! body).
//!
//! **Doacross.** For `ordered(n)` loops, iterations of the outermost loop are
//! scheduled; each one's inner iterations run in order on one thread. So it
//! is enough to record, per outer iteration, how far its inner iterations
//! have been posted: `posted[i0]` is one more than the flattened index of
//! the last inner iteration posted. A wait for `(i0, i1, ...)` waits until
//! `posted[i0]` passes that flattened index; a sink outside the iteration
//! space does not wait.

use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::thread::{self, LoopCursor};
use crate::wait::{self, EventCount, SLEEPING};
use crate::work::WorkShare;

/// Passes the ordered turn on after the chunk in `cur`, waiting for it first
/// if this thread never took it (its iterations skipped the ordered region).
pub fn pass_turn(ws: &WorkShare, cur: &mut LoopCursor) {
    let spec = ws.spec();
    if spec.dist_key != 0 {
        // Across nodes the turn is a position that node 0 keeps: it moves
        // past this chunk once every earlier chunk has passed it on.
        crate::dist::ordered_pass(spec.dist_key, cur.chunk_lo, cur.chunk_hi);
        cur.has_chunk = false;
        cur.holds_turn = false;
        return;
    }
    let c = cur.chunk_index;
    if !cur.holds_turn {
        wait_turn(ws, c, cur.turn_slot);
    }
    // One exchange both passes the turn and says whether anyone sleeps.
    let next = cur.turn_slot + 1;
    let w = ws.ordered_turn(if next == spec.nthreads { 0 } else { next });
    let prev = w.swap(turn_word(c + 1), Ordering::Release);
    wait::wake(w, prev);
    cur.has_chunk = false;
    cur.holds_turn = false;
}

/// The turn word for chunk `c`: its number modulo 2^31 above the SLEEPING
/// bit. A waiter's chunk is never more than a team's worth of chunks past
/// the turn, so the modulus cannot confuse two chunks.
#[inline]
fn turn_word(c: u64) -> u32 {
    ((c as u32) & 0x7fff_ffff) << 1
}

/// Waits until chunk `c`, whose turn comes on word `slot`, has the turn.
#[inline]
fn wait_turn(ws: &WorkShare, c: u64, slot: u32) {
    let want = turn_word(c);
    wait::wait_until(ws.ordered_turn(slot), |v| v & !SLEEPING == want);
}

/// Sets an ordered loop's turn words up (the first thread, before the
/// loop is published): chunk 0 has the turn; every other word names a chunk
/// a whole round before any that waits on it.
pub fn reset_turns(turns: &[crate::arch::CachePadded<AtomicU32>]) {
    let n = turns.len() as u64;
    for (i, w) in turns.iter().enumerate() {
        let i = i as u64;
        let v = if i == 0 {
            turn_word(0)
        } else {
            turn_word(i.wrapping_sub(n))
        };
        // Skipped where it holds the value already: the line is the one
        // its waiter spins on.
        if w.load(Ordering::Relaxed) != v {
            w.store(v, Ordering::Relaxed);
        }
    }
}

/// `GOMP_ordered_start`: waits for the calling thread's turn.
pub fn start() {
    let thr = thread::current();
    let Some(ws) = thr.ws() else { return };
    let mut cur = thr.cursor.get();
    if !ws.spec().ordered || !cur.has_chunk || cur.holds_turn {
        return;
    }
    if ws.spec().dist_key != 0 {
        crate::dist::ordered_wait(ws.spec().dist_key, cur.chunk_lo);
    } else {
        wait_turn(ws, cur.chunk_index, cur.turn_slot);
    }
    cur.holds_turn = true;
    thr.cursor.set(cur);
}

/// `GOMP_ordered_end`: passes the turn on if this was the chunk's last
/// ordered region, else nothing (the turn passes at the end of the chunk).
///
/// An iteration runs at most one ordered region of its loop, so once a
/// chunk of k iterations has run k of them, none is left: the next chunk's
/// thread may go on now rather than when this one has finished the rest of
/// its iteration and asked for its next chunk. With one-iteration chunks
/// (`schedule(static, 1)`, `dynamic`) that is every region, and the hand-over
/// is on the loop's critical path. Across nodes the turn still passes at the
/// end of the chunk.
pub fn end() {
    let Some(thr) = thread::current_if_any() else {
        return;
    };
    let Some(ws) = thr.ws() else { return };
    let mut cur = thr.cursor.get();
    // `holds_turn` is set only by `start` in an ordered loop's chunk.
    if !cur.holds_turn || ws.spec().dist_key != 0 {
        return;
    }
    cur.ordered_left = cur.ordered_left.saturating_sub(1);
    if cur.ordered_left == 0 {
        pass_turn(ws, &mut cur);
    }
    thr.cursor.set(cur);
}

/// The doacross state of one work share.
#[derive(Default)]
pub struct Doacross {
    counts: Vec<u64>,
    posted: Vec<AtomicU64>,
    /// Across nodes: the posted table in DSM memory (one word per outer
    /// iteration, zeroed), used instead of `posted`; waiters poll it.
    shared: Option<NonNull<AtomicU64>>,
    wake: EventCount,
}

// SAFETY: `shared` points at DSM memory that lives until the region ends
// (node 0 frees it then) and is only used through atomics.
unsafe impl Send for Doacross {}
// SAFETY: as above.
unsafe impl Sync for Doacross {}

impl Doacross {
    /// Prepares for a loop nest with these iteration counts per dimension.
    pub fn reset(&mut self, counts: &[u64]) {
        self.counts.clear();
        self.counts.extend_from_slice(counts);
        let outer = counts.first().copied().unwrap_or(0) as usize;
        self.posted.clear();
        self.posted.resize_with(outer, || AtomicU64::new(0));
        self.shared = None;
    }

    /// Use the zeroed table at `p` (room for one word per outer
    /// iteration), shared by every node, instead of the local one.
    pub fn share(&mut self, p: *mut AtomicU64) {
        self.shared = NonNull::new(p);
    }

    fn slot(&self, i0: usize) -> &AtomicU64 {
        match self.shared {
            // SAFETY: `share`'s table has a word per outer iteration and
            // `i0` was checked against the outer count by `locate`.
            Some(p) => unsafe { &*p.as_ptr().add(i0) },
            None => &self.posted[i0],
        }
    }

    /// The number of dimensions of the loop nest.
    pub fn ndims(&self) -> usize {
        self.counts.len()
    }

    /// The flattened index of the inner coordinates `v[1..]`, or `None` if
    /// any coordinate lies outside the iteration space.
    fn locate(&self, v: &[u64]) -> Option<(usize, u64)> {
        if v.len() != self.counts.len() || v.is_empty() {
            return None;
        }
        if v.iter().zip(&self.counts).any(|(x, c)| x >= c) {
            return None;
        }
        let flat = v[1..]
            .iter()
            .zip(&self.counts[1..])
            .fold(0u64, |acc, (x, c)| acc.wrapping_mul(*c).wrapping_add(*x));
        Some((v[0] as usize, flat))
    }

    /// Records that iteration `v` is done (`depend(source)`).
    pub fn post(&self, v: &[u64]) {
        if let Some((i0, flat)) = self.locate(v) {
            self.slot(i0).fetch_max(flat + 1, Ordering::Release);
            self.wake.notify_all();
        }
    }

    /// Waits until iteration `v` is done (`depend(sink: v)`).
    pub fn wait(&self, v: &[u64]) {
        if let Some((i0, flat)) = self.locate(v) {
            let slot = self.slot(i0);
            if self.shared.is_some() {
                // Another node's post wakes nobody here: poll, backing off
                // (each poll reads a local copy until the writer's update
                // invalidates it).
                let mut spins = 0u32;
                while slot.load(Ordering::Acquire) <= flat {
                    spins += 1;
                    if spins < 64 {
                        std::hint::spin_loop();
                    } else if spins < 128 {
                        std::thread::yield_now();
                    } else {
                        std::thread::sleep(std::time::Duration::from_micros(20));
                    }
                }
                return;
            }
            self.wake.wait_for(|| slot.load(Ordering::Acquire) > flat);
        }
    }
}

/// `GOMP_doacross_post` / `GOMP_doacross_ull_post`.
pub fn doacross_post(v: &[u64]) {
    if let Some(ws) = thread::current().ws() {
        ws.doacross().post(v);
    }
}

/// `GOMP_doacross_wait` / `GOMP_doacross_ull_wait`.
pub fn doacross_wait(v: &[u64]) {
    if let Some(ws) = thread::current().ws() {
        ws.doacross().wait(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doacross_locates_and_ignores_out_of_range_sinks() {
        let mut d = Doacross::default();
        d.reset(&[4, 3, 5]);
        assert_eq!(d.locate(&[1, 2, 4]), Some((1, 14)));
        assert_eq!(d.locate(&[4, 0, 0]), None);
        assert_eq!(d.locate(&[0, 3, 0]), None);
        assert_eq!(d.locate(&[u64::MAX, 0, 0]), None, "a negative long sink");
        d.post(&[1, 2, 4]);
        d.wait(&[1, 2, 3]); // already posted: must not block
        d.wait(&[9, 9, 9]); // outside: must not block
    }
}
