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
    if thr.nthreads.get() == 1 {
        return true;
    }
    let team = thr.team();
    team.single.load(Ordering::Relaxed) == s - 1
        && team
            .single
            .compare_exchange(s - 1, s, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
}

/// `GOMP_single_copy_start`: null for the executing thread; for the others,
/// after the executing thread's [`copy_end`], the address it published.
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
    thr.ws.set(ws);
    if first {
        return std::ptr::null_mut();
    }
    crate::barrier::wait(thr);
    ws.copyprivate.load(Ordering::Acquire)
}

/// `GOMP_single_copy_end`: publishes the executing thread's data and
/// releases the others (GCC follows with a barrier once they have copied).
pub fn copy_end(data: *mut c_void) {
    let thr = thread::current();
    if let Some(ws) = thr.ws() {
        ws.copyprivate.store(data, Ordering::Release);
    }
    crate::barrier::wait(thr);
}
