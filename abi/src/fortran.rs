//! fortran.c: the Fortran spellings of the API (`omp_*_`, and `omp_*_8_`
//! for `-fdefault-integer-8` callers), as gfortran calls them: every
//! argument by reference, INTEGER and LOGICAL of kind 4 (or 8 for `_8_`).
//!
//! Locks: `omp_lock_kind` is 4, the size of `omp_lock_t`, so a Fortran
//! lock is the C lock itself. `omp_nest_lock_kind` is 8, smaller than the
//! 16-byte `omp_nest_lock_t`, so the Fortran integer holds a pointer to a
//! heap-allocated C nest lock (allocated by `omp_init_nest_lock_`, freed by
//! `omp_destroy_nest_lock_`). The OpenMP 2.5 nest lock is 8 bytes and fits.
//! Versions as for the C names (see `libgomp.map`).

use std::ffi::{c_double, c_int, c_void};

use rt::lock::NestLock;

use crate::icv::*;
use crate::lock::*;
use crate::parallel::*;

/// Clamps a Fortran `INTEGER(8)` to a C `int`.
fn narrow(v: i64) -> c_int {
    v.clamp(c_int::MIN as i64, c_int::MAX as i64) as c_int
}

/// Reads a by-reference argument.
///
/// # Safety
/// `p` must be valid for reads.
unsafe fn arg<T: Copy>(p: *const T) -> T {
    // SAFETY: per the contract.
    unsafe { *p }
}

#[no_mangle]
pub extern "C" fn omp_get_dynamic_() -> c_int {
    omp_get_dynamic()
}

#[no_mangle]
pub extern "C" fn omp_get_max_threads_() -> c_int {
    omp_get_max_threads()
}

#[no_mangle]
pub extern "C" fn omp_get_nested_() -> c_int {
    omp_get_nested()
}

#[no_mangle]
pub extern "C" fn omp_get_num_procs_() -> c_int {
    omp_get_num_procs()
}

#[no_mangle]
pub extern "C" fn omp_get_num_threads_() -> c_int {
    omp_get_num_threads()
}

#[no_mangle]
pub extern "C" fn omp_get_thread_num_() -> c_int {
    omp_get_thread_num()
}

#[no_mangle]
pub extern "C" fn omp_in_parallel_() -> c_int {
    omp_in_parallel()
}

#[no_mangle]
pub extern "C" fn omp_get_active_level_() -> c_int {
    omp_get_active_level()
}

#[no_mangle]
pub extern "C" fn omp_get_level_() -> c_int {
    omp_get_level()
}

#[no_mangle]
pub extern "C" fn omp_get_max_active_levels_() -> c_int {
    omp_get_max_active_levels()
}

#[no_mangle]
pub extern "C" fn omp_get_thread_limit_() -> c_int {
    omp_get_thread_limit()
}

#[no_mangle]
pub extern "C" fn omp_in_final_() -> c_int {
    omp_in_final()
}

#[no_mangle]
pub extern "C" fn omp_get_cancellation_() -> c_int {
    omp_get_cancellation()
}

#[no_mangle]
pub extern "C" fn omp_get_default_device_() -> c_int {
    omp_get_default_device()
}

#[no_mangle]
pub extern "C" fn omp_get_num_devices_() -> c_int {
    omp_get_num_devices()
}

#[no_mangle]
pub extern "C" fn omp_get_num_teams_() -> c_int {
    omp_get_num_teams()
}

#[no_mangle]
pub extern "C" fn omp_get_proc_bind_() -> c_int {
    omp_get_proc_bind()
}

#[no_mangle]
pub extern "C" fn omp_get_team_num_() -> c_int {
    omp_get_team_num()
}

#[no_mangle]
pub extern "C" fn omp_is_initial_device_() -> c_int {
    omp_is_initial_device()
}

#[no_mangle]
pub extern "C" fn omp_get_initial_device_() -> c_int {
    omp_get_initial_device()
}

#[no_mangle]
pub extern "C" fn omp_get_max_task_priority_() -> c_int {
    omp_get_max_task_priority()
}

#[no_mangle]
pub extern "C" fn omp_get_supported_active_levels_() -> c_int {
    omp_get_supported_active_levels()
}

#[no_mangle]
pub extern "C" fn omp_get_device_num_() -> c_int {
    omp_get_device_num()
}

#[no_mangle]
pub extern "C" fn omp_get_max_teams_() -> c_int {
    omp_get_max_teams()
}

#[no_mangle]
pub extern "C" fn omp_get_teams_thread_limit_() -> c_int {
    omp_get_teams_thread_limit()
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_dynamic_(v: *const i32) {
    // SAFETY: forwarded to the caller.
    omp_set_dynamic((unsafe { arg(v) } != 0) as c_int);
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_dynamic_8_(v: *const i64) {
    // SAFETY: forwarded to the caller.
    omp_set_dynamic((unsafe { arg(v) } != 0) as c_int);
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_nested_(v: *const i32) {
    // SAFETY: forwarded to the caller.
    omp_set_nested((unsafe { arg(v) } != 0) as c_int);
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_nested_8_(v: *const i64) {
    // SAFETY: forwarded to the caller.
    omp_set_nested((unsafe { arg(v) } != 0) as c_int);
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_num_threads_(v: *const i32) {
    // SAFETY: forwarded to the caller.
    omp_set_num_threads(unsafe { arg(v) });
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_num_threads_8_(v: *const i64) {
    // SAFETY: forwarded to the caller.
    omp_set_num_threads(narrow(unsafe { arg(v) }));
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_max_active_levels_(v: *const i32) {
    // SAFETY: forwarded to the caller.
    omp_set_max_active_levels(unsafe { arg(v) });
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_max_active_levels_8_(v: *const i64) {
    // SAFETY: forwarded to the caller.
    omp_set_max_active_levels(narrow(unsafe { arg(v) }));
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_default_device_(v: *const i32) {
    // SAFETY: forwarded to the caller.
    omp_set_default_device(unsafe { arg(v) });
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_default_device_8_(v: *const i64) {
    // SAFETY: forwarded to the caller.
    omp_set_default_device(narrow(unsafe { arg(v) }));
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_num_teams_(v: *const i32) {
    // SAFETY: forwarded to the caller.
    omp_set_num_teams(unsafe { arg(v) });
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_num_teams_8_(v: *const i64) {
    // SAFETY: forwarded to the caller.
    omp_set_num_teams(narrow(unsafe { arg(v) }));
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_teams_thread_limit_(v: *const i32) {
    // SAFETY: forwarded to the caller.
    omp_set_teams_thread_limit(unsafe { arg(v) });
}

/// # Safety
/// `v` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_teams_thread_limit_8_(v: *const i64) {
    // SAFETY: forwarded to the caller.
    omp_set_teams_thread_limit(narrow(unsafe { arg(v) }));
}

/// # Safety
/// `level` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_get_ancestor_thread_num_(level: *const i32) -> c_int {
    // SAFETY: forwarded to the caller.
    omp_get_ancestor_thread_num(unsafe { arg(level) })
}

/// # Safety
/// `level` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_get_ancestor_thread_num_8_(level: *const i64) -> c_int {
    // SAFETY: forwarded to the caller.
    omp_get_ancestor_thread_num(narrow(unsafe { arg(level) }))
}

/// # Safety
/// `level` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_get_team_size_(level: *const i32) -> c_int {
    // SAFETY: forwarded to the caller.
    omp_get_team_size(unsafe { arg(level) })
}

/// # Safety
/// `level` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_get_team_size_8_(level: *const i64) -> c_int {
    // SAFETY: forwarded to the caller.
    omp_get_team_size(narrow(unsafe { arg(level) }))
}

#[no_mangle]
pub extern "C" fn omp_get_wtime_() -> c_double {
    omp_get_wtime()
}

#[no_mangle]
pub extern "C" fn omp_get_wtick_() -> c_double {
    omp_get_wtick()
}

/// # Safety
/// Both arguments must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_schedule_(kind: *const i32, chunk: *const i32) {
    // SAFETY: forwarded to the caller.
    unsafe { omp_set_schedule(arg(kind), arg(chunk)) };
}

/// # Safety
/// Both arguments must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_schedule_8_(kind: *const i32, chunk: *const i64) {
    // SAFETY: forwarded to the caller.
    unsafe { omp_set_schedule(arg(kind), narrow(arg(chunk))) };
}

/// As libgomp does, the Fortran routines report the kind without the
/// monotonic bit.
///
/// # Safety
/// Both arguments must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_schedule_(kind: *mut i32, chunk: *mut i32) {
    // SAFETY: forwarded to the caller.
    unsafe {
        omp_get_schedule(kind, chunk);
        *kind &= !rt::icv::OMP_SCHED_MONOTONIC;
    }
}

/// # Safety
/// Both arguments must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_schedule_8_(kind: *mut i32, chunk: *mut i64) {
    let mut c: c_int = 0;
    // SAFETY: forwarded to the caller; `c` is a local.
    unsafe {
        omp_get_schedule(kind, &mut c);
        *kind &= !rt::icv::OMP_SCHED_MONOTONIC;
        *chunk = c as i64;
    }
}

/// # Safety
/// `verbose` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_display_env_(verbose: *const i32) {
    // SAFETY: forwarded to the caller.
    omp_display_env((unsafe { arg(verbose) } != 0) as c_int);
}

/// # Safety
/// `verbose` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_display_env_8_(verbose: *const i64) {
    // SAFETY: forwarded to the caller.
    omp_display_env((unsafe { arg(verbose) } != 0) as c_int);
}

// ---- Locks, OMP_3.0 -------------------------------------------------------

/// The C nest lock a Fortran `omp_nest_lock_kind` integer points at.
///
/// # Safety
/// `l` must hold a pointer stored by `omp_init_nest_lock_`.
unsafe fn fortran_nest(l: *mut i64, what: &str) -> *mut c_void {
    if l.is_null() {
        rt::fatal(&format!("{what}: null lock"));
    }
    // SAFETY: per the contract.
    let p = unsafe { *l } as usize as *mut c_void;
    if p.is_null() {
        rt::fatal(&format!("{what}: lock not initialised"));
    }
    p
}

/// # Safety
/// `l` must point at an `INTEGER(omp_lock_kind)`.
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_init_lock__30(l: *mut i32) {
    // SAFETY: an INTEGER(4) lock is the C lock.
    unsafe { pomp_omp_init_lock_30(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_lock__30`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_destroy_lock__30(l: *mut i32) {
    // SAFETY: an INTEGER(4) lock is the C lock.
    unsafe { pomp_omp_destroy_lock_30(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_lock__30`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_set_lock__30(l: *mut i32) {
    // SAFETY: an INTEGER(4) lock is the C lock.
    unsafe { pomp_omp_set_lock_30(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_lock__30`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_unset_lock__30(l: *mut i32) {
    // SAFETY: an INTEGER(4) lock is the C lock.
    unsafe { pomp_omp_unset_lock_30(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_lock__30`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_test_lock__30(l: *mut i32) -> c_int {
    // SAFETY: an INTEGER(4) lock is the C lock.
    unsafe { pomp_omp_test_lock_30(l.cast()) }
}

/// # Safety
/// `l` must point at an `INTEGER(omp_nest_lock_kind)`.
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_init_nest_lock__30(l: *mut i64) {
    if l.is_null() {
        rt::fatal("omp_init_nest_lock: null lock");
    }
    let b = Box::into_raw(Box::new(NestLock::new()));
    // SAFETY: per the contract; the box is freed by the destroy routine.
    unsafe { *l = b as usize as i64 };
}

/// # Safety
/// `l` must hold a lock made by [`pomp_omp_init_nest_lock__30`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_destroy_nest_lock__30(l: *mut i64) {
    // SAFETY: per the contract the pointer came from Box::into_raw, and the
    // program destroys a lock once.
    unsafe {
        let p = fortran_nest(l, "omp_destroy_nest_lock");
        drop(Box::from_raw(p.cast::<NestLock>()));
        *l = 0;
    }
}

/// # Safety
/// As for [`pomp_omp_destroy_nest_lock__30`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_set_nest_lock__30(l: *mut i64) {
    // SAFETY: per the contract.
    unsafe { pomp_omp_set_nest_lock_30(fortran_nest(l, "omp_set_nest_lock")) };
}

/// # Safety
/// As for [`pomp_omp_destroy_nest_lock__30`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_unset_nest_lock__30(l: *mut i64) {
    // SAFETY: per the contract.
    unsafe { pomp_omp_unset_nest_lock_30(fortran_nest(l, "omp_unset_nest_lock")) };
}

/// # Safety
/// As for [`pomp_omp_destroy_nest_lock__30`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_test_nest_lock__30(l: *mut i64) -> c_int {
    // SAFETY: per the contract.
    unsafe { pomp_omp_test_nest_lock_30(fortran_nest(l, "omp_test_nest_lock")) }
}

// ---- Locks, OMP_1.0 (OpenMP 2.5): both kinds fit their integers ----------

/// # Safety
/// `l` must point at an `INTEGER(4)` lock.
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_init_lock__25(l: *mut i32) {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_init_lock_25(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_lock__25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_destroy_lock__25(l: *mut i32) {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_destroy_lock_25(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_lock__25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_set_lock__25(l: *mut i32) {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_set_lock_25(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_lock__25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_unset_lock__25(l: *mut i32) {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_unset_lock_25(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_lock__25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_test_lock__25(l: *mut i32) -> c_int {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_test_lock_25(l.cast()) }
}

/// # Safety
/// `l` must point at an `INTEGER(8)` lock.
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_init_nest_lock__25(l: *mut i64) {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_init_nest_lock_25(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_nest_lock__25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_destroy_nest_lock__25(l: *mut i64) {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_destroy_nest_lock_25(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_nest_lock__25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_set_nest_lock__25(l: *mut i64) {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_set_nest_lock_25(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_nest_lock__25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_unset_nest_lock__25(l: *mut i64) {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_unset_nest_lock_25(l.cast()) };
}

/// # Safety
/// As for [`pomp_omp_init_nest_lock__25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_test_nest_lock__25(l: *mut i64) -> c_int {
    // SAFETY: forwarded to the caller.
    unsafe { pomp_omp_test_nest_lock_25(l.cast()) }
}
