//! pomp: an OpenMP runtime, usable in place of GCC's libgomp.
//!
//! This crate is the runtime proper, in safe-as-possible Rust; the C ABI
//! (`GOMP_*`, `omp_*`) is the `pomp-abi` crate, a thin shim over this one.
//! Modules keep libgomp's file names so the two can be read side by side:
//!
//! | module | handles |
//! | --- | --- |
//! | [`env`](mod@env), [`icv`] | ICVs: the environment, their scopes, the `omp_set/get_*` routines |
//! | [`team`], [`thread`] | teams, worker threads, the pool, fork and join |
//! | [`parallel`] | parallel regions and the team queries |
//! | [`bar`], [`barrier`] | the barrier algorithms; `#pragma omp barrier` |
//! | [`work`] | the ring of work-sharing constructs in flight |
//! | [`loops`] | loop schedules (static, dynamic, guided, runtime) for `long` and `unsigned long long` |
//! | [`ordered`] | `ordered` and doacross |
//! | [`sections`], [`single`] | `sections`, `single` and `copyprivate` |
//! | [`critical`], [`lock`], [`mutex`] | critical sections, `GOMP_atomic_*`, OpenMP locks |
//! | [`task`] | explicit tasks, dependences, taskgroups, task reductions, taskloop |
//! | [`cancel`] | cancellation |
//! | [`teams`], [`target`] | host `teams` leagues; `target` regions, device memory and `omp_pause_resource` with no offload device |
//! | [`alloc`] | memory allocators (`omp_alloc` and friends, `GOMP_alloc`) |
//! | [`wait`] | the wait policy (spin, then futex) |
//! | [`affinity`], [`affinity_fmt`], [`topology`] | places, thread binding, the affinity format; the machine's topology |
//! | [`sys`], [`arch`] | the OS and ISA specifics, one module each |

pub mod affinity;
pub mod affinity_fmt;
pub mod alloc;
pub mod arch;
pub mod bar;
pub mod barrier;
pub mod cancel;
pub mod critical;
pub mod dist;
pub mod env;
pub mod icv;
pub mod lock;
pub mod loops;
pub mod mutex;
pub mod ordered;
pub mod parallel;
pub mod reduction;
pub mod sections;
pub mod single;
pub mod sys;
pub mod target;
pub mod task;
pub mod team;
pub mod teams;
pub mod thread;
pub mod topology;
pub mod wait;
pub mod work;

/// The runtime's version, as `OMP_DISPLAY_ENV` and `pomp info` report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Reads the environment (printing warnings and `OMP_DISPLAY_ENV` if asked).
/// The ABI layer calls this from the library's constructor; every entry
/// point would otherwise do it on first use.
pub fn init() {
    icv::global();
    // SAFETY: registering a handler with no prepare/parent parts; the child
    // handler only performs atomic stores (see `after_fork_in_child`).
    unsafe { libc::pthread_atfork(None, None, Some(team::after_fork_in_child)) };
    std::panic::set_hook(Box::new(|info| {
        sys::write_stderr_line(&format!("pomp: internal error: {info}; aborting"));
    }));
    // Under `pomp run`: join the job (a worker node never returns).
    dist::init();
}

/// Reports an unrecoverable error in one line and aborts.
#[cold]
pub fn fatal(msg: &str) -> ! {
    sys::write_stderr_line(&format!("pomp: fatal: {msg}"));
    std::process::abort()
}
