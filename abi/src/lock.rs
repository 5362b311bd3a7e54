//! lock.c: the OpenMP lock routines, in both versions libgomp exports.
//!
//! `omp_*_lock@@OMP_3.0` and `omp_*_nest_lock@@OMP_3.0` are the current
//! ones: `omp_lock_t` is 4 bytes, `omp_nest_lock_t` 16 and owned by a task.
//! `omp_*@OMP_1.0` are the OpenMP 2.5 ones old binaries were linked
//! against: the same simple lock, and an 8-byte nestable lock owned by a
//! thread. Rust cannot give one symbol two versions by itself, so each
//! version is a `pomp_*_30` / `pomp_*_25` function that `lib.rs` renames
//! with `.symver`.

use std::ffi::{c_int, c_void};
use std::sync::atomic::AtomicU32;

use rt::lock::{self, NestLock, NestLock25};

/// The mutex word of an `omp_lock_t`.
///
/// # Safety
/// `p` must point at a live `omp_lock_t` (4 bytes, 4-aligned) used only
/// through the lock routines.
#[inline(always)]
pub(crate) unsafe fn simple<'a>(p: *mut c_void, what: &str) -> &'a AtomicU32 {
    if p.is_null() {
        null_lock(what);
    }
    // SAFETY: per the contract.
    unsafe { AtomicU32::from_ptr(p.cast()) }
}

/// Ends the program: a lock routine was given a null lock. Out of line, so
/// that the lock routines' fast paths build no message and need no frame.
#[cold]
#[inline(never)]
fn null_lock(what: &str) -> ! {
    rt::fatal(&format!("{what}: null lock"))
}

/// The state inside an `omp_nest_lock_t`.
///
/// # Safety
/// `p` must point at a live `omp_nest_lock_t` (16 bytes, 8-aligned) used
/// only through the lock routines.
pub(crate) unsafe fn nest<'a>(p: *mut c_void, what: &str) -> &'a NestLock {
    if p.is_null() {
        null_lock(what);
    }
    // SAFETY: per the contract; NestLock is 16 bytes of atomics, valid for
    // any bit pattern.
    unsafe { &*p.cast::<NestLock>() }
}

/// The state inside an OpenMP 2.5 `omp_nest_lock_t`.
///
/// # Safety
/// `p` must point at a live 8-byte, 4-aligned 2.5 nestable lock.
pub(crate) unsafe fn nest25<'a>(p: *mut c_void, what: &str) -> &'a NestLock25 {
    if p.is_null() {
        null_lock(what);
    }
    // SAFETY: per the contract.
    unsafe { &*p.cast::<NestLock25>() }
}

// ---- OMP_3.0 (default versions) -----------------------------------------

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_init_lock_30(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    lock::init(unsafe { simple(l, "omp_init_lock") });
}

/// # Safety
/// See [`simple`]. `omp_sync_hint_t` hints are accepted and do not change
/// the lock.
#[no_mangle]
pub unsafe extern "C" fn omp_init_lock_with_hint(l: *mut c_void, _hint: c_int) {
    // SAFETY: forwarded to the caller.
    lock::init(unsafe { simple(l, "omp_init_lock_with_hint") });
}

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_destroy_lock_30(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    lock::init(unsafe { simple(l, "omp_destroy_lock") });
}

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_set_lock_30(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    lock::set(unsafe { simple(l, "omp_set_lock") });
}

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_unset_lock_30(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    lock::unset(unsafe { simple(l, "omp_unset_lock") });
}

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_test_lock_30(l: *mut c_void) -> c_int {
    // SAFETY: forwarded to the caller.
    lock::test(unsafe { simple(l, "omp_test_lock") }) as c_int
}

/// # Safety
/// See [`nest`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_init_nest_lock_30(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    unsafe { nest(l, "omp_init_nest_lock") }.init();
}

/// # Safety
/// See [`nest`].
#[no_mangle]
pub unsafe extern "C" fn omp_init_nest_lock_with_hint(l: *mut c_void, _hint: c_int) {
    // SAFETY: forwarded to the caller.
    unsafe { nest(l, "omp_init_nest_lock_with_hint") }.init();
}

/// # Safety
/// See [`nest`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_destroy_nest_lock_30(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    unsafe { nest(l, "omp_destroy_nest_lock") }.init();
}

/// # Safety
/// See [`nest`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_set_nest_lock_30(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    unsafe { nest(l, "omp_set_nest_lock") }.set();
}

/// # Safety
/// See [`nest`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_unset_nest_lock_30(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    unsafe { nest(l, "omp_unset_nest_lock") }.unset();
}

/// # Safety
/// See [`nest`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_test_nest_lock_30(l: *mut c_void) -> c_int {
    // SAFETY: forwarded to the caller.
    unsafe { nest(l, "omp_test_nest_lock") }.test()
}

// ---- OMP_1.0 (OpenMP 2.5 binaries) --------------------------------------

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_init_lock_25(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    lock::init(unsafe { simple(l, "omp_init_lock") });
}

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_destroy_lock_25(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    lock::init(unsafe { simple(l, "omp_destroy_lock") });
}

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_set_lock_25(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    lock::set(unsafe { simple(l, "omp_set_lock") });
}

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_unset_lock_25(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    lock::unset(unsafe { simple(l, "omp_unset_lock") });
}

/// # Safety
/// See [`simple`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_test_lock_25(l: *mut c_void) -> c_int {
    // SAFETY: forwarded to the caller.
    lock::test(unsafe { simple(l, "omp_test_lock") }) as c_int
}

/// # Safety
/// See [`nest25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_init_nest_lock_25(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    unsafe { nest25(l, "omp_init_nest_lock") }.init();
}

/// # Safety
/// See [`nest25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_destroy_nest_lock_25(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    unsafe { nest25(l, "omp_destroy_nest_lock") }.init();
}

/// # Safety
/// See [`nest25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_set_nest_lock_25(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    unsafe { nest25(l, "omp_set_nest_lock") }.set();
}

/// # Safety
/// See [`nest25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_unset_nest_lock_25(l: *mut c_void) {
    // SAFETY: forwarded to the caller.
    unsafe { nest25(l, "omp_unset_nest_lock") }.unset();
}

/// # Safety
/// See [`nest25`].
#[no_mangle]
pub unsafe extern "C" fn pomp_omp_test_nest_lock_25(l: *mut c_void) -> c_int {
    // SAFETY: forwarded to the caller.
    unsafe { nest25(l, "omp_test_nest_lock") }.test()
}
