//! Internal control variables (OpenMP 5.2, section 2): their types, their
//! defaults, and where each one lives.
//!
//! The spec gives each ICV a scope. Those scoped to a data environment live in
//! [`TaskIcv`], copied into each implicit task when a region starts and
//! changed only by the owning task (`omp_set_num_threads` and friends). Those
//! scoped to the device live in [`Global`], read once from the environment
//! by [`crate::env`] and afterwards immutable, except for the few the API can
//! set (`omp_set_affinity_format`, `omp_set_num_teams` ...), which are
//! atomics or behind a lock.

use std::sync::OnceLock;

/// `omp_sched_t` without the monotonic bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum SchedKind {
    Static = 1,
    Dynamic = 2,
    Guided = 3,
    Auto = 4,
}

impl SchedKind {
    pub fn from_omp(kind: i32) -> Option<SchedKind> {
        match kind & !OMP_SCHED_MONOTONIC {
            1 => Some(SchedKind::Static),
            2 => Some(SchedKind::Dynamic),
            3 => Some(SchedKind::Guided),
            4 => Some(SchedKind::Auto),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SchedKind::Static => "STATIC",
            SchedKind::Dynamic => "DYNAMIC",
            SchedKind::Guided => "GUIDED",
            SchedKind::Auto => "AUTO",
        }
    }
}

/// The monotonic modifier bit of `omp_sched_t` (and of run-sched-var).
pub const OMP_SCHED_MONOTONIC: i32 = 0x8000_0000_u32 as i32;

/// run-sched-var: the schedule `schedule(runtime)` loops use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub kind: SchedKind,
    /// 0 means "unspecified" (only for static: one block per thread).
    pub chunk: i64,
    pub monotonic: bool,
}

impl Schedule {
    /// libgomp's default: dynamic with chunk 1.
    pub const DEFAULT: Schedule = Schedule {
        kind: SchedKind::Dynamic,
        chunk: 1,
        monotonic: false,
    };
}

/// bind-var values (`omp_proc_bind_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ProcBind {
    False = 0,
    True = 1,
    Primary = 2,
    Close = 3,
    Spread = 4,
}

impl ProcBind {
    pub fn from_raw(v: u32) -> Option<ProcBind> {
        Some(match v {
            0 => ProcBind::False,
            1 => ProcBind::True,
            2 => ProcBind::Primary,
            3 => ProcBind::Close,
            4 => ProcBind::Spread,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ProcBind::False => "FALSE",
            ProcBind::True => "TRUE",
            ProcBind::Primary => "PRIMARY",
            ProcBind::Close => "CLOSE",
            ProcBind::Spread => "SPREAD",
        }
    }
}

/// The ICVs scoped to a data environment: each task has its own copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskIcv {
    /// nthreads-var for regions this task starts.
    pub nthreads: u32,
    pub dynamic: bool,
    pub max_active_levels: u32,
    /// thread-limit-var: threads in the contention group, `u32::MAX` when
    /// unlimited.
    pub thread_limit: u32,
    pub run_sched: Schedule,
    /// bind-var for regions this task starts.
    pub bind: ProcBind,
    pub default_device: i32,
    /// The league the task is in (`omp_get_team_num`, `omp_get_num_teams`):
    /// 0 of 1 outside a `teams` region. Not ICVs in the spec, but they
    /// travel the same way: a parallel region nested in a team, and its
    /// tasks, are in that team. See [`crate::teams`].
    pub team_num: u32,
    pub num_teams: u32,
    /// def-allocator-var (`omp_set_default_allocator`), an allocator
    /// handle. The spec scopes it to a data environment; libgomp keeps it
    /// per thread but hands the primary thread's value to a new team's
    /// threads and restores the primary's at the join, which is where this
    /// ICV's copies go too.
    pub def_allocator: usize,
}

/// How threads wait (`OMP_WAIT_POLICY`); `Unset` behaves as libgomp's
/// default, which spins for a while before sleeping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitPolicy {
    Unset,
    Active,
    Passive,
}

/// `OMP_DISPLAY_ENV`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisplayEnv {
    No,
    Yes,
    Verbose,
}

/// The device-scoped ICVs, plus the lists that give nested levels their
/// nthreads-var and bind-var.
#[derive(Clone, Debug)]
pub struct Global {
    /// Initial values of the data-environment ICVs (the initial task's).
    pub initial: TaskIcv,
    /// `OMP_NUM_THREADS` as a list: element `l` is nthreads-var for the
    /// implicit tasks of regions at nesting level `l` (0-based: element 0 is
    /// the initial task's). Empty when unset.
    pub nthreads_list: Vec<u32>,
    /// `OMP_PROC_BIND` as a list, the same way.
    pub bind_list: Vec<ProcBind>,
    /// Worker stack size in bytes; 0 when `OMP_STACKSIZE` is unset.
    pub stacksize: usize,
    pub wait_policy: WaitPolicy,
    pub spin_count: u64,
    pub throttled_spin_count: u64,
    pub cancellation: bool,
    pub max_task_priority: i32,
    pub display_env: DisplayEnv,
    /// place-list-var: empty when threads are not bound.
    pub places: crate::affinity::Places,
    pub num_teams: u32,
    pub teams_thread_limit: u32,
    pub display_affinity: bool,
    pub affinity_format: String,
    /// def-allocator-var's initial value (`OMP_ALLOCATOR`): the name of a
    /// predefined allocator, as `OMP_DISPLAY_ENV` shows it.
    pub allocator: String,
    pub target_offload: String,
    /// CPUs available to the process.
    pub cpus: u32,
    /// The levels of active parallelism pomp supports.
    pub supported_active_levels: u32,
    /// Force a barrier algorithm (`POMP_BARRIER=central|tree`), for testing.
    pub barrier: Option<crate::bar::Algorithm>,
}

/// The most levels of active parallelism supported (libgomp reports 255).
pub const SUPPORTED_ACTIVE_LEVELS: u32 = 255;

static GLOBAL: OnceLock<Global> = OnceLock::new();

/// The device ICVs, reading the environment on first use.
#[inline]
pub fn global() -> &'static Global {
    GLOBAL.get_or_init(crate::env::initialize)
}

// ---------------------------------------------------------------------
// The ICV routines of the API (libgomp's icv.c). Values out of range are
// handled as libgomp handles them (observed with GCC 12's libgomp).

use crate::thread;

fn update(f: impl FnOnce(&mut TaskIcv)) {
    let thr = thread::current();
    let mut icv = thr.icv.get();
    f(&mut icv);
    thr.set_icv(icv);
}

/// `omp_set_num_threads`: values below 1 mean 1.
pub fn set_num_threads(n: i32) {
    update(|i| i.nthreads = n.max(1) as u32);
}

/// `omp_get_max_threads`.
pub fn max_threads() -> i32 {
    thread::current().icv.get().nthreads.min(i32::MAX as u32) as i32
}

/// `omp_set_dynamic`.
pub fn set_dynamic(on: bool) {
    update(|i| i.dynamic = on);
}

/// `omp_get_dynamic`.
pub fn dynamic() -> bool {
    thread::current().icv.get().dynamic
}

/// `omp_set_nested` (deprecated): all supported levels, or one.
pub fn set_nested(on: bool) {
    update(|i| i.max_active_levels = if on { SUPPORTED_ACTIVE_LEVELS } else { 1 });
}

/// `omp_get_nested` (deprecated): more than one level allowed, and more
/// than are active now.
pub fn nested() -> bool {
    let thr = thread::current();
    let levels = thr.icv.get().max_active_levels;
    levels > 1 && levels > thr.active_level.get()
}

/// `omp_set_max_active_levels`: negative values are ignored, large ones
/// capped at the supported number.
pub fn set_max_active_levels(n: i32) {
    if n >= 0 {
        update(|i| i.max_active_levels = (n as u32).min(SUPPORTED_ACTIVE_LEVELS));
    }
}

/// `omp_get_max_active_levels`.
pub fn max_active_levels() -> i32 {
    thread::current().icv.get().max_active_levels as i32
}

/// `omp_get_thread_limit`.
pub fn thread_limit() -> i32 {
    thread::current()
        .icv
        .get()
        .thread_limit
        .min(i32::MAX as u32) as i32
}

/// `omp_set_schedule`: an unknown kind is ignored; a chunk below 1 means the
/// kind's default (none for static); `auto` takes no chunk.
pub fn set_schedule(kind: i32, chunk: i32) {
    let Some(k) = SchedKind::from_omp(kind) else {
        return;
    };
    // As libgomp: `auto` keeps the chunk the ICV had.
    let chunk = match k {
        SchedKind::Static => Some(chunk.max(0) as i64),
        SchedKind::Auto => None,
        _ => Some(chunk.max(1) as i64),
    };
    update(|i| {
        i.run_sched = Schedule {
            kind: k,
            chunk: chunk.unwrap_or(i.run_sched.chunk),
            monotonic: kind & OMP_SCHED_MONOTONIC != 0,
        }
    });
}

/// `omp_get_schedule`: the kind (with the monotonic bit) and chunk.
pub fn schedule() -> (i32, i32) {
    let s = thread::current().icv.get().run_sched;
    let mut kind = s.kind as i32;
    if s.monotonic {
        kind |= OMP_SCHED_MONOTONIC;
    }
    (kind, s.chunk.clamp(i32::MIN as i64, i32::MAX as i64) as i32)
}

/// `omp_get_proc_bind`.
pub fn proc_bind() -> ProcBind {
    thread::current().icv.get().bind
}

/// `omp_set_default_device`: negative values are ignored.
pub fn set_default_device(d: i32) {
    // As libgomp: a negative device number selects device 0.
    update(|i| i.default_device = d.max(0));
}

/// `omp_get_default_device`.
pub fn default_device() -> i32 {
    thread::current().icv.get().default_device
}

/// nteams-var and teams-thread-limit-var (device ICVs the API can set).
static NUM_TEAMS: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);
static TEAMS_THREAD_LIMIT: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);

/// `omp_set_num_teams`: negative values are ignored.
pub fn set_num_teams(n: i32) {
    if n >= 0 {
        NUM_TEAMS.store(n, std::sync::atomic::Ordering::Relaxed);
    }
}

/// `omp_get_max_teams`.
pub fn max_teams() -> i32 {
    match NUM_TEAMS.load(std::sync::atomic::Ordering::Relaxed) {
        -1 => global().num_teams.min(i32::MAX as u32) as i32,
        n => n,
    }
}

/// `omp_set_teams_thread_limit`: negative values are ignored.
pub fn set_teams_thread_limit(n: i32) {
    if n >= 0 {
        TEAMS_THREAD_LIMIT.store(n, std::sync::atomic::Ordering::Relaxed);
    }
}

/// `omp_get_teams_thread_limit`.
pub fn teams_thread_limit() -> i32 {
    match TEAMS_THREAD_LIMIT.load(std::sync::atomic::Ordering::Relaxed) {
        -1 => global().teams_thread_limit.min(i32::MAX as u32) as i32,
        n => n,
    }
}
