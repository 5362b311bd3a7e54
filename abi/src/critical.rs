//! critical.c: `GOMP_critical_start`, `GOMP_critical_end`,
//! `GOMP_critical_name_start`, `GOMP_critical_name_end`,
//! `GOMP_atomic_start`, `GOMP_atomic_end` (all GOMP_1.0).

use std::ffi::c_void;
use std::sync::atomic::AtomicU32;

use rt::critical;

#[no_mangle]
pub extern "C" fn GOMP_critical_start() {
    critical::start();
}

#[no_mangle]
pub extern "C" fn GOMP_critical_end() {
    critical::end();
}

/// The mutex word inside a named critical's slot.
///
/// # Safety
/// `pptr` must be the address of GCC's pointer-sized, zero-initialised
/// `.gomp_critical_user_NAME` common symbol.
unsafe fn slot<'a>(pptr: *mut *mut c_void) -> &'a AtomicU32 {
    if pptr.is_null() {
        rt::fatal("GOMP_critical_name_start: null critical name slot");
    }
    // SAFETY: per the contract the slot is valid, 8-byte aligned (so 4-byte
    // aligned) and only ever accessed through these entry points.
    unsafe { AtomicU32::from_ptr(pptr.cast::<u32>()) }
}

/// # Safety
/// See [`slot`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_critical_name_start(pptr: *mut *mut c_void) {
    // SAFETY: forwarded to the caller.
    critical::name_start(unsafe { slot(pptr) });
}

/// # Safety
/// See [`slot`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_critical_name_end(pptr: *mut *mut c_void) {
    // SAFETY: forwarded to the caller.
    critical::name_end(unsafe { slot(pptr) });
}

#[no_mangle]
pub extern "C" fn GOMP_atomic_start() {
    critical::atomic_start();
}

#[no_mangle]
pub extern "C" fn GOMP_atomic_end() {
    critical::atomic_end();
}
