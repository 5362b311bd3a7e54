//! Explicit tasks (libgomp's task.c and taskloop.c): creation, dependences,
//! scheduling, `taskwait`, taskgroups, task reductions, detach.
//!
//! ## Objects
//!
//! A [`Task`] is one allocation holding the task and a copy of its argument
//! block. It is reference-counted: one reference while it is queued or
//! running, one for each child (a child decrements its parent's child count
//! when it completes), one for each dependence-map entry that names it and
//! one for a `detach` event handle. Every thread also has an *implicit*
//! task per nesting level ([`crate::thread::Thread::implicit_task`]), which
//! is never freed.
//!
//! An undeferred task without copy function, dependences or detach (an
//! `if(0)` task, a task in a final task, a task past the throttle) is not
//! allocated: its record lives in the frame of the `GOMP_task` call that
//! runs it, as libgomp does it, and the creator's ICVs are kept only if the
//! body changes them. The moment the body creates a task that would refer
//! to the record past that frame (a deferred child, a child with
//! dependences or detach), the record, with any stack records above it, is
//! copied to the heap and finished from there (`promote`).
//!
//! ## Scheduling
//!
//! Each team slot has a work-stealing deque (crossbeam): the owner pushes
//! and pops at one end (depth first, so a deep task tree needs memory in
//! proportion to its depth), other threads steal from the other end.
//! Prioritised tasks go to a shared heap, taken first. A task the
//! scheduling constraint forbids the taker to run (a thread waiting in an
//! explicit task may only run that task's descendants) goes to the team's
//! shared injector queue for someone else.
//!
//! Threads run tasks at task scheduling points: `taskwait`, the end of a
//! taskgroup, barriers and the end of the region. A thread waiting in a
//! barrier learns that tasks exist from the `TASKS` bit the first push sets
//! in the barrier's generation word (and, for threads that already finished
//! their implicit task, in the team's dock word); it then helps until the
//! barrier is released. The barrier is released only once every task of the
//! team has completed ([`Tasks::outstanding`] is 0).
//!
//! ## Counting
//!
//! `children` (parent task) and `count` (taskgroup) are incremented at
//! creation and decremented at completion; whoever brings one to zero
//! notifies the team's event count, on which every task wait sleeps.
//!
//! The team-wide count of outstanding tasks is not one counter: every thread
//! counts the tasks it created and the tasks it completed in its own slot
//! (one writer each, no read-modify-write, no cache line shared between
//! creators), and [`Tasks::outstanding`] sums the completions first, then
//! the creations. A completion happens after its task's creation, so a
//! completion the sum sees brings its creation with it; the sum is never
//! below the true count at the first read, and zero means every task counted
//! so far is complete, so no task is left to create more. Whoever completes
//! a task with its own queue empty (as the last task's completer's is)
//! notifies the event count.

use std::alloc::{self, Layout};
use std::cell::{Cell, UnsafeCell};
use std::collections::{BinaryHeap, HashMap};
use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicUsize, Ordering};
use std::sync::Mutex;

use crossbeam_deque::{Injector, Steal, Stealer, Worker};

use crate::arch::CachePadded;
use crate::icv::{self, TaskIcv};
use crate::team::Team;
use crate::thread::{self, Thread};
use crate::wait::EventCount;

/// GCC's `GOMP_TASK_FLAG_*` bits (checked against GCC 12's lowering).
pub mod flags {
    pub const UNTIED: u32 = 1 << 0;
    pub const FINAL: u32 = 1 << 1;
    pub const MERGEABLE: u32 = 1 << 2;
    pub const DEPEND: u32 = 1 << 3;
    pub const PRIORITY: u32 = 1 << 4;
    pub const UP: u32 = 1 << 8;
    pub const GRAINSIZE: u32 = 1 << 9;
    pub const IF: u32 = 1 << 10;
    pub const NOGROUP: u32 = 1 << 11;
    pub const REDUCTION: u32 = 1 << 12;
    pub const DETACH: u32 = 1 << 13;
    pub const STRICT: u32 = 1 << 14;
}

/// A thread whose own deque holds this many tasks runs the new ones it
/// creates at once (libgomp's rule is 64 per team thread, team-wide),
/// which bounds the memory a producer loop can tie up.
const THROTTLE_PER_THREAD: usize = 64;

/// A stack task moved to the heap (`Task::promoted`).
const AFTER_PROMOTED: u8 = 1;
/// A stack task's `icv` holds its creator's ICVs, to be put back.
const AFTER_ICV: u8 = 2;

/// The body of a task and its argument.
pub type TaskFn = unsafe extern "C" fn(*mut c_void);
/// GCC's copy function for firstprivate data: `cpyfn(dst, src)`.
pub type CopyFn = unsafe extern "C" fn(*mut c_void, *mut c_void);

/// A taskgroup region, owned by the task that opened it.
pub struct Taskgroup {
    /// Tasks of the group (and their descendants) not yet complete.
    count: AtomicUsize,
    /// The enclosing taskgroup (in the same task, or inherited from the
    /// generating task).
    parent: *const Taskgroup,
    cancelled: AtomicBool,
    /// The newest task-reduction descriptor registered in this group; the
    /// descriptors chain through their slot 4.
    reductions: AtomicPtr<usize>,
}

/// Successors waiting for a task to complete.
#[derive(Default)]
struct Succ {
    done: bool,
    list: Vec<NonNull<Task>>,
}

pub struct Task {
    refs: AtomicU32,
    implicit: bool,
    /// The generating task (holds a reference when explicit).
    parent: Cell<*const Task>,
    /// The taskgroup this task counts in.
    group: Cell<*const Taskgroup>,
    /// The innermost taskgroup while this task runs (starts as `group`).
    taskgroup: Cell<*const Taskgroup>,
    depth: Cell<u32>,
    is_final: Cell<bool>,
    priority: i32,
    /// Incomplete children, for `taskwait`.
    children: AtomicUsize,
    /// What must finish before the task is complete: the body, and the
    /// `detach` event if any.
    pending: AtomicU32,
    /// Predecessors not yet complete, plus one while dependences are
    /// being registered.
    npred: AtomicUsize,
    completed: AtomicBool,
    /// Counted in its parent's children, its taskgroup and the team's
    /// outstanding tasks (not so an undeferred task that completes before
    /// its creation returns).
    counted: Cell<bool>,
    /// Holds a reference to its parent (see [`release`]). A deferred task
    /// always does; an undeferred one, whose parent is suspended below it
    /// on the same thread while it runs, only once it creates a child.
    holds_parent: Cell<bool>,
    /// Undeferred: its creator waits for its predecessors and runs it, so
    /// completing predecessors must not queue it.
    inline: Cell<bool>,
    /// Named by a dependence map: it may have successors (else its
    /// completion skips the `succ` lock).
    in_map: Cell<bool>,
    succ: Mutex<Succ>,
    /// The dependences among this task's children; touched only by the
    /// thread executing this task.
    deps: UnsafeCell<Option<Box<DepMap>>>,
    /// The ICVs the task runs with (heap tasks: set at creation), or, in a
    /// stack task, its creator's ICVs kept to be put back: written only
    /// when the `AFTER_ICV` bit is set, and never read before. Use
    /// [`Task::kept_icv`] and [`Task::keep_icv`].
    icv: Cell<MaybeUninit<TaskIcv>>,
    func: Option<TaskFn>,
    arg: Cell<*mut c_void>,
    team: Cell<*const Team>,
    /// The allocation (task + argument block) to free.
    layout: Layout,
    /// An undeferred task that lives in its creator's stack frame (see
    /// [`run_on_stack`]); it moves to the heap ([`promote`]) the moment
    /// anything could refer to it past that frame.
    on_stack: bool,
    /// A stack task that moved: where it lives now.
    promoted: Cell<*const Task>,
    /// A stack task: what its frame must do when the body returns
    /// (`AFTER_*` bits); 0 in the common case.
    after: Cell<u8>,
    /// Its identity as a nestable lock's owner when it is not its address
    /// (a promoted task keeps its stack address, so a lock it set before
    /// it moved is still its own).
    ident: Cell<usize>,
}

// SAFETY: the Cells of a task are written only while one thread owns it:
// its creator before it is published (queued, or handed to a predecessor
// under that predecessor's `succ` mutex, both of which order the writes
// before the taker's reads), and afterwards only by the thread executing
// it (`taskgroup`, `deps`). An implicit task's fields are reset by its own
// thread at the start of a region, when no task of the previous region
// refers to it. Counters shared between threads are atomics.
unsafe impl Sync for Task {}
// SAFETY: see Sync.
unsafe impl Send for Task {}

impl Task {
    /// The ICVs kept in the task.
    ///
    /// # Safety
    /// They must have been written: always so for a heap or implicit task
    /// (written at creation), for a stack task only once its `AFTER_ICV`
    /// bit is set.
    #[inline]
    unsafe fn kept_icv(&self) -> TaskIcv {
        // SAFETY: written, per the contract.
        unsafe { self.icv.get().assume_init() }
    }

    #[inline]
    fn keep_icv(&self, v: TaskIcv) {
        self.icv.set(MaybeUninit::new(v));
    }

    /// A thread's implicit task for one nesting level.
    pub fn new_implicit() -> Box<Task> {
        Box::new(Task {
            refs: AtomicU32::new(1),
            implicit: true,
            parent: Cell::new(ptr::null()),
            group: Cell::new(ptr::null()),
            taskgroup: Cell::new(ptr::null()),
            depth: Cell::new(0),
            is_final: Cell::new(false),
            priority: 0,
            children: AtomicUsize::new(0),
            pending: AtomicU32::new(1),
            npred: AtomicUsize::new(0),
            completed: AtomicBool::new(false),
            counted: Cell::new(true),
            holds_parent: Cell::new(false),
            inline: Cell::new(false),
            in_map: Cell::new(false),
            succ: Mutex::new(Succ::default()),
            deps: UnsafeCell::new(None),
            icv: Cell::new(MaybeUninit::new(icv::global().initial)),
            func: None,
            arg: Cell::new(ptr::null_mut()),
            team: Cell::new(ptr::null()),
            layout: Layout::new::<Task>(),
            on_stack: false,
            promoted: Cell::new(ptr::null()),
            after: Cell::new(0),
            ident: Cell::new(0),
        })
    }

    /// Makes an implicit task fresh for a new region of `team`.
    pub fn reset_implicit(&self, team: *const Team, depth: u32) {
        debug_assert!(self.implicit);
        self.parent.set(ptr::null());
        self.group.set(ptr::null());
        self.taskgroup.set(ptr::null());
        self.depth.set(depth);
        self.is_final.set(false);
        self.team.set(team);
        // SAFETY: only this thread touches its implicit task's map, and no
        // task of an earlier region is running (its region has ended).
        unsafe { *self.deps.get() = None };
    }

    /// Whether this task is final (`omp_in_final`).
    pub fn in_final(&self) -> bool {
        self.is_final.get()
    }

    /// Whether the task is an implicit task.
    pub fn is_implicit(&self) -> bool {
        self.implicit
    }

    fn add_ref(&self) {
        self.refs.fetch_add(1, Ordering::Relaxed);
    }

    /// The task's identity as the owner of a nestable lock: stable for the
    /// whole task region, also when a stack task moves to the heap.
    pub fn ident(&self) -> usize {
        match self.ident.get() {
            0 => self as *const Task as usize,
            id => id,
        }
    }
}

/// Where the task `t` lives now: itself, or the heap copy of a stack task
/// that moved.
///
/// # Safety
/// `t` must be alive (a stack task is alive while its frame runs).
#[inline]
unsafe fn resolved(t: *const Task) -> *const Task {
    // SAFETY: per the contract.
    match unsafe { t.as_ref() } {
        Some(task) if task.on_stack && !task.promoted.get().is_null() => task.promoted.get(),
        _ => t,
    }
}

/// Drops one reference to an explicit task, freeing it with the last.
///
/// # Safety
/// `t` must be a live explicit task and the caller must own one reference.
///
/// A task holds a reference to its parent until it is freed (not merely
/// complete), so that a live task's chain of ancestors, which the
/// scheduling constraint walks, stays valid. Freeing a task therefore
/// drops a reference to its parent, which may free that too: a loop, not
/// recursion, so a long chain cannot overflow the stack.
unsafe fn release(t: NonNull<Task>) {
    let mut t = t;
    loop {
        // SAFETY: the caller owns a reference (or, in later rounds, the
        // freed child's reference to its parent), so the task is alive.
        let task = unsafe { t.as_ref() };
        if task.implicit || task.refs.fetch_sub(1, Ordering::AcqRel) != 1 {
            return;
        }
        let layout = task.layout;
        let parent = if task.holds_parent.get() {
            task.parent.get()
        } else {
            ptr::null()
        };
        // SAFETY: that was the last reference: nobody else can reach the
        // task. It was allocated with `layout` in `alloc_task`.
        unsafe {
            ptr::drop_in_place(t.as_ptr());
            cache_put(t.as_ptr().cast(), layout);
        }
        match NonNull::new(parent as *mut Task) {
            Some(p) => t = p,
            None => return,
        }
    }
}

/// A counted reference to a task, held by dependence maps.
struct TaskRef(NonNull<Task>);

impl TaskRef {
    fn new(t: &Task) -> TaskRef {
        t.add_ref();
        TaskRef(NonNull::from(t))
    }

    fn get(&self) -> &Task {
        // SAFETY: the reference keeps the task alive.
        unsafe { self.0.as_ref() }
    }

    fn done(&self) -> bool {
        self.get().completed.load(Ordering::Acquire)
    }
}

impl Clone for TaskRef {
    fn clone(&self) -> Self {
        TaskRef::new(self.get())
    }
}

impl Drop for TaskRef {
    fn drop(&mut self) {
        // SAFETY: this reference was counted in `new`.
        unsafe { release(self.0) }
    }
}

/// The dependence state of one storage location among sibling tasks.
#[derive(Default)]
struct DepEntry {
    /// The last `out`-like task, or the current group of `inoutset` tasks.
    writers: Vec<TaskRef>,
    /// `writers` is a group of `inoutset` tasks.
    set: bool,
    /// What the `inoutset` group's members depend on.
    group_preds: Vec<TaskRef>,
    /// `in` tasks since the writers.
    readers: Vec<TaskRef>,
}

#[derive(Default)]
struct DepMap {
    entries: HashMap<usize, DepEntry>,
    /// The last task with a dependence on `omp_all_memory`.
    all_memory: Option<TaskRef>,
}

/// A dependence kind (GCC's `GOMP_DEPEND_*` numbering in depobjs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepKind {
    In,
    Out,
    MutexInOutSet,
    InOutSet,
}

impl DepKind {
    fn from_depobj(k: usize) -> DepKind {
        match k {
            1 => DepKind::In,
            4 => DepKind::MutexInOutSet,
            5 => DepKind::InOutSet,
            // 2 out, 3 inout, and anything unknown (ordering more is safe).
            _ => DepKind::Out,
        }
    }
}

/// Decodes GCC's depend array (both formats) into (address, kind) pairs.
///
/// # Safety
/// `depend` must be an array GCC built for a task or `taskwait depend`.
pub unsafe fn decode_depend(depend: *const *mut c_void) -> Vec<(usize, DepKind)> {
    // SAFETY: per the contract, the header words and addresses exist.
    unsafe {
        let w = |i: usize| *depend.add(i) as usize;
        let mut out = Vec::new();
        if w(0) != 0 {
            // Old format: [n, nout, outs..., ins...].
            let (n, nout) = (w(0), w(1));
            for i in 0..n {
                let k = if i < nout { DepKind::Out } else { DepKind::In };
                out.push((w(2 + i), k));
            }
        } else {
            // [0, n, nout, nmutexinoutset, nin, addresses..., depobjs...].
            let (n, nout, nmutex, nin) = (w(1), w(2), w(3), w(4));
            for i in 0..n {
                let a = w(5 + i);
                if i < nout {
                    out.push((a, DepKind::Out));
                } else if i < nout + nmutex {
                    out.push((a, DepKind::MutexInOutSet));
                } else if i < nout + nmutex + nin {
                    out.push((a, DepKind::In));
                } else {
                    // A depobj: { address, kind }.
                    let obj = a as *const usize;
                    out.push((*obj, DepKind::from_depobj(*obj.add(1))));
                }
            }
        }
        out
    }
}

/// Makes `t` wait for `p` unless `p` is already complete.
fn add_pred(t: &Task, p: &TaskRef) {
    if ptr::eq(t, p.get()) {
        return;
    }
    let mut s = p.get().succ.lock().unwrap_or_else(|e| e.into_inner());
    if !s.done {
        t.npred.fetch_add(1, Ordering::Relaxed);
        s.list.push(NonNull::from(t));
    }
}

/// Drops completed tasks from a list that grows with every task.
fn prune(v: &mut Vec<TaskRef>) {
    if v.len() >= 32 {
        v.retain(|r| !r.done());
    }
}

impl DepMap {
    /// Records `t`'s dependences, making it a successor of the sibling
    /// tasks it must follow.
    fn register(&mut self, t: &Task, deps: &[(usize, DepKind)]) {
        t.in_map.set(true);
        if let Some(a) = &self.all_memory {
            add_pred(t, a);
        }
        for &(addr, kind) in deps {
            if addr == 0 && kind != DepKind::In {
                // omp_all_memory: after everything so far, before everything
                // later.
                for e in self.entries.values() {
                    for r in e.writers.iter().chain(&e.readers).chain(&e.group_preds) {
                        add_pred(t, r);
                    }
                }
                self.entries.clear();
                self.all_memory = Some(TaskRef::new(t));
                continue;
            }
            let e = self.entries.entry(addr).or_default();
            match kind {
                DepKind::In => {
                    for w in &e.writers {
                        add_pred(t, w);
                    }
                    prune(&mut e.readers);
                    e.readers.push(TaskRef::new(t));
                }
                // mutexinoutset is ordered like inout: mutual exclusion
                // among such tasks then holds trivially.
                DepKind::Out | DepKind::MutexInOutSet => {
                    for r in e.writers.iter().chain(&e.readers) {
                        add_pred(t, r);
                    }
                    e.writers.clear();
                    e.writers.push(TaskRef::new(t));
                    e.set = false;
                    e.readers.clear();
                    e.group_preds.clear();
                }
                DepKind::InOutSet => {
                    if e.set && e.readers.is_empty() {
                        for p in &e.group_preds {
                            add_pred(t, p);
                        }
                        prune(&mut e.writers);
                        e.writers.push(TaskRef::new(t));
                    } else {
                        let preds: Vec<TaskRef> =
                            e.writers.iter().chain(&e.readers).cloned().collect();
                        for p in &preds {
                            add_pred(t, p);
                        }
                        e.group_preds = preds;
                        e.writers.clear();
                        e.writers.push(TaskRef::new(t));
                        e.set = true;
                        e.readers.clear();
                    }
                }
            }
        }
    }

    /// The sibling tasks a task with `deps` would wait for
    /// (`taskwait depend`).
    fn preds_of(&self, deps: &[(usize, DepKind)]) -> Vec<TaskRef> {
        let mut v: Vec<TaskRef> = self.all_memory.iter().cloned().collect();
        for &(addr, kind) in deps {
            if addr == 0 && kind != DepKind::In {
                for e in self.entries.values() {
                    v.extend(e.writers.iter().chain(&e.readers).cloned());
                }
                continue;
            }
            if let Some(e) = self.entries.get(&addr) {
                v.extend(e.writers.iter().cloned());
                if kind != DepKind::In {
                    v.extend(e.readers.iter().cloned());
                }
            }
        }
        v
    }
}

/// A queued task pointer (tasks are shared between threads by design).
#[derive(Clone, Copy)]
struct TaskPtr(NonNull<Task>);
// SAFETY: a Task is Sync/Send (see above); the pointer is only a handle.
unsafe impl Send for TaskPtr {}

struct Prio {
    priority: i32,
    seq: u64,
    task: TaskPtr,
}

impl PartialEq for Prio {
    fn eq(&self, o: &Self) -> bool {
        self.priority == o.priority && self.seq == o.seq
    }
}
impl Eq for Prio {}
impl PartialOrd for Prio {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Prio {
    /// Highest priority first; first created first among equals.
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.priority
            .cmp(&o.priority)
            .then_with(|| o.seq.cmp(&self.seq))
    }
}

struct Slot {
    /// Owned by the team thread with this slot's number.
    local: UnsafeCell<Worker<TaskPtr>>,
    stealer: Stealer<TaskPtr>,
    /// Tasks this thread created and completed (counted ones only); written
    /// only by the owner, read by whoever sums them. On their own line:
    /// thieves read `stealer` all the time.
    counts: CachePadded<Counts>,
}

/// A thread's monotonic task counts (see the module's "Counting").
struct Counts {
    created: AtomicUsize,
    completed: AtomicUsize,
}

impl Counts {
    const fn new() -> Counts {
        Counts {
            created: AtomicUsize::new(0),
            completed: AtomicUsize::new(0),
        }
    }
}

/// Adds one to a count only its owner writes: a plain load and a release
/// store, no read-modify-write.
#[inline]
fn bump(c: &AtomicUsize) {
    c.store(c.load(Ordering::Relaxed).wrapping_add(1), Ordering::Release);
}

impl Slot {
    fn new() -> Slot {
        let local = Worker::new_lifo();
        let stealer = local.stealer();
        Slot {
            local: UnsafeCell::new(local),
            stealer,
            counts: CachePadded(Counts::new()),
        }
    }
}

/// A team's task scheduler.
pub struct Tasks {
    /// One per team thread; resized by the primary thread at fork, when no
    /// thread of the team touches them (see [`Tasks::end_region`]).
    slots: UnsafeCell<Vec<CachePadded<Slot>>>,
    injector: Injector<TaskPtr>,
    prio: Mutex<(BinaryHeap<Prio>, u64)>,
    prio_len: AtomicUsize,
    /// Counts of threads that have no slot here (a task created or
    /// completed outside its team: `omp_fulfill_event` from anywhere, a
    /// detached task outside any region). Any thread may write them.
    others: CachePadded<Counts>,
    /// Every task wait sleeps here.
    pub ec: EventCount,
    /// A task was created in this region.
    used: AtomicBool,
    /// Docked workers helping after their implicit task ended.
    helpers: AtomicU32,
    nthreads: AtomicU32,
    /// The region's `parallel reduction(task, ...)` descriptor, or null.
    region_reductions: AtomicPtr<usize>,
}

// SAFETY: `slots` is resized only by the primary thread between regions
// while no other thread of the team uses the scheduler (guaranteed by
// `end_region`, which waits for helpers, and by the fork protocol); slot
// `t`'s deque owner side is used only by the thread with number `t`.
unsafe impl Sync for Tasks {}

impl Tasks {
    pub fn new() -> Tasks {
        Tasks {
            slots: UnsafeCell::new(Vec::new()),
            injector: Injector::new(),
            prio: Mutex::new((BinaryHeap::new(), 0)),
            prio_len: AtomicUsize::new(0),
            others: CachePadded(Counts::new()),
            ec: EventCount::new(),
            used: AtomicBool::new(false),
            helpers: AtomicU32::new(0),
            nthreads: AtomicU32::new(1),
            region_reductions: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// Sets the scheduler up for a region of `n` threads.
    ///
    /// # Safety
    /// Only the primary thread, at fork, while no thread of the team is in
    /// the scheduler.
    pub unsafe fn prepare(&self, n: u32, reductions: *mut usize) {
        if self.region_reductions.load(Ordering::Relaxed) != reductions {
            self.region_reductions.store(reductions, Ordering::Relaxed);
        }
        // SAFETY: per the contract.
        let slots = unsafe { &mut *self.slots.get() };
        if slots.len() < n as usize {
            slots.resize_with(n as usize, || CachePadded(Slot::new()));
        }
        if self.nthreads.load(Ordering::Relaxed) != n {
            self.nthreads.store(n, Ordering::Relaxed);
        }
        if self.used.load(Ordering::Relaxed) {
            self.used.store(false, Ordering::Relaxed);
        }
    }

    fn slots(&self) -> &[CachePadded<Slot>] {
        // SAFETY: stable while a region runs (see the Sync impl).
        unsafe { &*self.slots.get() }
    }

    /// Whether a task was created in this region.
    #[inline]
    pub fn used(&self) -> bool {
        self.used.load(Ordering::Relaxed)
    }

    /// Tasks created and not yet complete, as of the first load (at least
    /// that many; 0 only if none is). Completions are summed before
    /// creations: see the module's "Counting".
    pub fn outstanding(&self) -> usize {
        let slots = self.slots();
        let mut done = self.others.completed.load(Ordering::Acquire);
        for s in slots {
            done = done.wrapping_add(s.counts.completed.load(Ordering::Acquire));
        }
        let mut made = self.others.created.load(Ordering::Acquire);
        for s in slots {
            made = made.wrapping_add(s.counts.created.load(Ordering::Acquire));
        }
        made.wrapping_sub(done)
    }

    /// The calling thread's own counts here, if it has a slot in this team.
    #[inline]
    fn own_counts(&self, thr: &Thread, team: &Team) -> Option<&Counts> {
        if !ptr::eq(thr.team.get(), team) {
            return None;
        }
        self.slots().get(thr.tid.get() as usize).map(|s| &*s.counts)
    }

    /// Counts a task created by `thr`.
    #[inline]
    fn count_created(&self, thr: &Thread, team: &Team) {
        match self.own_counts(thr, team) {
            Some(c) => bump(&c.created),
            None => {
                self.others.created.fetch_add(1, Ordering::AcqRel);
            }
        }
    }

    /// Counts a task completed by `thr`; says whether the team's event
    /// count must be notified (the thread's queue is empty, as it is when
    /// this was the last task, or it has no queue here).
    #[inline]
    fn count_completed(&self, thr: &Thread, team: &Team) -> bool {
        match self.own_counts(thr, team) {
            Some(c) => {
                bump(&c.completed);
                let tid = thr.tid.get() as usize;
                // SAFETY: `own_counts` found slot `tid`, whose owner side
                // belongs to this thread.
                unsafe { &*self.slots()[tid].local.get() }.is_empty()
            }
            None => {
                self.others.completed.fetch_add(1, Ordering::AcqRel);
                true
            }
        }
    }

    /// Whether any task is queued.
    pub fn has_queued(&self) -> bool {
        self.prio_len.load(Ordering::Relaxed) > 0
            || !self.injector.is_empty()
            || self.slots().iter().any(|s| !s.stealer.is_empty())
    }
}

impl Default for Tasks {
    fn default() -> Self {
        Self::new()
    }
}

/// The task the calling thread executes.
#[inline]
fn current_task(thr: &Thread) -> &Task {
    // SAFETY: a thread's current task is its implicit task or an explicit
    // task it is executing, both alive while it runs.
    unsafe { &*thr.task.get() }
}

/// The identity of the task the calling thread executes, as the owner of a
/// nestable lock (never 0).
pub fn current_ident(thr: &Thread) -> usize {
    let t = thr.task.get();
    // SAFETY: a thread's current task is alive while it runs.
    match unsafe { t.as_ref() } {
        Some(task) => task.ident(),
        None => t as usize,
    }
}

/// Whether `t` may run on a thread whose current task is `cur`: any task
/// when `cur` is implicit, else only `cur`'s descendants (the task
/// scheduling constraint for tied tasks).
fn allowed(t: &Task, cur: &Task) -> bool {
    if cur.implicit {
        return true;
    }
    let mut p: *const Task = t;
    // SAFETY: every ancestor is kept alive by its children's references.
    unsafe {
        while !p.is_null() && (*p).depth.get() > cur.depth.get() {
            p = (*p).parent.get();
        }
    }
    ptr::eq(p, cur)
}

/// Finds a task the calling thread may run now.
fn find_task(thr: &Thread, tasks: &Tasks) -> Option<NonNull<Task>> {
    let cur = current_task(thr);
    let check = |t: TaskPtr| -> Option<NonNull<Task>> {
        // SAFETY: a queued task is alive (its queue reference).
        if allowed(unsafe { t.0.as_ref() }, cur) {
            Some(t.0)
        } else {
            tasks.injector.push(t);
            None
        }
    };
    if tasks.prio_len.load(Ordering::Relaxed) > 0 {
        let mut q = tasks.prio.lock().unwrap_or_else(|e| e.into_inner());
        // The highest-priority task this thread may run; the ones above it
        // that it may not go back.
        let mut skipped = Vec::new();
        let mut found = None;
        while let Some(p) = q.0.pop() {
            // SAFETY: queued tasks are alive.
            if allowed(unsafe { p.task.0.as_ref() }, cur) {
                found = Some(p.task.0);
                break;
            }
            skipped.push(p);
        }
        q.0.extend(skipped);
        if found.is_some() {
            tasks.prio_len.fetch_sub(1, Ordering::Relaxed);
            return found;
        }
    }
    let slots = tasks.slots();
    let tid = thr.tid.get() as usize;
    if let Some(s) = slots.get(tid) {
        // SAFETY: slot `tid`'s owner side belongs to this thread.
        let local = unsafe { &*s.local.get() };
        while let Some(t) = local.pop() {
            if let Some(t) = check(t) {
                return Some(t);
            }
        }
    }
    for _ in 0..tasks.injector.len() {
        match tasks.injector.steal() {
            Steal::Success(t) => {
                // SAFETY: as above.
                if allowed(unsafe { t.0.as_ref() }, cur) {
                    return Some(t.0);
                }
                tasks.injector.push(t);
            }
            Steal::Empty => break,
            Steal::Retry => {}
        }
    }
    let n = tasks.nthreads.load(Ordering::Relaxed) as usize;
    for k in 1..n.min(slots.len()) {
        let victim = &slots[(tid + k) % n];
        loop {
            match victim.stealer.steal() {
                Steal::Success(t) => {
                    if let Some(t) = check(t) {
                        return Some(t);
                    }
                    break;
                }
                Steal::Empty => break,
                Steal::Retry => {}
            }
        }
    }
    None
}

/// Tasks waiting in the calling thread's own deque.
#[inline]
fn queued_here(thr: &Thread, tasks: &Tasks) -> usize {
    match tasks.slots().get(thr.tid.get() as usize) {
        // SAFETY: slot `tid`'s owner side belongs to this thread.
        Some(s) => unsafe { &*s.local.get() }.len(),
        None => 0,
    }
}

/// Queues a ready task on `team`.
fn push(thr: &Thread, team: &Team, t: NonNull<Task>) {
    let tasks = &team.tasks;
    // SAFETY: the task is alive (the reference the queue now owns).
    let prio = unsafe { t.as_ref() }.priority;
    if prio > 0 {
        let mut q = tasks.prio.lock().unwrap_or_else(|e| e.into_inner());
        q.1 += 1;
        let seq = q.1;
        q.0.push(Prio {
            priority: prio,
            seq,
            task: TaskPtr(t),
        });
        tasks.prio_len.fetch_add(1, Ordering::Relaxed);
    } else if ptr::eq(thr.team.get(), team) {
        match tasks.slots().get(thr.tid.get() as usize) {
            // SAFETY: slot `tid`'s owner side belongs to this thread.
            Some(s) => unsafe { &*s.local.get() }.push(TaskPtr(t)),
            None => tasks.injector.push(TaskPtr(t)),
        }
    } else {
        tasks.injector.push(TaskPtr(t));
    }
    tasks.ec.notify_all();
    team.bar.signal_tasks();
    team.signal_docked_tasks();
}

/// Runs a task on the calling thread, then finishes it.
fn run(thr: &Thread, t: NonNull<Task>) {
    // SAFETY: the caller owns the task's queue reference.
    let task = unsafe { t.as_ref() };
    let saved_task = thr.task.get();
    let saved_icv = thr.icv.get();
    thr.task.set(task);
    // SAFETY: a queued task is a heap task: its ICVs were written when it
    // was made.
    thr.icv.set(unsafe { task.kept_icv() });
    // SAFETY: a team is alive while its tasks run.
    let team = unsafe { &*task.team.get() };
    let group = task.group.get();
    let group_cancelled = !group.is_null()
        // SAFETY: a group outlives its tasks (its end waits for them).
        && unsafe { &*group }.cancelled.load(Ordering::Relaxed);
    let skip = team.bar.cancelled() || group_cancelled;
    if !skip {
        if let Some(f) = task.func {
            // SAFETY: GCC's outlined task body with its argument block.
            unsafe { f(task.arg.get()) };
        }
    }
    // SAFETY: the saved task is suspended below this frame, so alive.
    thr.task.set(unsafe { resolved(saved_task) });
    thr.icv.set(saved_icv);
    body_done(thr, t);
}

/// The body of `t` has returned.
fn body_done(thr: &Thread, t: NonNull<Task>) {
    // SAFETY: the caller owns a reference.
    let task = unsafe { t.as_ref() };
    // No more children can be created: their dependences no longer matter.
    // SAFETY: only the executing thread touches `deps`, and it is done.
    drop(unsafe { (*task.deps.get()).take() });
    if task.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
        complete(thr, t);
    }
}

/// `t` is complete: release its successors and uncount it.
fn complete(thr: &Thread, t: NonNull<Task>) {
    // SAFETY: the caller owns a reference.
    let task = unsafe { t.as_ref() };
    // SAFETY: a team is alive while its tasks are outstanding.
    let team = unsafe { &*task.team.get() };
    if task.in_map.get() {
        let list = {
            let mut s = task.succ.lock().unwrap_or_else(|e| e.into_inner());
            s.done = true;
            task.completed.store(true, Ordering::Release);
            std::mem::take(&mut s.list)
        };
        for s in list {
            // SAFETY: a successor is alive until its predecessors let it run.
            let succ = unsafe { s.as_ref() };
            if !succ.inline.get() && succ.npred.fetch_sub(1, Ordering::AcqRel) == 1 {
                push(thr, team, s);
            } else if succ.inline.get() {
                // Its creator polls npred; wake it if it sleeps.
                succ.npred.fetch_sub(1, Ordering::AcqRel);
                team.tasks.ec.notify_all();
            }
        }
    } else {
        task.completed.store(true, Ordering::Release);
    }
    if !task.counted.get() {
        // SAFETY: the running reference.
        unsafe { release(t) };
        return;
    }
    let mut notify = false;
    let parent = task.parent.get();
    if !parent.is_null() {
        // SAFETY: the parent is alive: this task holds a reference to it.
        let p = unsafe { &*parent };
        notify |= p.children.fetch_sub(1, Ordering::AcqRel) == 1;
    }
    let group = task.group.get();
    if !group.is_null() {
        // SAFETY: the group outlives its tasks; after this decrement it is
        // not touched again.
        notify |= unsafe { &*group }.count.fetch_sub(1, Ordering::AcqRel) == 1;
    }
    notify |= team.tasks.count_completed(thr, team);
    if notify {
        team.tasks.ec.notify_all();
    }
    // SAFETY: the queue/running reference. (The reference to the parent
    // is dropped when this task is freed.)
    unsafe { release(t) };
}

/// Runs tasks while `busy()` holds, sleeping when there is nothing to run.
pub fn wait_while(thr: &Thread, busy: impl Fn() -> bool) {
    let team = thr.team();
    let tasks = &team.tasks;
    loop {
        if !busy() {
            return;
        }
        if let Some(t) = find_task(thr, tasks) {
            run(thr, t);
            continue;
        }
        idle(tasks, &busy);
    }
}

/// Waits until `busy()` stops or a task is queued: spins for a while
/// (checking the queues, which costs several cache lines, only now and
/// then), then sleeps on the team's event count.
fn idle(tasks: &Tasks, busy: &dyn Fn() -> bool) {
    let limit = crate::wait::spin_limit() / 16;
    let mut i = 0u64;
    while i < limit {
        if !busy() || ((i + 1).is_multiple_of(64) && tasks.has_queued()) {
            return;
        }
        crate::wait::spin_step(i);
        i += 1;
    }
    tasks.ec.sleep_until(&|| !busy() || tasks.has_queued());
}

/// Barrier hook: the releasing thread runs tasks until every task of the
/// team is complete.
pub fn drain(thr: &Thread) {
    let team = thr.team();
    if team.tasks.outstanding() == 0 {
        return;
    }
    wait_while(thr, || team.tasks.outstanding() != 0);
}

/// Barrier hook: a waiting thread helps with tasks until `released()`.
pub fn help(thr: &Thread, released: &dyn Fn() -> bool) {
    wait_while(thr, || !released());
}

impl Tasks {
    /// The primary thread's end of a region in which tasks were created:
    /// after the join, run what is left, then make sure no docked worker
    /// is still in the scheduler before the team can be reused.
    pub fn end_region(&self, thr: &Thread, team: &Team) {
        drain(thr);
        team.clear_docked_tasks();
        self.ec.notify_all();
        if self.helpers.load(Ordering::SeqCst) != 0 {
            self.ec
                .wait_for(|| self.helpers.load(Ordering::SeqCst) == 0);
        }
    }

    /// A docked worker that saw the dock's TASKS bit: help until the
    /// primary thread ends the region. `still(v)` says whether the dock
    /// word still announces tasks of the worker's region.
    pub fn help_docked(&self, thr: &Thread, still: &dyn Fn() -> bool) {
        self.helpers.fetch_add(1, Ordering::SeqCst);
        if still() {
            wait_while(thr, still);
        }
        self.helpers.fetch_sub(1, Ordering::SeqCst);
        self.ec.notify_all();
    }
}

/// Argument blocks up to this size (and alignment) share one allocation
/// size, recycled through a per-thread cache.
const SMALL_ARG: usize = 64;
const SMALL_ALIGN: usize = 16;
/// Freed task allocations a thread keeps for reuse.
const CACHE_MAX: usize = 256;

/// The layout of a task with a small argument block, and the block's
/// offset.
fn small_layout() -> (Layout, usize) {
    // Both are compile-time constants that always form a valid layout.
    let arg = Layout::from_size_align(SMALL_ARG, SMALL_ALIGN).unwrap_or(Layout::new::<u8>());
    Layout::new::<Task>()
        .extend(arg)
        .unwrap_or((Layout::new::<Task>(), 0))
}

/// A thread's recycled small task allocations (a field of its
/// [`Thread`], so reaching it costs no TLS look-up beyond the thread's).
#[derive(Default)]
pub struct TaskCache(std::cell::RefCell<Vec<NonNull<u8>>>);

impl Drop for TaskCache {
    fn drop(&mut self) {
        let layout = small_layout().0;
        for p in self.0.get_mut().drain(..) {
            // SAFETY: every cached block was allocated with the small layout
            // (by `raw_alloc`) and is owned by the cache alone.
            unsafe { raw_free(p.as_ptr(), layout) };
        }
    }
}

/// Small task blocks handed back by threads whose cache is full, for
/// threads whose cache is empty. When one thread creates the tasks and
/// others run them, the runners' caches fill and the creator's stays
/// empty. Without this, every block was then malloc'ed on one thread and
/// freed on another, and the two contended for glibc's arena lock (futex
/// calls on the runner's side). A lock-free stack linked through each
/// block's first word. Blocks are pushed one at a time and only ever taken
/// all at once (a swap), so a pop cannot suffer ABA.
static SPARE: AtomicPtr<u8> = AtomicPtr::new(ptr::null_mut());
/// Blocks in [`SPARE`], about; past [`SPARE_MAX`] blocks are freed, so
/// that a burst of tasks does not keep its peak memory.
static SPARE_LEN: AtomicUsize = AtomicUsize::new(0);
const SPARE_MAX: usize = 4096;

/// Memory for a task of `layout`: a recycled block when small.
fn cache_take(layout: Layout) -> *mut u8 {
    if layout == small_layout().0 {
        if let Some(t) = thread::current_if_any() {
            if let Ok(mut v) = t.task_cache.0.try_borrow_mut() {
                if v.is_empty() && !SPARE.load(Ordering::Relaxed).is_null() {
                    take_spare(&mut v);
                }
                if let Some(p) = v.pop() {
                    return p.as_ptr();
                }
            }
        }
    }
    raw_alloc(layout)
}

/// Moves every block of [`SPARE`] into a thread's cache.
#[cold]
fn take_spare(v: &mut Vec<NonNull<u8>>) {
    let mut p = SPARE.swap(ptr::null_mut(), Ordering::Acquire);
    let mut n = 0;
    while let Some(b) = NonNull::new(p) {
        // SAFETY: every block on the stack is a small task block that
        // `give_spare` linked through its first word before publishing it
        // (the Acquire swap makes that write visible); nothing else
        // refers to it.
        p = unsafe { b.as_ptr().cast::<*mut u8>().read() };
        v.push(b);
        n += 1;
    }
    SPARE_LEN.fetch_sub(n, Ordering::Relaxed);
}

/// Pushes a small task block onto [`SPARE`], or frees it when the stack
/// is full.
///
/// # Safety
/// As for [`cache_put`], with the small layout.
unsafe fn give_spare(p: NonNull<u8>, layout: Layout) {
    if SPARE_LEN.fetch_add(1, Ordering::Relaxed) >= SPARE_MAX {
        SPARE_LEN.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: per the contract.
        return unsafe { raw_free(p.as_ptr(), layout) };
    }
    let mut head = SPARE.load(Ordering::Relaxed);
    loop {
        // SAFETY: the block is ours (its task was dropped) and at least a
        // Task in size, aligned for a pointer: its first word may hold the
        // link until a taker reads it.
        unsafe { p.as_ptr().cast::<*mut u8>().write(head) };
        match SPARE.compare_exchange_weak(head, p.as_ptr(), Ordering::Release, Ordering::Relaxed) {
            Ok(_) => return,
            Err(h) => head = h,
        }
    }
}

/// A task's memory. In distributed mode it lives in the DSM window, so that
/// the task and its argument block could run on another node.
fn raw_alloc(layout: Layout) -> *mut u8 {
    if crate::dist::on() {
        return crate::dist::shared_alloc(layout);
    }
    // SAFETY: the layout has a non-zero size (it contains a Task).
    unsafe { alloc::alloc(layout) }
}

/// Frees [`raw_alloc`] memory.
///
/// # Safety
/// `p` came from `raw_alloc(layout)` and is not used again.
unsafe fn raw_free(p: *mut u8, layout: Layout) {
    if crate::dist::on() {
        return crate::dist::shared_free(p);
    }
    // SAFETY: per the contract.
    unsafe { alloc::dealloc(p, layout) };
}

/// Returns a task's memory: kept for reuse when small, else freed.
///
/// # Safety
/// `p` must have been allocated by [`cache_take`] with `layout`, and its
/// task dropped.
unsafe fn cache_put(p: *mut u8, layout: Layout) {
    if layout == small_layout().0 {
        // A thread being torn down (its state already gone, or the cache
        // itself being dropped) frees instead.
        if let (Some(nn), Some(t)) = (NonNull::new(p), thread::current_if_any()) {
            if let Ok(mut v) = t.task_cache.0.try_borrow_mut() {
                if v.len() < CACHE_MAX {
                    v.push(nn);
                    return;
                }
                drop(v);
                // SAFETY: per the contract, with the small layout.
                return unsafe { give_spare(nn, layout) };
            }
        }
    }
    // SAFETY: per the contract.
    unsafe { raw_free(p, layout) };
}

/// Allocates a task with room for an argument block of `size` bytes
/// aligned to `align`; returns it (one reference) and the block.
fn alloc_task(
    size: usize,
    align: usize,
    func: Option<TaskFn>,
    priority: i32,
) -> (NonNull<Task>, *mut c_void) {
    let (layout, off) = if size <= SMALL_ARG && align <= SMALL_ALIGN {
        small_layout()
    } else {
        let arg_layout = Layout::from_size_align(size, align.max(1).next_power_of_two())
            .unwrap_or_else(|_| crate::fatal("task argument block too large"));
        Layout::new::<Task>()
            .extend(arg_layout)
            .unwrap_or_else(|_| crate::fatal("task argument block too large"))
    };
    let p = cache_take(layout).cast::<Task>();
    let Some(p) = NonNull::new(p) else {
        alloc::handle_alloc_error(layout)
    };
    // SAFETY: freshly allocated with room for a Task at offset 0.
    unsafe {
        ptr::write(
            p.as_ptr(),
            Task {
                refs: AtomicU32::new(1),
                implicit: false,
                parent: Cell::new(ptr::null()),
                group: Cell::new(ptr::null()),
                taskgroup: Cell::new(ptr::null()),
                depth: Cell::new(0),
                is_final: Cell::new(false),
                priority,
                children: AtomicUsize::new(0),
                pending: AtomicU32::new(1),
                npred: AtomicUsize::new(1),
                completed: AtomicBool::new(false),
                counted: Cell::new(true),
                holds_parent: Cell::new(false),
                inline: Cell::new(false),
                in_map: Cell::new(false),
                succ: Mutex::new(Succ::default()),
                deps: UnsafeCell::new(None),
                icv: Cell::new(MaybeUninit::new(icv::global().initial)),
                func,
                arg: Cell::new(ptr::null_mut()),
                team: Cell::new(ptr::null()),
                layout,
                on_stack: false,
                promoted: Cell::new(ptr::null()),
                after: Cell::new(0),
                ident: Cell::new(0),
            },
        );
    }
    // SAFETY: `off` is within the allocation.
    let arg = unsafe { p.as_ptr().cast::<u8>().add(off) }.cast::<c_void>();
    (p, arg)
}

/// What `GOMP_task` passes, decoded.
pub struct Spawn {
    pub func: TaskFn,
    pub data: *mut c_void,
    pub cpyfn: Option<CopyFn>,
    pub arg_size: usize,
    pub arg_align: usize,
    pub if_clause: bool,
    pub flags: u32,
    pub depend: *const *mut c_void,
    pub priority: i32,
    pub detach: *mut usize,
}

/// `GOMP_task`.
///
/// # Safety
/// The arguments must be as GCC passes them: `func` callable with an
/// argument block of `arg_size` bytes made from `data` (by `cpyfn` or a
/// plain copy), `depend` a depend array when `flags` says so, `detach`
/// a writable event handle when `flags` says so.
pub unsafe fn spawn(s: &Spawn) {
    // SAFETY: forwarded.
    unsafe { spawn_with(s, |_| {}) }
}

/// `GOMP_task`'s shortcut for a task without copy function, dependences
/// or detach: if it is undeferred (`if(0)`, final, throttled, outside any
/// region), runs it from this frame and returns true; otherwise returns
/// false and the caller goes through [`spawn`]. Decides as `spawn_with`
/// does; with cancellation enabled it leaves everything to `spawn`.
///
/// # Safety
/// As for [`spawn`]: `func` callable with `data`, which GCC passes for the
/// task to read in place when it runs at once.
#[inline]
pub unsafe fn run_if_undeferred(
    func: TaskFn,
    data: *mut c_void,
    if_clause: bool,
    flags: u32,
    priority: i32,
) -> bool {
    let thr = thread::current();
    let cur = current_task(thr);
    let g = icv::global();
    if g.cancellation || defers(thr, cur, if_clause, false) {
        return false;
    }
    let is_final = flags & flags::FINAL != 0 || cur.is_final.get();
    let priority = task_priority(g, flags, priority);
    run_on_stack(thr, cur, func, data, is_final, priority);
    true
}

/// Whether a task the thread creates in `cur` is deferred: its `if` clause
/// holds, `cur` is not final, it is in a parallel region, and either it
/// `must` be (dependences, detach) or the thread's queue is below the
/// throttle: [`THROTTLE_PER_THREAD`] for a task made by an implicit task (a
/// producer loop feeds the whole team from one queue), twice the team size
/// for one made by an explicit task (a recursive task tree, whose queue
/// holds one sibling per level of the walk: with a few of the oldest,
/// largest subtrees there for thieves, the thread runs the rest of its walk
/// at the cost of a call, as libgomp does once its team-wide queue is
/// full).
#[inline]
fn defers(thr: &Thread, cur: &Task, if_clause: bool, must: bool) -> bool {
    if_clause
        && !cur.is_final.get()
        && thr.level.get() > 0
        && (must || {
            let q = queued_here(thr, &thr.team().tasks);
            q < THROTTLE_PER_THREAD && (cur.implicit || q < 2 * thr.nthreads.get() as usize)
        })
}

/// A task's priority: GCC's value when the flag says there is one, within
/// `0..=max-task-priority-var`.
#[inline]
fn task_priority(g: &icv::Global, flags: u32, priority: i32) -> i32 {
    if flags & flags::PRIORITY != 0 {
        priority.clamp(0, g.max_task_priority.max(0))
    } else {
        0
    }
}

/// [`spawn`], with `fill` applied to the task's argument block after the
/// copy (taskloop sets each task's bounds there).
///
/// # Safety
/// As for [`spawn`].
unsafe fn spawn_with(s: &Spawn, fill: impl FnOnce(*mut c_void)) {
    let thr = thread::current();
    let team = thr.team();
    let cur = current_task(thr);
    let g = icv::global();
    if g.cancellation {
        let grp = cur.taskgroup.get();
        let group_cancelled = !grp.is_null()
            // SAFETY: the current task's taskgroup is alive while it runs.
            && unsafe { &*grp }.cancelled.load(Ordering::Relaxed);
        if team.bar.cancelled() || group_cancelled {
            return;
        }
    }
    let has_deps = s.flags & flags::DEPEND != 0 && !s.depend.is_null();
    let detach = s.flags & flags::DETACH != 0 && !s.detach.is_null();
    let tasks = &team.tasks;
    let deferred = defers(thr, cur, s.if_clause, has_deps || detach);
    let priority = task_priority(g, s.flags, s.priority);
    if !deferred && !has_deps && !detach && s.cpyfn.is_none() {
        // The common undeferred task (`if(0)`, final, throttled): nothing
        // waits for it and its body reads `data` in place.
        fill(s.data);
        let is_final = s.flags & flags::FINAL != 0 || cur.is_final.get();
        run_on_stack(thr, cur, s.func, s.data, is_final, priority);
        return;
    }
    // This task will be known beyond this call (queued, a dependence map,
    // a detach handle, or its parent's child): the creating task, if it
    // runs from a stack frame, moves to the heap first.
    let cur = if cur.on_stack { promote(thr, cur) } else { cur };

    // The event handle of a detached task: GCC reads it in the task body
    // from the first word of the argument block, which it filled before
    // the call, so the handle goes there before the block is copied.
    let publish_handle = |t: NonNull<Task>| {
        if detach {
            // SAFETY: GCC passes the address of the omp_event_handle_t and,
            // with detach, a data block that starts with the handle.
            unsafe {
                *s.detach = t.as_ptr() as usize;
                if !s.data.is_null() && s.arg_size >= std::mem::size_of::<usize>() {
                    *s.data.cast::<usize>() = t.as_ptr() as usize;
                }
            }
        }
    };
    let (t, arg) = if deferred || s.cpyfn.is_some() {
        let (t, buf) = alloc_task(s.arg_size, s.arg_align, Some(s.func), priority);
        publish_handle(t);
        if s.arg_size > 0 || s.cpyfn.is_some() {
            match s.cpyfn {
                // SAFETY: GCC's copy function for this task's data.
                Some(c) => unsafe { c(buf, s.data) },
                // SAFETY: `data` holds `arg_size` bytes; the block as many.
                None => unsafe {
                    ptr::copy_nonoverlapping(s.data.cast::<u8>(), buf.cast::<u8>(), s.arg_size)
                },
            }
        }
        (t, buf)
    } else {
        // Undeferred without a copy function: the body reads `data` in
        // place, as libgomp does.
        let (t, _) = alloc_task(0, 1, Some(s.func), priority);
        publish_handle(t);
        (t, s.data)
    };
    fill(arg);
    // SAFETY: just allocated; not yet visible to any other thread.
    let task = unsafe { t.as_ref() };
    task.arg.set(arg);
    task.parent.set(cur);
    if deferred || detach {
        cur.add_ref();
        task.holds_parent.set(true);
    }
    // The chain of ancestors must outlive this task (the scheduling
    // constraint walks it): undeferred ancestors that do not hold their
    // parent yet start to, up to the first one that does.
    let mut c: &Task = cur;
    while !c.implicit && !c.holds_parent.get() {
        let p = c.parent.get();
        if p.is_null() {
            break;
        }
        // SAFETY: an undeferred task's parent is suspended below it on this
        // thread's stack, so it is alive.
        let parent = unsafe { &*p };
        parent.add_ref();
        c.holds_parent.set(true);
        c = parent;
    }
    task.group.set(cur.taskgroup.get());
    task.taskgroup.set(cur.taskgroup.get());
    task.depth.set(cur.depth.get() + 1);
    task.is_final
        .set(s.flags & flags::FINAL != 0 || cur.is_final.get());
    task.keep_icv(thr.icv.get());
    task.team.set(team);
    if detach {
        // The handle (published above) holds a reference.
        task.pending.store(2, Ordering::Relaxed);
        task.add_ref();
    }
    if deferred || detach {
        cur.children.fetch_add(1, Ordering::Relaxed);
        let grp = cur.taskgroup.get();
        if !grp.is_null() {
            // SAFETY: alive while the current task runs.
            unsafe { &*grp }.count.fetch_add(1, Ordering::Relaxed);
        }
        tasks.count_created(thr, team);
    } else {
        // Complete before this call returns: nobody needs to count it.
        task.counted.set(false);
    }
    if !tasks.used.load(Ordering::Relaxed) {
        tasks.used.store(true, Ordering::Relaxed);
    }
    task.inline.set(!deferred);
    if has_deps {
        // SAFETY: per the contract.
        let deps = unsafe { decode_depend(s.depend) };
        // SAFETY: only the thread executing `cur` touches its map.
        let map = unsafe { &mut *cur.deps.get() }.get_or_insert_with(Default::default);
        map.register(task, &deps);
    }
    // Drop the registration guard: ready now unless a predecessor is not.
    let ready = if has_deps {
        task.npred.fetch_sub(1, Ordering::AcqRel) == 1
    } else {
        // Nobody else knows the task yet.
        task.npred.store(0, Ordering::Relaxed);
        true
    };
    if deferred {
        if ready {
            push(thr, team, t);
        }
        return;
    }
    // Undeferred: wait for the predecessors, run here, and wait for the
    // completion (which a detach event may delay).
    if !ready {
        wait_while(thr, || task.npred.load(Ordering::Acquire) != 0);
    }
    if !detach {
        // Complete when the body returns; `run` drops the last reference
        // unless children still hold it.
        run(thr, t);
        return;
    }
    task.add_ref();
    run(thr, t);
    if !task.completed.load(Ordering::Acquire) {
        wait_while(thr, || !task.completed.load(Ordering::Acquire));
    }
    // SAFETY: the reference taken above.
    unsafe { release(t) };
}

/// Runs an undeferred task whose record lives in this frame, as libgomp
/// does: no allocation, no atomic operation. If its body creates a task
/// that refers to it (a deferred child, one with dependences), [`promote`]
/// moves the record to the heap, and it is finished from there when the
/// body returns.
#[inline]
fn run_on_stack(
    thr: &Thread,
    cur: &Task,
    func: TaskFn,
    arg: *mut c_void,
    is_final: bool,
    priority: i32,
) {
    // Never dropped: nothing in a stack record owns memory (its `succ` list
    // and `deps` map stay empty: a child that would fill them moves the
    // task to the heap first, and the copy gets them), so there is nothing
    // to free, and no drop code runs on this path.
    let task = std::mem::ManuallyDrop::new(Task {
        refs: AtomicU32::new(1),
        implicit: false,
        parent: Cell::new(cur),
        group: Cell::new(cur.taskgroup.get()),
        taskgroup: Cell::new(cur.taskgroup.get()),
        depth: Cell::new(cur.depth.get() + 1),
        is_final: Cell::new(is_final),
        priority,
        children: AtomicUsize::new(0),
        pending: AtomicU32::new(1),
        npred: AtomicUsize::new(0),
        completed: AtomicBool::new(false),
        counted: Cell::new(false),
        holds_parent: Cell::new(false),
        inline: Cell::new(true),
        in_map: Cell::new(false),
        succ: Mutex::new(Succ::default()),
        deps: UnsafeCell::new(None),
        // Left unwritten: the creator's ICVs are kept, and put back, only
        // when the body changes them (`before_icv_change`).
        icv: Cell::new(MaybeUninit::uninit()),
        func: Some(func),
        arg: Cell::new(arg),
        team: Cell::new(thr.team.get()),
        layout: Layout::new::<Task>(),
        on_stack: true,
        promoted: Cell::new(ptr::null()),
        after: Cell::new(0),
        ident: Cell::new(0),
    });
    thr.task.set(&*task);
    // SAFETY: GCC's outlined task body with its argument block.
    unsafe { func(arg) };
    // The creator, if it is a stack task too, may have moved meanwhile
    // (its own descendants made it).
    // SAFETY: `cur` is suspended below this frame, so alive.
    thr.task.set(unsafe { resolved(cur) });
    if thr.stack_after.get() != 0 {
        finish_stack_task(thr, &task);
    }
}

/// The rare ends of a stack task: ICVs to put back, a heap copy to finish.
/// Called for every stack task that ends while some stack task of the
/// thread has such work (`Thread::stack_after`), so it checks its own.
/// (Reading the task's own field right after the body, on the hot path,
/// measured slower here than reading the thread's count.)
#[cold]
#[inline(never)]
fn finish_stack_task(thr: &Thread, task: &Task) {
    let after = task.after.get();
    if after == 0 {
        return;
    }
    thr.stack_after.set(thr.stack_after.get() - 1);
    if after & AFTER_ICV != 0 {
        // SAFETY: the AFTER_ICV bit is set only after the ICVs were kept.
        thr.icv.set(unsafe { task.kept_icv() });
    }
    if after & AFTER_PROMOTED != 0 {
        if let Some(h) = NonNull::new(task.promoted.get() as *mut Task) {
            // Finished like any undeferred task: `release` frees it once
            // its children no longer refer to it.
            body_done(thr, h);
        }
    }
}

/// Gives the stack task `t` something to do when its body returns.
fn mark_after(thr: &Thread, t: &Task, what: u8) {
    if t.after.get() == 0 {
        thr.stack_after.set(thr.stack_after.get() + 1);
    }
    t.after.set(t.after.get() | what);
}

/// Called before the current task's ICVs change: a stack task keeps its
/// creator's values, which its frame puts back when the body returns.
pub fn before_icv_change(thr: &Thread) {
    // SAFETY: a thread's current task is alive while it runs.
    if let Some(t) = unsafe { thr.task.get().as_ref() } {
        if t.on_stack {
            save_creator_icv(thr, t);
        }
    }
}

/// Keeps the ICVs of `t`'s creator in `t` (once: later calls find them
/// kept). The thread's ICVs are still the creator's until the first
/// change, which calls this first.
fn save_creator_icv(thr: &Thread, t: &Task) {
    if t.after.get() & AFTER_ICV == 0 {
        t.keep_icv(thr.icv.get());
        mark_after(thr, t, AFTER_ICV);
    }
}

/// Moves the stack task `t` to the heap, with every stack task above it
/// that has not moved yet (a task that will be referred to holds its
/// parent, see `spawn_with`): each gets a heap copy, is left pointing to
/// it, and the thread's current task becomes the copy of `t`. Returns the
/// copy of `t`.
#[cold]
#[inline(never)]
fn promote<'a>(thr: &Thread, t: &'a Task) -> &'a Task {
    let mut chain: Vec<*const Task> = Vec::new();
    let mut c: *const Task = t;
    // SAFETY: the stack tasks of the chain are suspended in frames below
    // this one on this thread, so alive; the first task that is not one
    // (heap, implicit, or moved) is alive because its descendant runs.
    let mut parent = unsafe {
        loop {
            let ct = &*c;
            if !ct.on_stack {
                break c;
            }
            if !ct.promoted.get().is_null() {
                break ct.promoted.get();
            }
            chain.push(c);
            c = ct.parent.get();
            if c.is_null() {
                break c;
            }
        }
    };
    // From now on the copies are the tasks, so ICV changes no longer reach
    // `before_icv_change` for the stack records: each keeps its creator's
    // ICVs now. Bottom up: the thread's ICVs are the current task's; a
    // task's creator is suspended, so its ICVs are still what they were
    // when it created the task: what that task kept, or else what it has.
    let mut v = thr.icv.get();
    for &sp in &chain {
        // SAFETY: as above.
        let st = unsafe { &*sp };
        if st.after.get() & AFTER_ICV == 0 {
            st.keep_icv(v);
            mark_after(thr, st, AFTER_ICV);
        }
        // SAFETY: kept just above, or before the AFTER_ICV bit was set.
        v = unsafe { st.kept_icv() };
    }
    for &sp in chain.iter().rev() {
        // SAFETY: as above.
        let st = unsafe { &*sp };
        let (h, _) = alloc_task(0, 1, st.func, st.priority);
        // SAFETY: just allocated, not yet visible to any other thread.
        let ht = unsafe { h.as_ref() };
        ht.parent.set(parent);
        ht.group.set(st.group.get());
        ht.taskgroup.set(st.taskgroup.get());
        ht.depth.set(st.depth.get());
        ht.is_final.set(st.is_final.get());
        ht.npred.store(0, Ordering::Relaxed);
        ht.counted.set(false);
        ht.inline.set(true);
        // SAFETY: the loop above kept every chain record's ICVs.
        ht.keep_icv(unsafe { st.kept_icv() });
        ht.arg.set(st.arg.get());
        ht.team.set(st.team.get());
        ht.ident.set(st.ident());
        // Nothing else can have been made for a stack task: a child with
        // dependences or one that is counted makes it move first.
        debug_assert!(st.children.load(Ordering::Relaxed) == 0);
        // SAFETY: only the executing thread touches `deps`.
        debug_assert!(unsafe { (*st.deps.get()).is_none() });
        st.promoted.set(ht);
        mark_after(thr, st, AFTER_PROMOTED);
        if ptr::eq(thr.task.get(), sp) {
            thr.task.set(ht);
        }
        parent = ht;
    }
    // SAFETY: `parent` is now the copy of `t` (or `t`'s earlier copy), the
    // current task or an ancestor of it: alive while `t`'s frame runs.
    unsafe { &*parent }
}

/// `GOMP_taskwait`: waits for the current task's children.
pub fn taskwait() {
    let thr = thread::current();
    let cur = current_task(thr);
    if cur.children.load(Ordering::Acquire) == 0 {
        return;
    }
    wait_while(thr, || cur.children.load(Ordering::Acquire) != 0);
}

/// `GOMP_taskwait_depend`: waits for the children the dependences name.
///
/// # Safety
/// `depend` must be a depend array GCC built.
pub unsafe fn taskwait_depend(depend: *const *mut c_void) {
    let thr = thread::current();
    let cur = current_task(thr);
    // SAFETY: per the contract.
    let deps = unsafe { decode_depend(depend) };
    // SAFETY: only the thread executing `cur` touches its map.
    let preds = match unsafe { &*cur.deps.get() } {
        Some(m) => m.preds_of(&deps),
        None => return,
    };
    wait_while(thr, || preds.iter().any(|p| !p.done()));
}

/// `GOMP_taskyield`: runs one queued task, if there is one the thread may
/// run.
pub fn taskyield() {
    let thr = thread::current();
    if let Some(t) = find_task(thr, &thr.team().tasks) {
        run(thr, t);
    }
}

/// `GOMP_taskgroup_start`.
pub fn taskgroup_start() {
    let thr = thread::current();
    let cur = current_task(thr);
    let g = Box::new(Taskgroup {
        count: AtomicUsize::new(0),
        parent: cur.taskgroup.get(),
        cancelled: AtomicBool::new(false),
        reductions: AtomicPtr::new(ptr::null_mut()),
    });
    cur.taskgroup.set(Box::into_raw(g));
}

/// `GOMP_taskgroup_end`: waits for the group's tasks, then closes it.
pub fn taskgroup_end() {
    let thr = thread::current();
    let cur = current_task(thr);
    let g = cur.taskgroup.get();
    if g.is_null() || ptr::eq(g, cur.group.get()) {
        return;
    }
    // SAFETY: opened by `taskgroup_start` in this task; freed only below.
    let group = unsafe { &*g };
    wait_while(thr, || group.count.load(Ordering::Acquire) != 0);
    cur.taskgroup.set(group.parent);
    // SAFETY: every task of the group is complete and none touches it.
    drop(unsafe { Box::from_raw(g as *mut Taskgroup) });
}

/// `cancel taskgroup`: marks the innermost taskgroup of the current task.
pub fn cancel_taskgroup() -> bool {
    let thr = thread::current();
    let g = current_task(thr).taskgroup.get();
    if g.is_null() {
        return false;
    }
    // SAFETY: alive while the current task runs.
    unsafe { &*g }.cancelled.store(true, Ordering::Release);
    true
}

/// Whether the innermost taskgroup of the current task was cancelled.
pub fn taskgroup_cancelled() -> bool {
    let thr = thread::current();
    let g = current_task(thr).taskgroup.get();
    // SAFETY: alive while the current task runs.
    !g.is_null() && unsafe { &*g }.cancelled.load(Ordering::Acquire)
}

/// `omp_in_final`.
pub fn in_final() -> bool {
    current_task(thread::current()).is_final.get()
}

/// `omp_fulfill_event`.
///
/// # Safety
/// `event` must be a handle a detached task's creation stored and that has
/// not been fulfilled yet.
pub unsafe fn fulfill(event: usize) {
    let Some(t) = NonNull::new(event as *mut Task) else {
        return;
    };
    // SAFETY: the handle holds a reference (taken at creation).
    let task = unsafe { t.as_ref() };
    if task.implicit {
        return;
    }
    let thr = thread::current();
    if task.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
        // The body has returned: completing drops the task's running
        // reference; the handle's is dropped below.
        complete(thr, t);
    }
    // SAFETY: the handle's reference.
    unsafe { release(t) };
}

/// `GOMP_taskgroup_reduction_register`: allocates the per-thread blocks
/// of `d` and makes it the current taskgroup's newest descriptor.
///
/// # Safety
/// `d` must be a task-reduction descriptor GCC built.
pub unsafe fn taskgroup_reduction_register(d: *mut usize) {
    let thr = thread::current();
    let cur = current_task(thr);
    // GCC's code finds a thread's block by omp_get_thread_num(), which in
    // a team spread over nodes counts the threads of every node: one block
    // per thread of the whole team (tasks stay on their node, so only this
    // node's threads' blocks are used).
    let n = match thr.team().dist().filter(|_| crate::dist::on()) {
        Some(t) => t.total,
        None => thr.nthreads.get(),
    };
    // SAFETY: forwarded.
    unsafe { crate::reduction::allocate(d, n) };
    let g = cur.taskgroup.get();
    if g.is_null() {
        return;
    }
    // SAFETY: the current taskgroup is alive while its task runs.
    let group = unsafe { &*g };
    // SAFETY: slot 4 links to the previously registered descriptor.
    unsafe { *d.add(4) = group.reductions.load(Ordering::Relaxed) as usize };
    group.reductions.store(d, Ordering::Release);
}

/// Looks `p` up in descriptor `d`: returns the executing thread's copy, and
/// the original variable's address.
///
/// # Safety
/// `d` must be a registered descriptor.
unsafe fn lookup(d: *const usize, p: usize, tid: usize) -> Option<(usize, usize)> {
    // SAFETY: per the contract, the slots exist.
    unsafe {
        let cnt = *d;
        let size = *d.add(1);
        let base = *d.add(2);
        let end = *d.add(6);
        for j in 0..cnt {
            if *d.add(7 + 3 * j) == p {
                return Some((base + tid * size + *d.add(8 + 3 * j), p));
            }
        }
        if size > 0 && p >= base && p < end {
            let off = (p - base) % size;
            let orig = (0..cnt)
                .find(|&j| *d.add(8 + 3 * j) == off)
                .map_or(0, |j| *d.add(7 + 3 * j));
            return Some((base + tid * size + off, orig));
        }
        None
    }
}

/// `GOMP_task_reduction_remap`.
///
/// # Safety
/// `ptrs` must have `cnt + cntorig` slots, as GCC passes them.
pub unsafe fn reduction_remap(cnt: usize, cntorig: usize, ptrs: *mut *mut c_void) {
    let thr = thread::current();
    // The block index GCC's own code uses: omp_get_thread_num().
    let tid = crate::parallel::thread_num().max(0) as usize;
    let cur = current_task(thr);
    for i in 0..cnt {
        // SAFETY: per the contract.
        let p = unsafe { *ptrs.add(i) } as usize;
        let mut found = None;
        let mut g = cur.taskgroup.get();
        'groups: while !g.is_null() {
            // SAFETY: enclosing taskgroups outlive the tasks in them.
            let group = unsafe { &*g };
            let mut d = group.reductions.load(Ordering::Acquire);
            while !d.is_null() {
                // SAFETY: a registered descriptor.
                if let Some(r) = unsafe { lookup(d, p, tid) } {
                    found = Some(r);
                    break 'groups;
                }
                // SAFETY: slot 4 chains the group's descriptors.
                d = unsafe { *d.add(4) } as *mut usize;
            }
            g = group.parent;
        }
        if found.is_none() {
            found = thr.find_reduction(|d| {
                // SAFETY: the thread's registered descriptors.
                unsafe { lookup(d, p, tid) }
            });
        }
        if found.is_none() {
            let d = thr.team().tasks.region_reductions.load(Ordering::Relaxed);
            if !d.is_null() {
                // SAFETY: the region's descriptor, allocated before the
                // region started and freed after it ended.
                found = unsafe { lookup(d, p, tid) };
            }
        }
        let Some((copy, orig)) = found else {
            crate::fatal(&format!(
                "couldn't find matching task_reduction or reduction with task modifier for {p:#x}"
            ))
        };
        // SAFETY: per the contract.
        unsafe {
            *ptrs.add(i) = copy as *mut c_void;
            if i < cntorig {
                *ptrs.add(cnt + i) = orig as *mut c_void;
            }
        }
    }
}

/// `GOMP_taskloop` / `GOMP_taskloop_ull`: the iteration space as signed
/// (`long`) or unsigned (`unsigned long long`) values.
pub struct Taskloop {
    pub func: TaskFn,
    pub data: *mut c_void,
    pub cpyfn: Option<CopyFn>,
    pub arg_size: usize,
    pub arg_align: usize,
    pub flags: u32,
    pub num_tasks: u64,
    pub priority: i32,
    pub start: u64,
    pub end: u64,
    pub step: u64,
    pub unsigned: bool,
}

/// `GOMP_taskloop`.
///
/// # Safety
/// As GCC passes the arguments: the argument block starts with two
/// iteration-variable slots (the task's bounds), followed, with the
/// reduction flag, by the reduction descriptor's address.
pub unsafe fn taskloop(l: &Taskloop) {
    let thr = thread::current();
    let group = l.flags & flags::NOGROUP == 0;
    if group {
        taskgroup_start();
    }
    if l.flags & flags::REDUCTION != 0 {
        // SAFETY: per the contract, the third word of data is the
        // descriptor.
        let d = unsafe { *l.data.cast::<*mut usize>().add(2) };
        // SAFETY: GCC's descriptor.
        unsafe { taskgroup_reduction_register(d) };
    }
    // The iteration count.
    let up = l.flags & flags::UP != 0;
    let n: u64 = if l.unsigned {
        if up {
            if l.end > l.start {
                (l.end - l.start).div_ceil(l.step)
            } else {
                0
            }
        } else if l.start > l.end {
            (l.start - l.end).div_ceil(l.step.wrapping_neg())
        } else {
            0
        }
    } else {
        let (s, e, st) = (l.start as i64, l.end as i64, l.step as i64);
        if st > 0 && e > s {
            ((e as i128 - s as i128 + st as i128 - 1) / st as i128) as u64
        } else if st < 0 && e < s {
            ((s as i128 - e as i128 - st as i128 - 1) / (-(st as i128))) as u64
        } else {
            0
        }
    };
    if n > 0 {
        let strict = l.flags & flags::STRICT != 0;
        // (tasks, iterations of the first `big` tasks, of the rest)
        let (ntasks, per, big) = if l.flags & flags::GRAINSIZE != 0 {
            let g = l.num_tasks.max(1);
            if strict {
                (n.div_ceil(g), g, 0)
            } else {
                let nt = (n / g).max(1);
                (nt, n / nt, n % nt)
            }
        } else {
            let want = if l.num_tasks == 0 {
                u64::from(thr.nthreads.get())
            } else {
                l.num_tasks
            };
            let nt = want.clamp(1, n);
            (nt, n / nt, n % nt)
        };
        let spawn = Spawn {
            func: l.func,
            data: l.data,
            cpyfn: l.cpyfn,
            arg_size: l.arg_size,
            arg_align: l.arg_align,
            if_clause: l.flags & flags::IF != 0,
            flags: l.flags & (flags::FINAL | flags::PRIORITY | flags::UNTIED | flags::MERGEABLE),
            depend: ptr::null(),
            priority: l.priority,
            detach: ptr::null_mut(),
        };
        let mut first = 0u64;
        for k in 0..ntasks {
            let count = if strict && l.flags & flags::GRAINSIZE != 0 {
                per.min(n - first)
            } else {
                per + u64::from(k < big)
            };
            let s = l.start.wrapping_add(first.wrapping_mul(l.step));
            let e = l.start.wrapping_add((first + count).wrapping_mul(l.step));
            first += count;
            // SAFETY: per the contract: the block starts with the bounds.
            unsafe {
                spawn_with(&spawn, |arg| {
                    let w = arg.cast::<u64>();
                    *w = s;
                    *w.add(1) = e;
                })
            };
        }
    }
    if group {
        taskgroup_end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// One thread takes task blocks and another gives them back, as when
    /// one thread creates the tasks and another runs them: once the giver's
    /// cache is full, its blocks reach the taker's empty cache through
    /// [`SPARE`] instead of going back to malloc.
    #[test]
    fn blocks_a_full_cache_gives_back_reach_an_empty_one() {
        let layout = small_layout().0;
        thread::current(); // the taker's state, with an empty cache
        let extra = 16;
        let taken: Vec<usize> = (0..CACHE_MAX + extra)
            .map(|_| cache_take(layout) as usize)
            .collect();
        let given = taken.clone();
        std::thread::spawn(move || {
            thread::current();
            for b in given {
                // SAFETY: each block came from `cache_take` with this
                // layout and holds no task.
                unsafe { cache_put(b as *mut u8, layout) };
            }
        })
        .join()
        .unwrap();
        // The giver kept CACHE_MAX blocks (freed when it ended) and passed
        // on the rest; the taker's cache is empty, so it gets those back.
        let taken: HashSet<usize> = taken.into_iter().collect();
        let again: Vec<usize> = (0..extra).map(|_| cache_take(layout) as usize).collect();
        for &b in &again {
            assert!(taken.contains(&b), "block {b:#x} did not come back");
        }
        assert_eq!(again.iter().collect::<HashSet<_>>().len(), extra);
        for b in again {
            // SAFETY: as above.
            unsafe { cache_put(b as *mut u8, layout) };
        }
    }
}
