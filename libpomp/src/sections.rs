//! `sections` (libgomp's sections.c): a work share that hands out section
//! numbers 1..=count one at a time; 0 means "no more".

use std::sync::atomic::Ordering;

use crate::icv::SchedKind;
use crate::team::Team;
use crate::thread;
use crate::work::LoopSpec;

/// The work share spec of `count` sections.
pub fn spec(count: u32, nthreads: u32) -> LoopSpec {
    LoopSpec {
        kind: SchedKind::Dynamic,
        chunk: 1,
        n: count as u64,
        start: 1,
        incr: 1,
        end: count as u64 + 1,
        nthreads,
        ordered: false,
        fast_add: true,
        ..LoopSpec::EMPTY
    }
}

/// `GOMP_sections_start` / `GOMP_sections2_start`: enters the construct and
/// returns the caller's first section. `mem` as for loops.
pub fn start(
    count: u32,
    mem: Option<*mut *mut std::ffi::c_void>,
    reductions: Option<*mut usize>,
) -> u32 {
    let thr = thread::current();
    let team = thr.team();
    let k = thr.ws_seq.get() + 1;
    thr.ws_seq.set(k);
    let (ws, first) = team.ws.enter(k);
    if first {
        let s = spec(count, thr.nthreads.get());
        ws.init(match team.dist() {
            Some(d) => d.distribute(s, k),
            None => s,
        });
        if let Some(mem) = mem {
            // SAFETY: GCC passes a valid `void **` holding the size wanted.
            unsafe { *mem = ws.init_mem(*mem as usize) };
        }
        if let Some(d) = reductions {
            // SAFETY: GCC's descriptor, registered before publishing.
            unsafe { crate::reduction::workshare_register(d, ws, true, thr.nthreads.get()) };
        }
        team.ws.publish(ws, k);
    } else {
        if let Some(mem) = mem {
            // SAFETY: as above.
            unsafe { *mem = ws.mem_ptr() };
        }
        if let Some(d) = reductions {
            // SAFETY: as above; the construct is ready, so are its blocks.
            unsafe { crate::reduction::workshare_register(d, ws, false, thr.nthreads.get()) };
        }
    }
    thr.set_ws(ws);
    next()
}

/// Sets up a `parallel sections` work share at fork.
pub fn preset(team: &Team, k: u64, count: u32, nthreads: u32) {
    crate::loops::preset(team, k, spec(count, nthreads));
}

/// `GOMP_sections_next`.
pub fn next() -> u32 {
    let Some(ws) = thread::current().ws() else {
        return 0;
    };
    let spec = ws.spec();
    if spec.dist_key != 0 {
        // Across nodes: a dynamic loop with chunks of one section.
        return match crate::loops::next_claimed(ws, spec) {
            Some((a, _)) => spec.value(a) as u32,
            None => 0,
        };
    }
    let a = ws.next.fetch_add(1, Ordering::Relaxed);
    if a >= spec.n {
        0
    } else {
        spec.value(a) as u32
    }
}
