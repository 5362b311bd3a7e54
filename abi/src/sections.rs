//! sections.c: `GOMP_sections_start`, `GOMP_sections_next`,
//! `GOMP_parallel_sections_start`, `GOMP_sections_end`,
//! `GOMP_sections_end_nowait` (GOMP_1.0), `GOMP_parallel_sections`,
//! `GOMP_sections_end_cancel` (GOMP_4.0), `GOMP_sections2_start` (GOMP_5.0).

use std::ffi::{c_uint, c_void};

use rt::loops::End;
use rt::parallel::{self, Preset};
use rt::team::Job;

use crate::parallel::{proc_bind, Body};

#[no_mangle]
pub extern "C" fn GOMP_sections_start(count: c_uint) -> c_uint {
    rt::sections::start(count, None, None)
}

/// # Safety
/// `reductions` must be null or a task-reduction descriptor GCC built;
/// `mem` null or a valid `void **` holding the size of the block wanted.
#[no_mangle]
pub unsafe extern "C" fn GOMP_sections2_start(
    count: c_uint,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> c_uint {
    rt::sections::start(
        count,
        (!mem.is_null()).then_some(mem),
        (!reductions.is_null()).then_some(reductions),
    )
}

#[no_mangle]
pub extern "C" fn GOMP_sections_next() -> c_uint {
    rt::sections::next()
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_sections(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    count: c_uint,
    flags: c_uint,
) {
    parallel::run(
        Job { func, data },
        num_threads,
        proc_bind(flags),
        Preset::Sections(count),
    );
}

/// # Safety
/// As for [`GOMP_parallel_sections`]; the caller then runs the body itself
/// and calls `GOMP_parallel_end`.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_sections_start(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    count: c_uint,
) {
    parallel::legacy_start(Job { func, data }, num_threads, Preset::Sections(count));
}

#[no_mangle]
pub extern "C" fn GOMP_sections_end() {
    rt::loops::end(End::Barrier);
}

#[no_mangle]
pub extern "C" fn GOMP_sections_end_nowait() {
    rt::loops::end(End::Nowait);
}

#[no_mangle]
pub extern "C" fn GOMP_sections_end_cancel() -> bool {
    rt::loops::end(End::Cancel)
}
