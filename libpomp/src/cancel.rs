//! Cancellation (libgomp's `GOMP_cancel` / `GOMP_cancellation_point`).
//!
//! Cancelling a parallel region marks the team's barrier cancelled: threads
//! waiting in a barrier are released and every later barrier of the region
//! returns at once with `true`. Cancelling a loop or `sections` marks the
//! team's current construct (until the barrier that ends it), which the
//! other threads see at their cancellation points.

use std::sync::atomic::Ordering;

use crate::icv;
use crate::thread;

/// The construct a cancel names (GCC's `which` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Parallel,
    Loop,
    Sections,
    Taskgroup,
}

impl Which {
    /// GCC's encoding: 1 parallel, 2 loop, 4 sections, 8 taskgroup.
    pub fn from_raw(v: i32) -> Option<Which> {
        match v {
            1 => Some(Which::Parallel),
            2 => Some(Which::Loop),
            4 => Some(Which::Sections),
            8 => Some(Which::Taskgroup),
            _ => None,
        }
    }
}

/// `GOMP_cancellation_point`: whether the innermost such construct was
/// cancelled.
pub fn point(which: Which) -> bool {
    if !icv::global().cancellation {
        return false;
    }
    let thr = thread::current();
    match which {
        Which::Parallel => thr.team().bar.cancelled(),
        Which::Loop | Which::Sections => {
            let team = thr.team();
            team.ws.cancelled.load(Ordering::Acquire)
                || team.bar.cancelled()
                || (crate::dist::on()
                    && team
                        .dist()
                        .is_some_and(|d| crate::dist::ws_cancelled(&d, thr.bar_count.get())))
        }
        Which::Taskgroup => crate::task::taskgroup_cancelled() || thr.team().bar.cancelled(),
    }
}

/// `GOMP_cancel`: activates cancellation (or, with `do_cancel` false — an
/// `if` clause that evaluated false — acts as a cancellation point).
pub fn cancel(which: Which, do_cancel: bool) -> bool {
    if !icv::global().cancellation {
        return false;
    }
    if !do_cancel {
        return point(which);
    }
    let thr = thread::current();
    match which {
        Which::Parallel => {
            let team = thr.team();
            team.bar.cancel();
            // Threads helping with tasks inside a barrier sleep on the task
            // scheduler's event count, not on the barrier word.
            team.tasks.ec.notify_all();
            if crate::dist::on() {
                if let Some(d) = team.dist() {
                    crate::dist::cancel_parallel(&d);
                }
            }
            true
        }
        Which::Loop | Which::Sections => {
            let team = thr.team();
            team.ws.cancelled.store(true, Ordering::Release);
            if crate::dist::on() {
                if let Some(d) = team.dist() {
                    crate::dist::cancel_ws(&d, thr.bar_count.get());
                }
            }
            true
        }
        Which::Taskgroup => crate::task::cancel_taskgroup(),
    }
}
