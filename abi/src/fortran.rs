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

// ---------------------------------------------------------------------
// affinity.c / affinity-fmt.c (OMP_4.5, OMP_5.0): places and the affinity
// format. CHARACTER arguments come with their length as a hidden `size_t`
// after the other arguments; results are blank-padded, not NUL-terminated,
// and trailing blanks of a format are part of it (as in libgomp).

/// A Fortran CHARACTER argument.
///
/// # Safety
/// `s` must be null or readable for `len` bytes.
unsafe fn f_str<'a>(s: *const std::ffi::c_char, len: usize) -> &'a [u8] {
    if s.is_null() || len == 0 {
        return &[];
    }
    // SAFETY: per the contract.
    unsafe { std::slice::from_raw_parts(s.cast::<u8>(), len) }
}

/// Copies `text` into the CHARACTER buffer `buf` of `len` bytes, cut or
/// padded with blanks.
///
/// # Safety
/// `buf` must be null or writable for `len` bytes.
unsafe fn f_copy_out(text: &[u8], buf: *mut std::ffi::c_char, len: usize) {
    if buf.is_null() || len == 0 {
        return;
    }
    // SAFETY: per the contract.
    let out = unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), len) };
    let n = text.len().min(len);
    out[..n].copy_from_slice(&text[..n]);
    out[n..].fill(b' ');
}

#[no_mangle]
pub extern "C" fn omp_get_num_places_() -> c_int {
    crate::affinity::omp_get_num_places()
}

/// # Safety
/// `place` must point at an `INTEGER(4)`.
#[no_mangle]
pub unsafe extern "C" fn omp_get_place_num_procs_(place: *const i32) -> c_int {
    // SAFETY: forwarded to the caller.
    crate::affinity::omp_get_place_num_procs(unsafe { arg(place) })
}

/// # Safety
/// `place` must point at an `INTEGER(8)`.
#[no_mangle]
pub unsafe extern "C" fn omp_get_place_num_procs_8_(place: *const i64) -> c_int {
    // SAFETY: forwarded to the caller.
    crate::affinity::omp_get_place_num_procs(narrow(unsafe { arg(place) }))
}

/// # Safety
/// `place` must point at an `INTEGER(4)`; `ids` must have room for the
/// place's CPUs.
#[no_mangle]
pub unsafe extern "C" fn omp_get_place_proc_ids_(place: *const i32, ids: *mut i32) {
    // SAFETY: forwarded to the caller.
    unsafe { crate::affinity::omp_get_place_proc_ids(arg(place), ids) };
}

/// # Safety
/// `place` must point at an `INTEGER(8)`; `ids` must have room for the
/// place's CPUs, as `INTEGER(8)`.
#[no_mangle]
pub unsafe extern "C" fn omp_get_place_proc_ids_8_(place: *const i64, ids: *mut i64) {
    // SAFETY: `place` is readable per the contract.
    let place = narrow(unsafe { arg(place) });
    for (i, cpu) in rt::affinity::place_proc_ids(place).into_iter().enumerate() {
        // SAFETY: the caller sized `ids` for the place's CPUs.
        unsafe { *ids.add(i) = i64::from(cpu) };
    }
}

#[no_mangle]
pub extern "C" fn omp_get_place_num_() -> c_int {
    crate::affinity::omp_get_place_num()
}

#[no_mangle]
pub extern "C" fn omp_get_partition_num_places_() -> c_int {
    crate::affinity::omp_get_partition_num_places()
}

/// # Safety
/// `nums` must have room for `omp_get_partition_num_places()` integers.
#[no_mangle]
pub unsafe extern "C" fn omp_get_partition_place_nums_(nums: *mut i32) {
    // SAFETY: forwarded to the caller.
    unsafe { crate::affinity::omp_get_partition_place_nums(nums) };
}

/// # Safety
/// `nums` must have room for `omp_get_partition_num_places()`
/// `INTEGER(8)`s.
#[no_mangle]
pub unsafe extern "C" fn omp_get_partition_place_nums_8_(nums: *mut i64) {
    for (i, p) in rt::affinity::partition_place_nums().enumerate() {
        // SAFETY: the caller sized `nums` for the partition.
        unsafe { *nums.add(i) = i64::from(p) };
    }
}

/// # Safety
/// `format` must be readable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_set_affinity_format_(format: *const std::ffi::c_char, len: usize) {
    // SAFETY: forwarded to the caller.
    rt::affinity::set_affinity_format(unsafe { f_str(format, len) });
}

/// # Safety
/// `buffer` must be writable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_affinity_format_(
    buffer: *mut std::ffi::c_char,
    len: usize,
) -> i32 {
    let f = rt::affinity::affinity_format();
    // SAFETY: forwarded to the caller.
    unsafe { f_copy_out(&f, buffer, len) };
    f.len().min(i32::MAX as usize) as i32
}

/// # Safety
/// `format` must be readable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_display_affinity_(format: *const std::ffi::c_char, len: usize) {
    // SAFETY: forwarded to the caller.
    rt::affinity::display(Some(unsafe { f_str(format, len) }));
}

/// # Safety
/// `buffer` must be writable for `buffer_len` bytes and `format` readable
/// for `format_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_capture_affinity_(
    buffer: *mut std::ffi::c_char,
    format: *const std::ffi::c_char,
    buffer_len: usize,
    format_len: usize,
) -> i32 {
    // SAFETY: forwarded to the caller.
    let text = rt::affinity::capture(Some(unsafe { f_str(format, format_len) }));
    // SAFETY: forwarded to the caller.
    unsafe { f_copy_out(&text, buffer, buffer_len) };
    text.len().min(i32::MAX as usize) as i32
}

// ---- Memory management (OMP_5.0.1) and pause (OMP_5.0) --------------------
// Allocator and memory-space handles are INTEGER(c_intptr_t), the C
// handles themselves; `type(omp_alloctrait)` has the C layout.

/// # Safety
/// `memspace` and `ntraits` must be valid for reads, `traits` hold
/// `*ntraits` traits.
#[no_mangle]
pub unsafe extern "C" fn omp_init_allocator_(
    memspace: *const usize,
    ntraits: *const i32,
    traits: *const rt::alloc::Trait,
) -> usize {
    // SAFETY: forwarded to the caller.
    unsafe { crate::alloc::omp_init_allocator(arg(memspace), arg(ntraits), traits) }
}

/// # Safety
/// As for [`omp_init_allocator_`], with an `INTEGER(8)` count.
#[no_mangle]
pub unsafe extern "C" fn omp_init_allocator_8_(
    memspace: *const usize,
    ntraits: *const i64,
    traits: *const rt::alloc::Trait,
) -> usize {
    // SAFETY: forwarded to the caller.
    unsafe { crate::alloc::omp_init_allocator(arg(memspace), narrow(arg(ntraits)), traits) }
}

/// # Safety
/// `allocator` must be valid for reads and hold a handle as
/// `omp_destroy_allocator` needs.
#[no_mangle]
pub unsafe extern "C" fn omp_destroy_allocator_(allocator: *const usize) {
    // SAFETY: forwarded to the caller.
    unsafe { crate::alloc::omp_destroy_allocator(arg(allocator)) };
}

/// # Safety
/// `allocator` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_set_default_allocator_(allocator: *const usize) {
    // SAFETY: forwarded to the caller.
    crate::alloc::omp_set_default_allocator(unsafe { arg(allocator) });
}

#[no_mangle]
pub extern "C" fn omp_get_default_allocator_() -> usize {
    crate::alloc::omp_get_default_allocator()
}

/// # Safety
/// `kind` and `device_num` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_pause_resource_(kind: *const i32, device_num: *const i32) -> c_int {
    // SAFETY: forwarded to the caller.
    unsafe { crate::target::omp_pause_resource(arg(kind), arg(device_num)) }
}

/// # Safety
/// `kind` must be valid for reads.
#[no_mangle]
pub unsafe extern "C" fn omp_pause_resource_all_(kind: *const i32) -> c_int {
    // SAFETY: forwarded to the caller.
    crate::target::omp_pause_resource_all(unsafe { arg(kind) })
}
