//! single.c: `GOMP_single_start`, `GOMP_single_copy_start`,
//! `GOMP_single_copy_end` (GOMP_1.0).

use std::ffi::c_void;

#[no_mangle]
pub extern "C" fn GOMP_single_start() -> bool {
    rt::single::start()
}

#[no_mangle]
pub extern "C" fn GOMP_single_copy_start() -> *mut c_void {
    rt::single::copy_start()
}

#[no_mangle]
pub extern "C" fn GOMP_single_copy_end(data: *mut c_void) {
    rt::single::copy_end(data);
}
