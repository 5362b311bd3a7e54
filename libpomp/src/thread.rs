//! Per-thread state: which team a thread is in, its thread number, its
//! position in the team's sequence of constructs, and its task's ICVs.
//!
//! Each OS thread that touches the runtime has one [`Thread`], reached
//! through a thread-local pointer. Workers build theirs when they start;
//! any other thread (the initial thread, or threads the program creates
//! itself) gets one on first use, with a team of one of its own so that
//! orphaned constructs outside any region behave as in a one-thread team.
//!
//! The runtime calls back into the program (the outlined region body) while
//! code up the stack still uses the thread's state, so the fields are
//! [`Cell`]s reached through a shared reference: no `&mut Thread` ever
//! exists, and re-entering the runtime from the program is sound.

use std::cell::{Cell, UnsafeCell};
use std::ptr;
use std::sync::atomic::AtomicU64;

use crate::icv::{self, TaskIcv};
use crate::task::Task;
use crate::team::Team;
use crate::work::{LoopSpec, WorkShare};

/// Where a thread is in the loop it is executing (per thread, reset when a
/// loop construct is entered).
#[derive(Clone, Copy, Debug, Default)]
pub struct LoopCursor {
    /// Static schedules: chunks taken so far.
    pub trip: u64,
    /// Ordered loops: the sequence number of the chunk being executed.
    pub chunk_index: u64,
    /// Ordered loops: `chunk_index % nthreads`, the word the chunk's turn
    /// comes on (see [`crate::ordered`]); set with `chunk_index`.
    pub turn_slot: u32,
    /// Ordered loops: a chunk is being executed and its turn not yet passed.
    pub has_chunk: bool,
    /// Ordered loops: this thread holds the ordered turn for its chunk.
    pub holds_turn: bool,
    /// Distributed ordered loops: the chunk being executed, as logical
    /// iterations `chunk_lo..chunk_hi` (the turn is a position).
    pub chunk_lo: u64,
    pub chunk_hi: u64,
    /// Ordered loops: ordered regions the chunk may still run. An iteration
    /// runs at most one, so when this reaches 0 the chunk is done with the
    /// turn and passes it at once (see [`crate::ordered::end`]).
    pub ordered_left: u64,
}

/// The part of a thread's state that a nested region saves on entry and
/// restores on exit: its place in the enclosing team.
#[derive(Clone, Copy)]
pub struct TeamPlace {
    pub team: *const Team,
    pub tid: u32,
    pub nthreads: u32,
    pub level: u32,
    pub active_level: u32,
    pub region: u64,
    pub bar_count: u32,
    pub ws_seq: u64,
    pub single_seq: u64,
    pub ws: *const WorkShare,
    pub cursor: LoopCursor,
    pub icv: TaskIcv,
    pub task: *const Task,
}

pub struct Thread {
    /// The innermost team this thread is in (its team of one outside any
    /// region). Valid for as long as the thread is in that team.
    pub team: Cell<*const Team>,
    /// Thread number in that team.
    pub tid: Cell<u32>,
    pub nthreads: Cell<u32>,
    /// Enclosing parallel regions, and how many of them are active.
    pub level: Cell<u32>,
    pub active_level: Cell<u32>,
    /// The team's region number (unique per region of that team).
    pub region: Cell<u64>,
    /// In-region barriers passed in this region.
    pub bar_count: Cell<u32>,
    /// Work-sharing constructs entered in this team (they are numbered
    /// across the team's regions).
    pub ws_seq: Cell<u64>,
    /// `single` constructs entered in this region.
    pub single_seq: Cell<u64>,
    /// The work share of the construct being executed. Set only through
    /// [`Thread::set_ws`].
    pub ws: Cell<*const WorkShare>,
    /// Stealing loops: this thread's own range in `ws`, so that
    /// `GOMP_loop_*_next` reaches it with one load from the thread's state
    /// (see [`crate::loops::next`]). Null unless `ws` is a stealing loop;
    /// [`Thread::set_ws`] clears it, so it never outlives the construct.
    pub steal_own: Cell<*const AtomicU64>,
    /// Stealing loops: the loop's start and the distance from one chunk's
    /// start to the next's (read with `steal_own`), and the whole spec
    /// (for stealing). The thread's own copies: it may enter a stealing
    /// loop before the first thread has published the work share's.
    pub steal_base: Cell<(u64, u64)>,
    pub steal_spec: Cell<LoopSpec>,
    pub cursor: Cell<LoopCursor>,
    /// The data-environment ICVs of the task being executed.
    pub icv: Cell<TaskIcv>,
    /// The task being executed: an implicit task (see `implicit`) or an
    /// explicit task this thread runs.
    pub task: Cell<*const Task>,
    /// Undeferred tasks running from their creators' frames on this thread
    /// that have something to do when their body returns (kept ICVs, a
    /// heap copy): while 0, no frame needs to look (see
    /// `task::run_on_stack`).
    pub stack_after: Cell<u32>,
    /// This thread's implicit tasks, one per nesting level (a thread runs
    /// at most one implicit task per level at a time). Boxed: tasks point
    /// at them while the Vec grows.
    #[allow(clippy::vec_box)]
    implicit: UnsafeCell<Vec<Box<Task>>>,
    /// Teams this thread leads as primary thread, by how many regions it
    /// already leads when starting one: reused from region to region ("hot"
    /// teams, with their workers still attached). Boxed because workers and
    /// places hold pointers to them while the Vec grows.
    #[allow(clippy::vec_box)]
    led: UnsafeCell<Vec<Box<Team>>>,
    pub lead_depth: Cell<usize>,
    /// This thread's team of one, for constructs outside any region.
    solo: Box<Team>,
    /// `reduction(task, ...)` descriptors of the constructs this thread is
    /// in, innermost last.
    reductions: std::cell::RefCell<Vec<*mut usize>>,
    /// Recycled task allocations (see [`crate::task`]).
    pub task_cache: crate::task::TaskCache,
}

thread_local! {
    /// Owns the state of threads the runtime did not create, and tidies up
    /// their teams when they exit.
    static FOREIGN: ForeignThread = const { ForeignThread(Cell::new(ptr::null())) };
}

struct ForeignThread(Cell<*const Thread>);

impl Drop for ForeignThread {
    fn drop(&mut self) {
        let t = self.0.get();
        if !t.is_null() {
            crate::sys::tls_set_current(ptr::null());
            // SAFETY: `t` came from Box::into_raw in `init_foreign` and is
            // freed only here, once, when its thread exits; no region of the
            // thread can be running any more.
            drop(unsafe { Box::from_raw(t as *mut Thread) });
        }
    }
}

/// The calling thread's state, created on first use.
#[inline]
pub fn current() -> &'static Thread {
    let p = crate::sys::tls_current().cast::<Thread>();
    if p.is_null() {
        return init_foreign();
    }
    // SAFETY: a non-null current pointer points at a Thread that lives until this
    // thread exits (a worker's, owned by its thread function, or a foreign
    // thread's, owned by FOREIGN); only shared references are handed out.
    unsafe { &*p }
}

/// The calling thread's state if it has one (never creates it: usable
/// while the thread's state is being torn down).
#[inline]
pub fn current_if_any() -> Option<&'static Thread> {
    let p = crate::sys::tls_current().cast::<Thread>();
    // SAFETY: as in `current`: a non-null pointer is a live Thread.
    unsafe { p.as_ref() }
}

#[cold]
fn init_foreign() -> &'static Thread {
    let t = Box::into_raw(Box::new(Thread::new(icv::global().initial)));
    FOREIGN.with(|f| f.0.set(t));
    crate::sys::tls_set_current(t.cast());
    // SAFETY: just allocated; freed only by ForeignThread::drop at exit.
    unsafe { &*t }
}

/// Makes `t` the calling thread's state (worker threads, at start).
///
/// # Safety
/// `t` must stay valid, at the same address, until the thread exits or
/// calls this again.
pub unsafe fn set_current(t: *const Thread) {
    crate::sys::tls_set_current(t.cast());
}

impl Thread {
    pub fn new(icv: TaskIcv) -> Thread {
        let solo = Team::new_solo();
        let solo_ptr: *const Team = &*solo;
        let level0 = Task::new_implicit();
        level0.reset_implicit(solo_ptr, 0);
        let task: *const Task = &*level0;
        Thread {
            team: Cell::new(solo_ptr),
            tid: Cell::new(0),
            nthreads: Cell::new(1),
            level: Cell::new(0),
            active_level: Cell::new(0),
            region: Cell::new(0),
            bar_count: Cell::new(0),
            ws_seq: Cell::new(0),
            single_seq: Cell::new(0),
            ws: Cell::new(ptr::null()),
            steal_own: Cell::new(ptr::null()),
            steal_base: Cell::new((0, 0)),
            steal_spec: Cell::new(LoopSpec::EMPTY),
            cursor: Cell::new(LoopCursor::default()),
            icv: Cell::new(icv),
            task: Cell::new(task),
            stack_after: Cell::new(0),
            implicit: UnsafeCell::new(vec![level0]),
            led: UnsafeCell::new(Vec::new()),
            lead_depth: Cell::new(0),
            solo,
            reductions: std::cell::RefCell::new(Vec::new()),
            task_cache: Default::default(),
        }
    }

    /// Registers a task-reduction descriptor of a construct being entered.
    pub fn push_reduction(&self, d: *mut usize) {
        self.reductions.borrow_mut().push(d);
    }

    /// Unregisters the innermost one.
    pub fn pop_reduction(&self) -> Option<*mut usize> {
        self.reductions.borrow_mut().pop()
    }

    /// The first of this thread's registered descriptors, innermost first,
    /// for which `f` finds something.
    pub fn find_reduction<R>(&self, f: impl Fn(*const usize) -> Option<R>) -> Option<R> {
        self.reductions.borrow().iter().rev().find_map(|&d| f(d))
    }

    /// This thread's implicit task for a region of `team` at nesting level
    /// `level`, made fresh.
    pub fn implicit_task(&self, team: *const Team, level: u32) -> *const Task {
        // SAFETY: `implicit` is touched only by its own thread, here; no
        // reference into the Vec escapes (only pointers to the boxed tasks).
        let v = unsafe { &mut *self.implicit.get() };
        while v.len() <= level as usize {
            v.push(Task::new_implicit());
        }
        let t = &v[level as usize];
        t.reset_implicit(team, 0);
        &**t
    }

    /// The team this thread is in.
    #[inline]
    pub fn team(&self) -> &Team {
        // SAFETY: `team` always points at a live team: the thread's own team
        // of one, or the team of the region it is executing, which outlives
        // the region (teams are freed only when no region of theirs runs).
        unsafe { &*self.team.get() }
    }

    /// The work share of the construct being executed, if any.
    #[inline]
    pub fn ws(&self) -> Option<&WorkShare> {
        let p = self.ws.get();
        // SAFETY: `ws` is null or points into the current team's ring, and
        // the slot is not reused until this thread has left the construct.
        unsafe { p.as_ref() }
    }

    /// Makes `ws` the construct being executed (null: none).
    #[inline]
    pub fn set_ws(&self, ws: *const WorkShare) {
        self.ws.set(ws);
        self.steal_own.set(ptr::null());
    }

    /// Saves this thread's place before it enters a nested team.
    pub fn save_place(&self) -> TeamPlace {
        TeamPlace {
            team: self.team.get(),
            tid: self.tid.get(),
            nthreads: self.nthreads.get(),
            level: self.level.get(),
            active_level: self.active_level.get(),
            region: self.region.get(),
            bar_count: self.bar_count.get(),
            ws_seq: self.ws_seq.get(),
            single_seq: self.single_seq.get(),
            ws: self.ws.get(),
            cursor: self.cursor.get(),
            icv: self.icv.get(),
            task: self.task.get(),
        }
    }

    /// Changes the current task's data-environment ICVs (an `omp_set_*`
    /// routine, a `teams` league). Every such change goes through here, so
    /// that an undeferred task running from its creator's frame can keep
    /// its creator's values first (see `task::run_on_stack`).
    pub fn set_icv(&self, icv: TaskIcv) {
        crate::task::before_icv_change(self);
        self.icv.set(icv);
    }

    /// Restores (or installs) a place.
    pub fn set_place(&self, p: &TeamPlace) {
        self.team.set(p.team);
        self.tid.set(p.tid);
        self.nthreads.set(p.nthreads);
        self.level.set(p.level);
        self.active_level.set(p.active_level);
        self.region.set(p.region);
        self.bar_count.set(p.bar_count);
        self.ws_seq.set(p.ws_seq);
        self.single_seq.set(p.single_seq);
        self.set_ws(p.ws);
        if let Some(ws) = self.ws() {
            // A stealing loop this thread entered before its first thread
            // had set it up: `GOMP_loop_*_next` now reads the work share's
            // spec (the cached range went with `set_ws`).
            self.team().ws.wait_ready(ws, p.ws_seq);
        }
        self.cursor.set(p.cursor);
        self.icv.set(p.icv);
        self.task.set(p.task);
    }

    /// The team this thread leads at depth `depth`, created on first use.
    /// The returned pointer stays valid for the thread's lifetime.
    pub fn led_team(&self, depth: usize) -> *const Team {
        // SAFETY: `led` is touched only by its own thread, here and in Drop,
        // and no reference into the Vec itself escapes (only pointers to the
        // boxed teams, which do not move when the Vec grows).
        let led = unsafe { &mut *self.led.get() };
        while led.len() <= depth {
            led.push(Team::new());
        }
        &*led[depth]
    }

    /// This thread's team of one.
    pub fn solo_team(&self) -> *const Team {
        &*self.solo
    }
}

impl Drop for Thread {
    fn drop(&mut self) {
        // Send the workers of the teams this thread led back to the pool.
        for team in self.led.get_mut().drain(..) {
            team.disband();
        }
    }
}
