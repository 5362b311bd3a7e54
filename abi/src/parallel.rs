//! parallel.c: starting regions and the team queries.
//!
//! Symbols: `GOMP_parallel_start`, `GOMP_parallel_end` (GOMP_1.0),
//! `GOMP_parallel`, `GOMP_cancel`, `GOMP_cancellation_point` (GOMP_4.0),
//! `omp_get_num_threads`, `omp_get_thread_num`, `omp_in_parallel`
//! (OMP_1.0), `omp_get_level`, `omp_get_ancestor_thread_num`,
//! `omp_get_team_size`, `omp_get_active_level` (OMP_3.0).

use std::ffi::{c_int, c_uint, c_void};

use rt::cancel::{self, Which};
use rt::parallel::{self, Preset};
use rt::team::Job;

/// GCC's outlined region body.
pub type Body = unsafe extern "C" fn(*mut c_void);

/// The `proc_bind` clause in `GOMP_parallel`'s flags (low three bits).
pub(crate) fn proc_bind(flags: c_uint) -> u32 {
    flags & 7
}

/// # Safety
/// `func` must be callable with `data` on any thread (GCC's outlined body).
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    flags: c_uint,
) {
    parallel::run(
        Job { func, data },
        num_threads,
        proc_bind(flags),
        Preset::None,
    );
}

/// # Safety
/// As for [`GOMP_parallel`]; the caller then runs `func(data)` itself and
/// calls [`GOMP_parallel_end`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_start(func: Body, data: *mut c_void, num_threads: c_uint) {
    parallel::legacy_start(Job { func, data }, num_threads, Preset::None);
}

#[no_mangle]
pub extern "C" fn GOMP_parallel_end() {
    parallel::legacy_end();
}

#[no_mangle]
pub extern "C" fn GOMP_cancellation_point(which: c_int) -> bool {
    Which::from_raw(which).is_some_and(cancel::point)
}

#[no_mangle]
pub extern "C" fn GOMP_cancel(which: c_int, do_cancel: bool) -> bool {
    Which::from_raw(which).is_some_and(|w| cancel::cancel(w, do_cancel))
}

#[no_mangle]
pub extern "C" fn omp_get_num_threads() -> c_int {
    parallel::num_threads()
}

#[no_mangle]
pub extern "C" fn omp_get_thread_num() -> c_int {
    parallel::thread_num()
}

#[no_mangle]
pub extern "C" fn omp_in_parallel() -> c_int {
    parallel::in_parallel() as c_int
}

#[no_mangle]
pub extern "C" fn omp_get_level() -> c_int {
    parallel::level()
}

#[no_mangle]
pub extern "C" fn omp_get_active_level() -> c_int {
    parallel::active_level()
}

#[no_mangle]
pub extern "C" fn omp_get_ancestor_thread_num(level: c_int) -> c_int {
    parallel::ancestor_thread_num(level)
}

#[no_mangle]
pub extern "C" fn omp_get_team_size(level: c_int) -> c_int {
    parallel::team_size(level)
}
