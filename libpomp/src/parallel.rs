//! Parallel regions and the queries about the current team (libgomp's
//! parallel.c): how many threads a region gets, starting and ending it, and
//! `omp_get_thread_num` and friends.

use std::cell::RefCell;

use crate::icv;
use crate::loops::{self, LoopStart};
use crate::team::{self, Forked, Job, Launch, MAX_TEAM};
use crate::thread::{self, Thread};

/// The team size for a region the calling thread starts (OpenMP 5.2,
/// "Determining the Number of Threads for a parallel Region"), before the
/// thread limit. `requested` is the `num_threads` clause, 0 if absent; GCC
/// folds a false `if` clause into a request for 1.
pub fn resolve_nthreads(thr: &Thread, requested: u32) -> u32 {
    let icv = thr.icv.get();
    if thr.active_level.get() >= icv.max_active_levels {
        return 1;
    }
    let mut n = if requested > 0 {
        requested
    } else {
        icv.nthreads
    };
    if n <= 1 {
        return 1;
    }
    if icv.dynamic {
        n = n.min(icv::global().cpus);
    }
    n.min(MAX_TEAM)
}

/// What a region needs beyond its body: a combined construct's first work
/// share.
pub enum Preset<'a> {
    None,
    Loop(&'a LoopStart),
    Sections(u32),
    /// `parallel reduction(task, ...)`: allocate one block of private copies
    /// per team thread into this descriptor before the team runs.
    Reductions(*mut usize),
}

/// A started region: ended by [`end`].
pub struct Region {
    forked: Forked,
    nthreads: u32,
    limit: u32,
    dist: Option<crate::dist::DistTeam>,
}

/// Starts a region led by the calling thread; the caller then runs the body
/// itself as thread 0 and calls [`end`].
pub fn begin(job: Job, requested: u32, proc_bind: u32, preset: Preset) -> Region {
    let thr = thread::current();
    let limit = thr.icv.get().thread_limit;
    let dist = if crate::dist::on() {
        let kind = match &preset {
            Preset::None => crate::dist::PresetKind::None,
            Preset::Loop(req)
                if !req.ordered && req.doacross.is_none() && req.reductions.is_none() =>
            {
                crate::dist::PresetKind::Loop(req)
            }
            Preset::Sections(n) => crate::dist::PresetKind::Sections(*n),
            _ => crate::dist::PresetKind::Other,
        };
        crate::dist::region_begin(thr, job, requested, proc_bind, kind)
    } else {
        None
    };
    let mut want = match dist {
        Some(d) => d.local,
        None => resolve_nthreads(thr, requested),
    };
    if let Preset::Sections(count) = preset {
        // With dynamic adjustment, more threads than sections is waste.
        if thr.icv.get().dynamic {
            want = want.min(count.max(1));
        }
    }
    let n = if dist.is_some() {
        // A distributed team's shares are fixed: every node runs its own.
        want
    } else {
        team::reserve_threads(want, limit)
    };
    let launch = Launch {
        dist,
        job,
        nthreads: n,
        proc_bind,
        reductions: match preset {
            Preset::Reductions(d) => d,
            _ => std::ptr::null_mut(),
        },
    };
    let forked = match preset {
        Preset::None => team::begin(&launch, None),
        Preset::Loop(req) => team::begin(
            &launch,
            Some(&|team, k| {
                loops::preset(team, k, loops::make_spec(n, thr, req));
            }),
        ),
        Preset::Sections(count) => team::begin(
            &launch,
            Some(&|team, k| crate::sections::preset(team, k, count, n)),
        ),
        Preset::Reductions(d) => {
            // SAFETY: GCC's descriptor, filled in before any thread reads it.
            unsafe { crate::reduction::allocate(d, n) };
            team::begin(&launch, None)
        }
    };
    Region {
        forked,
        nthreads: n,
        limit: if dist.is_some() { u32::MAX } else { limit },
        dist,
    }
}

/// Ends a region started with [`begin`] (the join).
pub fn end(r: Region) {
    team::end(r.forked);
    team::release_threads(r.nthreads, r.limit);
    if let Some(d) = r.dist {
        crate::dist::region_end(d);
    }
}

/// `GOMP_parallel` and the combined forms: start, run the body as thread 0,
/// end.
pub fn run(job: Job, requested: u32, proc_bind: u32, preset: Preset) -> u32 {
    let r = begin(job, requested, proc_bind, preset);
    let n = r.nthreads;
    // SAFETY: the job is the compiler's outlined body and its data.
    unsafe { job.run() };
    end(r);
    n
}

thread_local! {
    /// Regions started with the legacy `GOMP_parallel_start`, awaiting
    /// `GOMP_parallel_end`.
    static LEGACY: RefCell<Vec<Region>> = const { RefCell::new(Vec::new()) };
}

/// `GOMP_parallel_start`: like [`begin`]; the program then calls the body
/// itself and `GOMP_parallel_end`.
pub fn legacy_start(job: Job, requested: u32, preset: Preset) {
    let r = begin(job, requested, 0, preset);
    LEGACY.with(|l| l.borrow_mut().push(r));
}

/// `GOMP_parallel_end`.
pub fn legacy_end() {
    if let Some(r) = LEGACY.with(|l| l.borrow_mut().pop()) {
        end(r);
    }
}

/// `omp_get_num_threads`.
#[inline]
pub fn num_threads() -> i32 {
    let thr = thread::current();
    if crate::dist::on() {
        if let Some(d) = thr.team().dist() {
            return d.total as i32;
        }
    }
    thr.nthreads.get() as i32
}

/// `omp_get_thread_num`.
#[inline]
pub fn thread_num() -> i32 {
    let thr = thread::current();
    if crate::dist::on() {
        if let Some(d) = thr.team().dist() {
            return (d.base + thr.tid.get()) as i32;
        }
    }
    thr.tid.get() as i32
}

/// `omp_in_parallel`: inside an active region.
pub fn in_parallel() -> bool {
    thread::current().active_level.get() > 0
}

/// `omp_get_level`.
pub fn level() -> i32 {
    thread::current().level.get() as i32
}

/// `omp_get_active_level`.
pub fn active_level() -> i32 {
    thread::current().active_level.get() as i32
}

/// Walks from the calling thread's team out to nesting level `level` and
/// returns (thread number there, that team's size), or `None` if there is no
/// such level.
fn ancestor(level: i32) -> Option<(u32, u32)> {
    let thr = thread::current();
    let cur = thr.level.get() as i32;
    if level < 0 || level > cur {
        return None;
    }
    let mut team = thr.team();
    let mut tid = thr.tid.get();
    let mut l = cur;
    while l > level {
        let (parent, ptid) = team.parent();
        if parent.is_null() {
            return Some((0, 1));
        }
        // SAFETY: an enclosing team outlives the regions nested in it, and
        // the calling thread is inside one of those.
        team = unsafe { &*parent };
        tid = ptid;
        l -= 1;
    }
    // A team spread over nodes: numbers and size across all of them.
    if let Some(d) = team.dist().filter(|_| crate::dist::on()) {
        return Some((d.base + tid, d.total));
    }
    Some((tid, team.bar.nthreads()))
}

/// `omp_get_ancestor_thread_num`.
pub fn ancestor_thread_num(level: i32) -> i32 {
    ancestor(level).map_or(-1, |(t, _)| t as i32)
}

/// `omp_get_team_size`.
pub fn team_size(level: i32) -> i32 {
    ancestor(level).map_or(-1, |(_, n)| n as i32)
}
