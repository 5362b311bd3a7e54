//! `#pragma omp barrier` and the barriers that end work-sharing constructs
//! (libgomp's barrier.c): the calling thread's team barrier, which also
//! records that every construct before it is finished.

use crate::bar::TaskHooks;
use crate::task;
use crate::thread::Thread;

/// The barrier's view of the calling thread's task scheduler.
struct Hooks<'a>(&'a Thread);

impl TaskHooks for Hooks<'_> {
    #[inline]
    fn drain(&self) {
        task::drain(self.0);
    }
    fn help(&self, released: &dyn Fn() -> bool) {
        task::help(self.0, released);
    }
    fn released(&self) {
        self.0.team().tasks.ec.notify_all();
    }
}

/// Waits at the team's barrier; `true` if the region was cancelled (the
/// barrier then returns at once, on every thread).
#[inline]
pub fn wait(thr: &Thread) -> bool {
    let team = thr.team();
    let count = thr.bar_count.get().wrapping_add(1);
    thr.bar_count.set(count);
    let epoch = (thr.region.get() << 32) | count as u64;
    let k = thr.ws_seq.get();
    team.bar.wait(
        thr.tid.get(),
        epoch,
        || {
            team.ws.barrier_passed(k);
            if crate::dist::on() {
                if let Some(d) = team.dist() {
                    // The other nodes' threads, before this node's go.
                    if crate::dist::barrier(&d, count) {
                        team.bar.cancel();
                    }
                }
            }
        },
        &Hooks(thr),
    )
}
