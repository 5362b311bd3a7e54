//! icv.c, proc.c, time.c and the host-device queries of target.c: the ICV
//! routines and the queries that need no team.
//!
//! OMP_1.0: `omp_set_num_threads`, `omp_get_max_threads`,
//! `omp_set_dynamic`, `omp_get_dynamic`, `omp_set_nested`,
//! `omp_get_nested`, `omp_get_num_procs`. OMP_2.0: `omp_get_wtime`,
//! `omp_get_wtick`. OMP_3.0: `omp_set_schedule`, `omp_get_schedule`,
//! `omp_get_thread_limit`, `omp_set_max_active_levels`,
//! `omp_get_max_active_levels`. OMP_3.1: `omp_in_final`. OMP_4.0:
//! `omp_get_cancellation`, `omp_get_proc_bind`, `omp_set_default_device`,
//! `omp_get_default_device`, `omp_get_num_devices`, `omp_get_num_teams`,
//! `omp_get_team_num`, `omp_is_initial_device`. OMP_4.5:
//! `omp_get_initial_device`, `omp_get_max_task_priority`. OMP_5.0.1:
//! `omp_get_supported_active_levels`. OMP_5.0.2: `omp_get_device_num`.
//! OMP_5.1: `omp_display_env`, `omp_set_num_teams`, `omp_get_max_teams`,
//! `omp_set_teams_thread_limit`, `omp_get_teams_thread_limit`.

use std::ffi::{c_double, c_int};

use rt::icv;

#[no_mangle]
pub extern "C" fn omp_set_num_threads(n: c_int) {
    icv::set_num_threads(n);
}

#[no_mangle]
pub extern "C" fn omp_get_max_threads() -> c_int {
    icv::max_threads()
}

#[no_mangle]
pub extern "C" fn omp_set_dynamic(on: c_int) {
    icv::set_dynamic(on != 0);
}

#[no_mangle]
pub extern "C" fn omp_get_dynamic() -> c_int {
    icv::dynamic() as c_int
}

#[no_mangle]
pub extern "C" fn omp_set_nested(on: c_int) {
    icv::set_nested(on != 0);
}

#[no_mangle]
pub extern "C" fn omp_get_nested() -> c_int {
    icv::nested() as c_int
}

#[no_mangle]
pub extern "C" fn omp_get_num_procs() -> c_int {
    icv::global().cpus as c_int
}

#[no_mangle]
pub extern "C" fn omp_get_wtime() -> c_double {
    rt::sys::wtime()
}

#[no_mangle]
pub extern "C" fn omp_get_wtick() -> c_double {
    rt::sys::wtick()
}

#[no_mangle]
pub extern "C" fn omp_set_schedule(kind: c_int, chunk: c_int) {
    icv::set_schedule(kind, chunk);
}

/// # Safety
/// `kind` and `chunk` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_schedule(kind: *mut c_int, chunk: *mut c_int) {
    let (k, c) = icv::schedule();
    // SAFETY: per the contract.
    unsafe {
        if !kind.is_null() {
            *kind = k;
        }
        if !chunk.is_null() {
            *chunk = c;
        }
    }
}

#[no_mangle]
pub extern "C" fn omp_get_thread_limit() -> c_int {
    icv::thread_limit()
}

#[no_mangle]
pub extern "C" fn omp_set_max_active_levels(n: c_int) {
    icv::set_max_active_levels(n);
}

#[no_mangle]
pub extern "C" fn omp_get_max_active_levels() -> c_int {
    icv::max_active_levels()
}

#[no_mangle]
pub extern "C" fn omp_get_supported_active_levels() -> c_int {
    icv::SUPPORTED_ACTIVE_LEVELS as c_int
}

/// Whether the calling task is final.
#[no_mangle]
pub extern "C" fn omp_in_final() -> c_int {
    c_int::from(rt::task::in_final())
}

#[no_mangle]
pub extern "C" fn omp_get_cancellation() -> c_int {
    icv::global().cancellation as c_int
}

#[no_mangle]
pub extern "C" fn omp_get_proc_bind() -> c_int {
    icv::proc_bind() as c_int
}

#[no_mangle]
pub extern "C" fn omp_set_default_device(d: c_int) {
    icv::set_default_device(d);
}

#[no_mangle]
pub extern "C" fn omp_get_default_device() -> c_int {
    icv::default_device()
}

#[no_mangle]
pub extern "C" fn omp_get_max_task_priority() -> c_int {
    icv::global().max_task_priority
}

/// pomp has no offload devices: the host is the only device.
#[no_mangle]
pub extern "C" fn omp_get_num_devices() -> c_int {
    0
}

/// The host's device number is the number of offload devices.
#[no_mangle]
pub extern "C" fn omp_get_initial_device() -> c_int {
    omp_get_num_devices()
}

#[no_mangle]
pub extern "C" fn omp_is_initial_device() -> c_int {
    1
}

#[no_mangle]
pub extern "C" fn omp_get_device_num() -> c_int {
    omp_get_initial_device()
}

/// Outside a `teams` construct there is one team, number 0.
#[no_mangle]
pub extern "C" fn omp_get_num_teams() -> c_int {
    rt::teams::num_teams()
}

#[no_mangle]
pub extern "C" fn omp_get_team_num() -> c_int {
    rt::teams::team_num()
}

#[no_mangle]
pub extern "C" fn omp_display_env(verbose: c_int) {
    let g = icv::global();
    let me = rt::thread::current().icv.get();
    rt::sys::write_stderr_line(&rt::env::display(g, &me, verbose != 0));
}

#[no_mangle]
pub extern "C" fn omp_set_num_teams(n: c_int) {
    icv::set_num_teams(n);
}

#[no_mangle]
pub extern "C" fn omp_get_max_teams() -> c_int {
    icv::max_teams()
}

#[no_mangle]
pub extern "C" fn omp_set_teams_thread_limit(n: c_int) {
    icv::set_teams_thread_limit(n);
}

#[no_mangle]
pub extern "C" fn omp_get_teams_thread_limit() -> c_int {
    icv::teams_thread_limit()
}
