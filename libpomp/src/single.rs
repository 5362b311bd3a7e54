//! `single`, with and without `copyprivate` (libgomp's single.c).

use std::ffi::c_void;
use std::sync::atomic::Ordering;

use crate::thread;
use crate::work::LoopSpec;

/// `GOMP_single_start`: `true` for the one thread that executes the block.
///
/// Each thread counts the `single` constructs it meets; the team counts the
/// ones claimed. A thread claims construct `s` by moving the team's count
/// from `s - 1` to `s`; if the count has moved on, another thread has it.
#[inline]
pub fn start() -> bool {
    let thr = thread::current();
    let s = thr.single_seq.get() + 1;
    thr.single_seq.set(s);
    let team = thr.team();
    if thr.nthreads.get() == 1 && team.dist().is_none() {
        return true;
    }
    let mine = team.single.load(Ordering::Relaxed) == s - 1
        && team
            .single
            .compare_exchange(s - 1, s, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok();
    match team.dist() {
        // This node's winner competes with the other nodes' winners.
        Some(d) if mine && crate::dist::on() => crate::dist::single(&d, s),
        _ => mine,
    }
}

/// `GOMP_single_copy_start`: null for the executing thread; the others wait
/// until it has published its data with [`copy_end`] and get the address.
///
/// The wait is for that publication only, not a team barrier: the
/// executing thread always gets to `copy_end` (no cancellation point can
/// sit inside a `single`), so the wait always ends, and threads that left
/// the region because it was cancelled are never waited for. GCC follows
/// the copies with a team barrier, which keeps the published data alive
/// until everyone has copied it.
pub fn copy_start() -> *mut c_void {
    let thr = thread::current();
    let team = thr.team();
    let k = thr.ws_seq.get() + 1;
    thr.ws_seq.set(k);
    let (ws, first) = team.ws.enter(k);
    if first {
        ws.init(LoopSpec::EMPTY);
        team.ws.publish(ws, k);
    }
    thr.set_ws(ws);
    if first {
        if let Some(d) = team.dist().filter(|_| crate::dist::on()) {
            if let Some(data) = crate::dist::copy_claim(&d, k) {
                // Another node ran the single: hand its data to this node's
                // other threads as if this thread had published it.
                ws.copyprivate.store(data, Ordering::Release);
                ws.copyprivate_set.store(true, Ordering::Release);
                ws.copyprivate_ready.notify_all();
                return data;
            }
        }
        return std::ptr::null_mut();
    }
    ws.copyprivate_ready
        .wait_for(|| ws.copyprivate_set.load(Ordering::Acquire));
    ws.copyprivate.load(Ordering::Acquire)
}

/// `GOMP_single_copy_end`: publishes the executing thread's data.
pub fn copy_end(data: *mut c_void) {
    let thr = thread::current();
    if let Some(d) = thr.team().dist().filter(|_| crate::dist::on()) {
        crate::dist::copy_set(&d, thr.ws_seq.get(), data);
    }
    if let Some(ws) = thr.ws() {
        ws.copyprivate.store(data, Ordering::Release);
        ws.copyprivate_set.store(true, Ordering::Release);
        ws.copyprivate_ready.notify_all();
    }
}
