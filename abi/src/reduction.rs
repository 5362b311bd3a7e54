//! task.c (reductions): `GOMP_parallel_reductions`,
//! `GOMP_taskgroup_reduction_unregister`,
//! `GOMP_workshare_task_reduction_unregister` (GOMP_5.0). The descriptor
//! layout is documented in the runtime's `reduction` module.

use std::ffi::{c_uint, c_void};

use rt::parallel::{self, Preset};
use rt::team::Job;

use crate::parallel::{proc_bind, Body};

/// `parallel reduction(task, ...)`: the descriptor's address is the first
/// word of `data`. Returns the team size, which GCC's code uses to combine
/// the blocks after the region.
///
/// # Safety
/// `func` must be callable with `data` on any thread, and `data` must start
/// with a pointer to GCC's task-reduction descriptor.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_reductions(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    flags: c_uint,
) -> c_uint {
    // SAFETY: per the contract.
    let d = unsafe { *data.cast::<*mut usize>() };
    parallel::run(
        Job { func, data },
        num_threads,
        proc_bind(flags),
        Preset::Reductions(d),
    )
}

/// Frees the blocks of a descriptor once its construct is over.
///
/// # Safety
/// `data` must be a descriptor whose blocks pomp allocated and nobody uses.
#[no_mangle]
pub unsafe extern "C" fn GOMP_taskgroup_reduction_unregister(data: *mut usize) {
    if !data.is_null() {
        // SAFETY: forwarded to the caller.
        unsafe { rt::reduction::free(data) };
    }
}

#[no_mangle]
pub extern "C" fn GOMP_workshare_task_reduction_unregister(cancelled: bool) {
    rt::reduction::workshare_unregister(cancelled);
}
