//! Teams, worker threads and the pool (libgomp's team.c).
//!
//! A [`Team`] is reused from region to region by the thread that leads it
//! (the "hot team"): its workers stay attached between regions, waiting on
//! the team's *dock* word, so starting a region is one store that the
//! workers are already watching, and ending one is the join gather of
//! [`crate::bar`]. A region is described by a [`Launch`]; which threads run
//! which team slots is decided here and nowhere else, so that a team whose
//! slots live on several nodes only changes this module.
//!
//! ## The dock word
//!
//! `generation << 16 | nthreads << 2 | TASKS | SLEEPING`: one 32-bit futex word that
//! tells a docked worker both that a new region started and how many threads
//! it has, read in a single load — so a worker never pairs a generation with
//! another region's size. `nthreads == 0` tells every worker to leave the
//! team. Team sizes are therefore limited to [`MAX_TEAM`]. `DOCK_TASKS`
//! tells workers that finished their implicit task that the region has
//! explicit tasks to help with (see [`crate::task`]).
//!
//! ## Shrinking and growing
//!
//! A region smaller than the team's worker count retires the surplus
//! workers: they see their thread number is past the new size, leave the
//! team, count themselves out in `retired`, and go back to the [`POOL`].
//! Before the team next grows (or is freed) its primary thread waits for
//! those acknowledgements, so a retiring worker can never mistake a later
//! region for its own.

use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use crate::arch::CachePadded;
use crate::bar::{Algorithm, Barrier};
use crate::icv::{self, TaskIcv};
use crate::task::Tasks;
use crate::thread::{self, LoopCursor, TeamPlace, Thread};
use crate::wait::{self, SLEEPING};
use crate::work::WorkShares;

/// The largest team the dock word can describe.
pub const MAX_TEAM: u32 = (1 << 14) - 1;

/// Bit 1 of the dock word: the running region has explicit tasks.
const DOCK_TASKS: u32 = 2;

/// An outlined region body and its argument: GCC's `(fn, data)` pair.
#[derive(Clone, Copy)]
pub struct Job {
    pub func: unsafe extern "C" fn(*mut c_void),
    pub data: *mut c_void,
}

impl Job {
    /// Runs the job on the calling thread.
    ///
    /// # Safety
    /// `func` must be safe to call with `data`, as the compiler that emitted
    /// the pair guarantees for its own outlined functions.
    #[inline]
    pub unsafe fn run(&self) {
        // SAFETY: forwarded to the caller.
        unsafe { (self.func)(self.data) }
    }
}

/// What the primary thread tells the team's threads at fork, laid out to
/// share one cache line with the dock word (see [`Fork`]).
#[derive(Clone, Copy)]
#[repr(C)]
struct RegionInfo {
    level: u32,
    active_level: u32,
    /// The primary thread's number in the enclosing team.
    parent_tid: u32,
    /// The `proc_bind` clause, recorded (binding is done elsewhere).
    proc_bind: u16,
    /// The first construct was set up by the primary thread at fork
    /// (combined `parallel for` / `parallel sections`).
    ws_preset: u16,
    job: Job,
    region: u64,
    /// The last work-sharing construct number used before this region.
    ws_base: u64,
    /// The enclosing team.
    parent: *const Team,
}

/// The cache line a docked worker watches: the dock word and the region it
/// announces, so that waking up costs one line transfer. The primary thread
/// writes `info` before the dock word and skips fields whose value has not
/// changed, so that the line is not pulled away from the workers needlessly.
#[repr(C, align(64))]
struct Fork {
    dock: AtomicU32,
    /// The CPU the primary thread ran on at the fork ([`NO_CPU`] if
    /// unknown), for the workers' [`crate::affinity::settle_worker`]. In
    /// what would otherwise be padding before `info`.
    primary_cpu: AtomicU32,
    info: UnsafeCell<RegionInfo>,
}

/// `Fork::primary_cpu` when the kernel does not say.
const NO_CPU: u32 = u32::MAX;

const _: () = assert!(std::mem::size_of::<Fork>() == 64);

pub struct Team {
    /// The dock word (see the module comment) and the region it announces;
    /// `info` is written by the primary thread at fork and read by the
    /// region's threads after they acquire the dock word.
    fork: CachePadded<Fork>,
    /// The ICVs of the region's implicit tasks (on a line of their own:
    /// they rarely change, and are written only when they do).
    icv: CachePadded<UnsafeCell<TaskIcv>>,
    pub bar: Barrier,
    /// `single` constructs claimed in this region.
    pub single: CachePadded<AtomicU64>,
    pub ws: WorkShares,
    /// The explicit tasks of the current region.
    pub tasks: Tasks,
    /// Workers that left the team after a shrink.
    retired: AtomicU32,
    /// Where the region's threads sit (affinity hook, see crate::affinity).
    pub affinity: crate::affinity::TeamAffinity,
    /// The team's part of a distributed region (None on one node), written
    /// by the primary thread at fork like `fork.info`.
    dist: UnsafeCell<Option<crate::dist::DistTeam>>,
    /// Owned by the primary thread: the attached workers (worker `i` runs
    /// thread number `i + 1`), and how many retirements to wait for.
    primary: UnsafeCell<PrimaryState>,
}

#[derive(Default)]
struct PrimaryState {
    workers: Vec<Arc<Worker>>,
    retiring: u32,
    region: u64,
    /// The [`FORK_EPOCH`] the workers were attached in.
    epoch: u64,
}

// SAFETY: the UnsafeCells follow the fork protocol: `info` and `primary` are
// written only by the team's primary thread while no other thread of the
// team reads them (between its join and its next fork); `info` is published
// to workers by the Release swap of the dock word, which they Acquire.
unsafe impl Sync for Team {}
// SAFETY: as above; a Team is created and freed by its primary thread.
unsafe impl Send for Team {}

impl Team {
    pub fn new() -> Box<Team> {
        Box::new(Team {
            fork: CachePadded(Fork {
                dock: AtomicU32::new(0),
                primary_cpu: AtomicU32::new(NO_CPU),
                info: UnsafeCell::new(RegionInfo {
                    level: 0,
                    active_level: 0,
                    parent_tid: 0,
                    proc_bind: 0,
                    ws_preset: 0,
                    job: Job {
                        func: noop,
                        data: std::ptr::null_mut(),
                    },
                    region: 0,
                    ws_base: 0,
                    parent: std::ptr::null(),
                }),
            }),
            icv: CachePadded(UnsafeCell::new(icv::global().initial)),
            bar: Barrier::new(),
            single: CachePadded(AtomicU64::new(0)),
            ws: WorkShares::new(),
            tasks: Tasks::new(),
            retired: AtomicU32::new(0),
            dist: UnsafeCell::new(None),
            affinity: crate::affinity::TeamAffinity::new(),
            primary: UnsafeCell::new(PrimaryState::default()),
        })
    }

    /// A thread's team of one, outside any region (level 0).
    pub fn new_solo() -> Box<Team> {
        Team::new()
    }

    #[inline]
    fn info(&self) -> &RegionInfo {
        // SAFETY: read by the region's threads after acquiring the dock word
        // (or by the primary thread itself); written only between regions.
        unsafe { &*self.fork.info.get() }
    }

    #[inline]
    fn implicit_icv(&self) -> &TaskIcv {
        // SAFETY: as for `info`.
        unsafe { &*self.icv.get() }
    }

    /// The primary thread's side of the fork protocol: records the region.
    ///
    /// # Safety
    /// Only the team's primary thread may call this, with no region of the
    /// team running; the dock word's next Release store publishes it.
    unsafe fn write_region(&self, info: RegionInfo, icv: &TaskIcv) {
        // SAFETY: per the contract nobody reads these cells concurrently.
        unsafe {
            let cur = &mut *self.fork.info.get();
            // Field by field, writing only what changed: an unchanged line
            // stays shared with the workers spinning on the dock word.
            macro_rules! set {
                ($f:ident) => {
                    if cur.$f != info.$f {
                        cur.$f = info.$f;
                    }
                };
            }
            set!(level);
            set!(active_level);
            set!(parent_tid);
            set!(proc_bind);
            set!(ws_preset);
            set!(region);
            set!(ws_base);
            set!(parent);
            if cur.job.func as usize != info.job.func as usize {
                cur.job.func = info.job.func;
            }
            if cur.job.data != info.job.data {
                cur.job.data = info.job.data;
            }
            let cur_icv = &mut *self.icv.get();
            if cur_icv != icv {
                *cur_icv = *icv;
            }
        }
    }

    /// The enclosing team and the primary thread's number in it (null for a
    /// thread's team of one).
    /// The team's part of a distributed region, if it is one.
    #[inline]
    pub fn dist(&self) -> Option<crate::dist::DistTeam> {
        // SAFETY: written by the primary thread only between regions, and
        // published to the workers with the dock word (see Sync below).
        unsafe { *self.dist.get() }
    }

    pub fn parent(&self) -> (*const Team, u32) {
        let i = self.info();
        (i.parent, i.parent_tid)
    }

    /// The nesting level of this team's current region.
    pub fn level(&self) -> u32 {
        self.info().level
    }

    /// The current region's `proc_bind` clause value.
    pub fn proc_bind(&self) -> u32 {
        u32::from(self.info().proc_bind)
    }

    /// A task was queued: workers that already finished their implicit
    /// task (docked, the region still running) should come and help.
    #[inline]
    pub fn signal_docked_tasks(&self) {
        let dock = &self.fork.dock;
        if dock.load(Ordering::Relaxed) & DOCK_TASKS == 0 {
            let prev = dock.fetch_or(DOCK_TASKS, Ordering::SeqCst);
            wait::wake(dock, prev);
        }
    }

    /// The region's tasks are all complete: docked workers stop helping.
    pub fn clear_docked_tasks(&self) {
        let dock = &self.fork.dock;
        if dock.load(Ordering::Relaxed) & DOCK_TASKS != 0 {
            let prev = dock.fetch_and(!DOCK_TASKS, Ordering::SeqCst);
            wait::wake(dock, prev);
        }
    }

    /// Sends every attached worker back to the pool and waits until none of
    /// them touches this team any more. Called before the team is freed.
    pub fn disband(&self) {
        // SAFETY: called by the primary thread with no region running.
        let p = unsafe { &mut *self.primary.get() };
        if !p.workers.is_empty() {
            let dock = &self.fork.dock;
            let old = dock.load(Ordering::Relaxed);
            let prev = dock.swap(next_dock(old, 0), Ordering::Release);
            wait::wake(dock, prev);
            p.retiring += p.workers.len() as u32;
            p.workers.clear();
        }
        self.await_retirements(p);
    }

    /// After `fork()`, in the child: the attached workers do not exist.
    #[cold]
    fn forget_workers(&self, p: &mut PrimaryState, epoch: u64) {
        for w in p.workers.drain(..) {
            std::mem::forget(w);
        }
        p.retiring = 0;
        p.epoch = epoch;
        self.retired.store(0, Ordering::Relaxed);
    }

    fn await_retirements(&self, p: &mut PrimaryState) {
        if p.retiring > 0 {
            let want = p.retiring;
            while self.retired.load(Ordering::Acquire) < want {
                std::thread::yield_now();
            }
            self.retired.store(0, Ordering::Relaxed);
            p.retiring = 0;
        }
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        self.disband();
    }
}

unsafe extern "C" fn noop(_: *mut c_void) {}

/// The dock word after `old` for a region of `n` threads (0: leave).
#[inline]
fn next_dock(old: u32, n: u32) -> u32 {
    ((old >> 16).wrapping_add(1) << 16) | (n << 2)
}

#[inline]
fn dock_nthreads(word: u32) -> u32 {
    (word >> 2) & MAX_TEAM
}

/// A region about to start.
pub struct Launch {
    pub job: Job,
    pub nthreads: u32,
    pub proc_bind: u32,
    /// `parallel reduction(task, ...)`: the region's descriptor, which
    /// `in_reduction` tasks of the region look their variables up in.
    pub reductions: *mut usize,
    /// This node's part of a distributed region.
    pub dist: Option<crate::dist::DistTeam>,
}

/// Threads currently busy in teams, counted only when a thread limit is set
/// (1 for the initial thread).
static BUSY: AtomicU32 = AtomicU32::new(1);

/// Incremented in a child process after `fork()`: the child has only the
/// forking thread, so every worker of an earlier epoch is gone.
static FORK_EPOCH: AtomicU64 = AtomicU64::new(0);

/// The `pthread_atfork` child handler: forgets the parent's workers so that
/// the child's next region starts fresh ones instead of waiting forever for
/// threads that were not copied (libgomp hangs there). Only atomic stores:
/// the child may not take locks another thread held at fork time.
pub extern "C" fn after_fork_in_child() {
    FORK_EPOCH.fetch_add(1, Ordering::Relaxed);
    BUSY.store(1, Ordering::Relaxed);
    wait::reset_managed_threads();
    // The pool's workers do not exist here; their records are leaked (a
    // few hundred bytes each) rather than touched.
    POOL_LOCK.store(0, Ordering::Relaxed);
    // SAFETY: only the calling thread exists in the child, so nothing else
    // can touch the pool; forgetting the entries drops no thread.
    unsafe { std::mem::forget(std::mem::take(&mut *POOL.get())) };
}

/// Reserves up to `want` threads (including the caller) under the
/// thread-limit ICV and returns how many were granted.
pub fn reserve_threads(want: u32, limit: u32) -> u32 {
    if limit == u32::MAX {
        return want;
    }
    let mut busy = BUSY.load(Ordering::Relaxed);
    loop {
        let avail = limit.saturating_sub(busy).saturating_add(1);
        let n = want.min(avail).max(1);
        match BUSY.compare_exchange_weak(busy, busy + (n - 1), Ordering::AcqRel, Ordering::Relaxed)
        {
            Ok(_) => return n,
            Err(b) => busy = b,
        }
    }
}

/// Gives back what [`reserve_threads`] granted.
pub fn release_threads(n: u32, limit: u32) {
    if limit != u32::MAX && n > 1 {
        BUSY.fetch_sub(n - 1, Ordering::AcqRel);
    }
}

/// Sets up a combined construct's first work share at fork: called with the
/// team and the construct's number.
pub type PresetFn<'a> = &'a dyn Fn(&Team, u64);

/// Starts a region: the calling thread becomes thread 0 of its led team at
/// its current depth; workers are attached and released. `preset` runs on
/// the primary thread before the release, with the team and the number of
/// the region's first construct, to set up a combined construct's work share.
/// Returns the state to hand to [`end`].
pub fn begin(launch: &Launch, preset: Option<PresetFn>) -> Forked {
    let thr = thread::current();
    let depth = thr.lead_depth.get();
    let team_ptr = thr.led_team(depth);
    // SAFETY: led teams live as long as their thread, and this thread is
    // the team's only primary.
    let team = unsafe { &*team_ptr };
    thr.lead_depth.set(depth + 1);
    let n = launch.nthreads.clamp(1, MAX_TEAM);
    let saved = thr.save_place();
    let g = icv::global();

    // The implicit tasks' ICVs: the next level's nthreads-var and bind-var
    // come from the environment's lists when they go that deep.
    let level = saved.level + 1;
    // A distributed team is active when it has more than one thread over
    // all nodes, even with one on this node.
    let span = launch.dist.map_or(n, |d| d.total);
    let active_level = saved.active_level + u32::from(span > 1);
    let mut icv = saved.icv;
    if let Some(&v) = g.nthreads_list.get(level as usize) {
        icv.nthreads = v;
    }
    // bind-var: the environment's list decides where it reaches; beyond
    // it a proc_bind clause replaces bind-var unless binding is off.
    if let Some(&b) = g.bind_list.get(level as usize) {
        icv.bind = b;
    } else if launch.proc_bind != 0 && icv.bind != crate::icv::ProcBind::False {
        if let Some(b) = crate::icv::ProcBind::from_raw(launch.proc_bind) {
            icv.bind = b;
        }
    }

    // SAFETY: this thread is the team's primary and no region of the team
    // is running (the previous one was joined in `end`).
    let p = unsafe { &mut *team.primary.get() };
    let epoch = FORK_EPOCH.load(Ordering::Relaxed);
    if p.epoch != epoch {
        team.forget_workers(p, epoch);
    }
    p.region += 1;
    let ws_base = team.ws.last_done();
    // SAFETY: as above: no worker reads the region until the dock release
    // below.
    unsafe {
        team.write_region(
            RegionInfo {
                level,
                active_level,
                parent_tid: saved.tid,
                proc_bind: launch.proc_bind as u16,
                ws_preset: u16::from(preset.is_some()),
                job: launch.job,
                region: p.region,
                ws_base,
                parent: saved.team,
            },
            &icv,
        );
        *team.dist.get() = launch.dist.map(|d| crate::dist::DistTeam { ws_base, ..d });
        team.bar.prepare(n, Algorithm::for_team(n, g.barrier));
        team.tasks.prepare(n, launch.reductions);
        if let Some(d) = launch.dist {
            crate::dist::set_current(d.seq, team);
        }
    }
    if team.single.load(Ordering::Relaxed) != 0 {
        team.single.store(0, Ordering::Relaxed);
    }
    // SAFETY: no construct of the team runs: the previous region was
    // joined, and no worker is released before the dock below.
    unsafe { team.ws.prepare(n) };
    if let Some(f) = preset {
        f(team, ws_base + 1);
    }

    // Affinity hook: the region's places, published before the release.
    let aff = crate::affinity::fork(&team.affinity, saved.icv.bind, launch.proc_bind, n, level);
    if n > 1 {
        attach_workers(team, p, n - 1);
        // Where this thread runs, for the workers' check (not across
        // nodes: a CPU number means nothing on another machine).
        let cpu = match launch.dist {
            None => crate::sys::topology::current_cpu().unwrap_or(NO_CPU),
            Some(_) => NO_CPU,
        };
        if team.fork.primary_cpu.load(Ordering::Relaxed) != cpu {
            team.fork.primary_cpu.store(cpu, Ordering::Relaxed);
        }
        let dock = &team.fork.dock;
        let old = dock.load(Ordering::Relaxed);
        let prev = dock.swap(next_dock(old, n), Ordering::Release);
        wait::wake(dock, prev);
        if p.workers.len() > (n - 1) as usize {
            // Workers past the new size retire on seeing this dock word.
            p.retiring += (p.workers.len() - (n - 1) as usize) as u32;
            p.workers.truncate((n - 1) as usize);
        }
    }

    let place = TeamPlace {
        team: team_ptr,
        tid: 0,
        nthreads: n,
        level,
        active_level,
        region: p.region,
        bar_count: 0,
        ws_seq: if preset.is_some() {
            ws_base + 1
        } else {
            ws_base
        },
        single_seq: 0,
        ws: if preset.is_some() {
            team.ws.slot(ws_base + 1)
        } else {
            std::ptr::null()
        },
        cursor: LoopCursor::default(),
        icv,
        task: thr.implicit_task(team_ptr, level),
    };
    thr.set_place(&place);
    // Affinity hook: OMP_DISPLAY_AFFINITY, once this thread is in the team.
    crate::affinity::announce(aff);
    Forked {
        team: team_ptr,
        saved,
        region: p.region,
    }
}

/// A started region, as the primary thread must end it.
pub struct Forked {
    team: *const Team,
    saved: TeamPlace,
    region: u64,
}

/// Ends a region started by [`begin`]: waits for the workers at the join
/// and restores the primary thread's place in the enclosing team.
pub fn end(f: Forked) {
    let thr = thread::current();
    // SAFETY: the team is one of this thread's led teams (see `begin`).
    let team = unsafe { &*f.team };
    team.bar.join_wait(f.region);
    if team.tasks.used() {
        team.tasks.end_region(thr, team);
    }
    // Every thread has left every construct of the region.
    team.ws
        .finish_region(thr.ws_seq.get(), team.bar.cancelled());
    thr.set_place(&f.saved);
    // Affinity hook: back to the partition before the region.
    crate::affinity::join(&team.affinity);
    thr.lead_depth.set(thr.lead_depth.get() - 1);
}

/// Makes sure `need` workers are attached, taking them from the pool or
/// starting new threads.
fn attach_workers(team: &Team, p: &mut PrimaryState, need: u32) {
    let have = p.workers.len() as u32;
    if have >= need {
        return;
    }
    team.await_retirements(p);
    let dock_now = team.fork.dock.load(Ordering::Relaxed) & !SLEEPING;
    for tid in have + 1..=need {
        let w = pool(|p| p.pop()).unwrap_or_else(spawn_worker);
        // SAFETY: a worker in the pool (or just spawned) reads its
        // assignment only after acquiring `idle` == ASSIGNED below.
        unsafe {
            *w.assignment.get() = Assignment {
                team: team as *const Team,
                tid,
                dock_seen: dock_now,
            };
        }
        let prev = w.idle.swap(ASSIGNED, Ordering::Release);
        wait::wake(&w.idle, prev);
        p.workers.push(w);
    }
}

/// A worker thread, as the pool and its team see it.
pub struct Worker {
    /// `ASSIGNED` once `assignment` is valid, 0 while idle in the pool;
    /// bit 0 is the wait policy's SLEEPING bit.
    idle: AtomicU32,
    assignment: UnsafeCell<Assignment>,
}

const ASSIGNED: u32 = 2;

#[derive(Clone, Copy)]
struct Assignment {
    team: *const Team,
    tid: u32,
    dock_seen: u32,
}

// SAFETY: `assignment` is written by a team's primary thread only while the
// worker is idle (not reading it), and published by the Release swap of
// `idle`, which the worker Acquires before reading.
unsafe impl Sync for Worker {}
// SAFETY: see Sync; the raw team pointer is only dereferenced under the
// team protocol.
unsafe impl Send for Worker {}

/// Idle workers, ready to join any team, behind a futex mutex (a plain word,
/// so that the fork handler can reset it).
struct Pool(UnsafeCell<Vec<Arc<Worker>>>);
// SAFETY: the Vec is only touched with POOL_LOCK held (see `pool`), or in
// the single-threaded child after fork.
unsafe impl Sync for Pool {}
impl Pool {
    fn get(&self) -> *mut Vec<Arc<Worker>> {
        self.0.get()
    }
}
static POOL: Pool = Pool(UnsafeCell::new(Vec::new()));
static POOL_LOCK: AtomicU32 = AtomicU32::new(0);

/// Runs `f` on the pool with its lock held.
fn pool<R>(f: impl FnOnce(&mut Vec<Arc<Worker>>) -> R) -> R {
    crate::mutex::lock(&POOL_LOCK);
    // SAFETY: POOL_LOCK is held, so this is the only reference.
    let r = f(unsafe { &mut *POOL.get() });
    crate::mutex::unlock(&POOL_LOCK);
    r
}

fn spawn_worker() -> Arc<Worker> {
    let w = Arc::new(Worker {
        idle: AtomicU32::new(0),
        assignment: UnsafeCell::new(Assignment {
            team: std::ptr::null(),
            tid: 0,
            dock_seen: 0,
        }),
    });
    let g = icv::global();
    let stack = if g.stacksize > 0 {
        g.stacksize
    } else {
        crate::sys::default_thread_stack_size()
    };
    let w2 = w.clone();
    if crate::dist::on() {
        // Team threads of a distributed job run on stacks in the DSM window.
        if let Err(e) = crate::dist::spawn_worker(stack, Box::new(move || worker_main(w2))) {
            crate::fatal(&format!("cannot start a worker thread: {e}"));
        }
        wait::add_managed_threads(1);
        return w;
    }
    let spawned = std::thread::Builder::new()
        .name("pomp-worker".into())
        .stack_size(stack)
        .spawn(move || worker_main(w2));
    if let Err(e) = spawned {
        crate::fatal(&format!("cannot start a worker thread: {e}"));
    }
    wait::add_managed_threads(1);
    w
}

fn worker_main(w: Arc<Worker>) {
    let thr = Thread::new(icv::global().initial);
    // SAFETY: `thr` lives on this thread's stack until the thread exits,
    // which never happens while the runtime can reach it.
    unsafe { thread::set_current(&thr) };
    loop {
        wait::wait_until(&w.idle, |v| v & !SLEEPING == ASSIGNED);
        // SAFETY: acquired `idle == ASSIGNED`, which publishes the
        // assignment; it is not rewritten until this worker is idle again.
        let a = unsafe { *w.assignment.get() };
        w.idle.store(0, Ordering::Relaxed);
        // SAFETY: the team outlives its attachment of this worker: it is
        // freed only after `disband` has waited for our retirement below.
        let team = unsafe { &*a.team };
        serve_team(&thr, team, a.tid, a.dock_seen);
        // Back to the pool before acknowledging, so that our primary thread,
        // once it sees the acknowledgement, can find us there.
        pool(|p| p.push(w.clone()));
        team.retired.fetch_add(1, Ordering::Release);
    }
}

/// A worker's life in one team: wait at the dock, run each region it is part
/// of, until the team shrinks below it or disbands.
fn serve_team(thr: &Thread, team: &Team, tid: u32, mut seen: u32) {
    loop {
        let word = wait::wait_until(&team.fork.dock, |v| {
            (v >> 16) != (seen >> 16) || v & DOCK_TASKS != 0
        });
        if (word >> 16) == (seen >> 16) {
            // Still the region this worker finished its part of: help with
            // its tasks until the primary thread ends it.
            let dock = &team.fork.dock;
            let gen = seen >> 16;
            team.tasks.help_docked(thr, &|| {
                let v = dock.load(Ordering::SeqCst);
                v >> 16 == gen && v & DOCK_TASKS != 0
            });
            // Sleep until the bit is cleared, or the next region.
            wait::wait_until(dock, |v| (v >> 16) != gen || v & DOCK_TASKS == 0);
            continue;
        }
        seen = word;
        let n = dock_nthreads(word);
        if tid >= n {
            return;
        }
        let info = *team.info();
        let primary_cpu = team.fork.primary_cpu.load(Ordering::Relaxed);
        if primary_cpu != NO_CPU {
            crate::affinity::settle_worker(primary_cpu, tid);
        }
        let ws_first = info.ws_base + u64::from(info.ws_preset != 0);
        thr.set_place(&TeamPlace {
            team,
            tid,
            nthreads: n,
            level: info.level,
            active_level: info.active_level,
            region: info.region,
            bar_count: 0,
            ws_seq: ws_first,
            single_seq: 0,
            ws: if info.ws_preset != 0 {
                team.ws.slot(ws_first)
            } else {
                std::ptr::null()
            },
            cursor: LoopCursor::default(),
            icv: *team.implicit_icv(),
            task: thr.implicit_task(team, info.level),
        });
        // Affinity hook: this thread's place in the region.
        crate::affinity::enter(&team.affinity, tid, n);
        // SAFETY: the job is the outlined body GCC passed to GOMP_parallel
        // with its data; every thread of the team calls it once.
        unsafe { info.job.run() };
        team.bar.join_arrive(tid, info.region);
    }
}
