//! task.c / taskloop.c: `GOMP_task`, `GOMP_taskwait`,
//! `GOMP_taskwait_depend`, `GOMP_taskyield`, taskgroups, task reductions,
//! `GOMP_taskloop` / `GOMP_taskloop_ull`, `omp_fulfill_event`. The runtime
//! side is pomp's `task` module.

use std::ffi::{c_int, c_long, c_uint, c_ulong, c_ulonglong, c_void};

use rt::task::{self, CopyFn, Spawn, TaskFn, Taskloop};

/// `#pragma omp task` (GOMP_2.0; the depend, priority and detach arguments
/// were appended in later versions, and GCC 12 always passes them).
///
/// # Safety
/// The arguments must be as GCC passes them (see [`rt::task::spawn`]).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn GOMP_task(
    func: TaskFn,
    data: *mut c_void,
    cpyfn: Option<CopyFn>,
    arg_size: c_long,
    arg_align: c_long,
    if_clause: bool,
    flags: c_uint,
    depend: *const *mut c_void,
    priority: c_int,
    detach: *mut c_void,
) {
    if cpyfn.is_none()
        && flags & (task::flags::DEPEND | task::flags::DETACH) == 0
        // SAFETY: forwarded to the caller.
        && unsafe { task::run_if_undeferred(func, data, if_clause, flags, priority) }
    {
        return;
    }
    let s = Spawn {
        func,
        data,
        cpyfn,
        arg_size: arg_size.max(0) as usize,
        arg_align: arg_align.max(1) as usize,
        if_clause,
        flags,
        depend,
        priority,
        detach: detach.cast(),
    };
    // SAFETY: forwarded to the caller.
    unsafe { task::spawn(&s) };
}

#[no_mangle]
pub extern "C" fn GOMP_taskwait() {
    task::taskwait();
}

/// # Safety
/// `depend` must be a depend array GCC built.
#[no_mangle]
pub unsafe extern "C" fn GOMP_taskwait_depend(depend: *const *mut c_void) {
    if !depend.is_null() {
        // SAFETY: forwarded to the caller.
        unsafe { task::taskwait_depend(depend) };
    }
}

#[no_mangle]
pub extern "C" fn GOMP_taskyield() {
    task::taskyield();
}

#[no_mangle]
pub extern "C" fn GOMP_taskgroup_start() {
    task::taskgroup_start();
}

#[no_mangle]
pub extern "C" fn GOMP_taskgroup_end() {
    task::taskgroup_end();
}

/// # Safety
/// `data` must be a task-reduction descriptor GCC built.
#[no_mangle]
pub unsafe extern "C" fn GOMP_taskgroup_reduction_register(data: *mut usize) {
    if !data.is_null() {
        // SAFETY: forwarded to the caller.
        unsafe { task::taskgroup_reduction_register(data) };
    }
}

/// # Safety
/// `ptrs` must have `cnt + cntorig` slots.
#[no_mangle]
pub unsafe extern "C" fn GOMP_task_reduction_remap(
    cnt: usize,
    cntorig: usize,
    ptrs: *mut *mut c_void,
) {
    // SAFETY: forwarded to the caller.
    unsafe { task::reduction_remap(cnt, cntorig, ptrs) };
}

/// `#pragma omp taskloop` over `long`.
///
/// # Safety
/// As GCC passes the arguments (see [`rt::task::taskloop`]).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn GOMP_taskloop(
    func: TaskFn,
    data: *mut c_void,
    cpyfn: Option<CopyFn>,
    arg_size: c_long,
    arg_align: c_long,
    flags: c_uint,
    num_tasks: c_ulong,
    priority: c_int,
    start: c_long,
    end: c_long,
    step: c_long,
) {
    let l = Taskloop {
        func,
        data,
        cpyfn,
        arg_size: arg_size.max(0) as usize,
        arg_align: arg_align.max(1) as usize,
        flags,
        num_tasks,
        priority,
        start: start as u64,
        end: end as u64,
        step: step as u64,
        unsigned: false,
    };
    // SAFETY: forwarded to the caller.
    unsafe { task::taskloop(&l) };
}

/// `#pragma omp taskloop` over `unsigned long long`.
///
/// # Safety
/// As for [`GOMP_taskloop`].
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn GOMP_taskloop_ull(
    func: TaskFn,
    data: *mut c_void,
    cpyfn: Option<CopyFn>,
    arg_size: c_long,
    arg_align: c_long,
    flags: c_uint,
    num_tasks: c_ulong,
    priority: c_int,
    start: c_ulonglong,
    end: c_ulonglong,
    step: c_ulonglong,
) {
    let l = Taskloop {
        func,
        data,
        cpyfn,
        arg_size: arg_size.max(0) as usize,
        arg_align: arg_align.max(1) as usize,
        flags,
        num_tasks,
        priority,
        start,
        end,
        step,
        unsigned: true,
    };
    // SAFETY: forwarded to the caller.
    unsafe { task::taskloop(&l) };
}

/// # Safety
/// `event` must be a handle a `detach` clause filled in, not yet fulfilled.
#[no_mangle]
pub unsafe extern "C" fn omp_fulfill_event(event: usize) {
    // SAFETY: forwarded to the caller.
    unsafe { task::fulfill(event) };
}

/// Fortran: `omp_fulfill_event(event)`, the handle by reference.
///
/// # Safety
/// `event` must point at a handle as for [`omp_fulfill_event`].
#[no_mangle]
pub unsafe extern "C" fn omp_fulfill_event_(event: *const usize) {
    if !event.is_null() {
        // SAFETY: forwarded to the caller.
        unsafe { task::fulfill(*event) };
    }
}
