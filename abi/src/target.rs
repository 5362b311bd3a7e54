//! target.c with no offload device: the `target` constructs run on the
//! host (see pomp's `target` module). GOMP_4.0: `GOMP_target`,
//! `GOMP_target_data`, `GOMP_target_end_data`, `GOMP_target_update`.
//! GOMP_4.0.1: `GOMP_offload_register`, `GOMP_offload_unregister`.
//! GOMP_4.5: `GOMP_target_ext`, `GOMP_target_data_ext`,
//! `GOMP_target_update_ext`, `GOMP_target_enter_exit_data`,
//! `GOMP_offload_register_ver`, `GOMP_offload_unregister_ver`. OMP_4.5:
//! `omp_target_alloc`, `omp_target_free`, `omp_target_is_present`,
//! `omp_target_memcpy`, `omp_target_memcpy_rect`,
//! `omp_target_associate_ptr`, `omp_target_disassociate_ptr`. OMP_5.0:
//! `omp_pause_resource`, `omp_pause_resource_all`.
//!
//! Map kinds are `unsigned char` in the GOMP_4.0 entry points and
//! `unsigned short` (kind in the low byte, log2 alignment in the high
//! byte) in the GOMP_4.5 ones.

use std::ffi::{c_int, c_uchar, c_uint, c_ushort, c_void};

use rt::target::{self, Rect, TargetExt};
use rt::task::TaskFn;
use rt::team::Job;

/// `#pragma omp target` as GCC before 5 emitted it: run `fn(hostaddrs)`.
///
/// # Safety
/// The arguments must be as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_target(
    device: c_int,
    func: TaskFn,
    _unused: *const c_void,
    _mapnum: usize,
    hostaddrs: *mut *mut c_void,
    _sizes: *const usize,
    _kinds: *const c_uchar,
) {
    target::check_device(device);
    let job = Job {
        func,
        data: hostaddrs.cast(),
    };
    // SAFETY: the compiler's outlined target body and its address array.
    unsafe { target::run_on_host(job, 0) };
}

/// `#pragma omp target` (GCC 5 and later): `args` may carry the
/// `thread_limit` clause; `flags` may say `nowait`.
///
/// # Safety
/// The arguments must be as GCC passes them: arrays of `mapnum` elements,
/// a depend array or null, a null-terminated `args` array or null.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn GOMP_target_ext(
    device: c_int,
    func: TaskFn,
    mapnum: usize,
    hostaddrs: *mut *mut c_void,
    sizes: *const usize,
    kinds: *const c_ushort,
    flags: c_uint,
    depend: *const *mut c_void,
    args: *const *mut c_void,
) {
    let t = TargetExt {
        device,
        func,
        mapnum,
        hostaddrs,
        sizes,
        kinds,
        flags,
        depend,
        args,
    };
    // SAFETY: forwarded to the caller.
    unsafe { target::target_ext(&t) };
}

#[no_mangle]
pub extern "C" fn GOMP_target_data(
    device: c_int,
    _unused: *const c_void,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *const usize,
    _kinds: *const c_uchar,
) {
    target::check_device(device);
}

#[no_mangle]
pub extern "C" fn GOMP_target_data_ext(
    device: c_int,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *const usize,
    _kinds: *const c_ushort,
) {
    target::check_device(device);
}

#[no_mangle]
pub extern "C" fn GOMP_target_end_data() {}

#[no_mangle]
pub extern "C" fn GOMP_target_update(
    device: c_int,
    _unused: *const c_void,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *const usize,
    _kinds: *const c_uchar,
) {
    target::check_device(device);
}

/// # Safety
/// `depend` must be null or a depend array GCC built.
#[no_mangle]
pub unsafe extern "C" fn GOMP_target_update_ext(
    device: c_int,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *const usize,
    _kinds: *const c_ushort,
    _flags: c_uint,
    depend: *const *mut c_void,
) {
    // SAFETY: forwarded to the caller.
    unsafe { target::data_construct(device, depend) };
}

/// `target enter data` and `target exit data` (`flags` bit 1).
///
/// # Safety
/// `depend` must be null or a depend array GCC built.
#[no_mangle]
pub unsafe extern "C" fn GOMP_target_enter_exit_data(
    device: c_int,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *const usize,
    _kinds: *const c_ushort,
    _flags: c_uint,
    depend: *const *mut c_void,
) {
    // SAFETY: forwarded to the caller.
    unsafe { target::data_construct(device, depend) };
}

/// Offload images register themselves from their constructors; with no
/// device there is nothing to load them on.
#[no_mangle]
pub extern "C" fn GOMP_offload_register_ver(
    _version: c_uint,
    _host_table: *const c_void,
    _target_type: c_int,
    _target_data: *const c_void,
) {
}

#[no_mangle]
pub extern "C" fn GOMP_offload_register(
    _host_table: *const c_void,
    _target_type: c_int,
    _target_data: *const c_void,
) {
}

#[no_mangle]
pub extern "C" fn GOMP_offload_unregister_ver(
    _version: c_uint,
    _host_table: *const c_void,
    _target_type: c_int,
    _target_data: *const c_void,
) {
}

#[no_mangle]
pub extern "C" fn GOMP_offload_unregister(
    _host_table: *const c_void,
    _target_type: c_int,
    _target_data: *const c_void,
) {
}

#[no_mangle]
pub extern "C" fn omp_target_alloc(size: usize, device_num: c_int) -> *mut c_void {
    target::target_alloc(size, device_num)
}

/// # Safety
/// On the host device, `ptr` must be null or from `omp_target_alloc`,
/// freed once.
#[no_mangle]
pub unsafe extern "C" fn omp_target_free(ptr: *mut c_void, device_num: c_int) {
    // SAFETY: forwarded to the caller.
    unsafe { target::target_free(ptr, device_num) };
}

#[no_mangle]
pub extern "C" fn omp_target_is_present(ptr: *const c_void, device_num: c_int) -> c_int {
    c_int::from(target::target_is_present(ptr, device_num))
}

/// # Safety
/// The ranges must be valid and not overlap.
#[no_mangle]
pub unsafe extern "C" fn omp_target_memcpy(
    dst: *mut c_void,
    src: *const c_void,
    length: usize,
    dst_offset: usize,
    src_offset: usize,
    dst_device_num: c_int,
    src_device_num: c_int,
) -> c_int {
    // SAFETY: forwarded to the caller.
    unsafe {
        target::target_memcpy(
            dst,
            src,
            length,
            dst_offset,
            src_offset,
            dst_device_num,
            src_device_num,
        )
    }
}

/// Both arrays null asks how many dimensions are supported (`INT_MAX`).
///
/// # Safety
/// The arrays must describe valid regions: `volume`, the offsets and the
/// dimensions `num_dims` elements each.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn omp_target_memcpy_rect(
    dst: *mut c_void,
    src: *const c_void,
    element_size: usize,
    num_dims: c_int,
    volume: *const usize,
    dst_offsets: *const usize,
    src_offsets: *const usize,
    dst_dimensions: *const usize,
    src_dimensions: *const usize,
    dst_device_num: c_int,
    src_device_num: c_int,
) -> c_int {
    if dst.is_null() && src.is_null() {
        return c_int::MAX;
    }
    if !target::rect_devices_ok(dst_device_num, src_device_num) || num_dims < 1 {
        return target::EINVAL;
    }
    let n = num_dims as usize;
    // SAFETY: per the contract, `num_dims` elements each.
    let (volume, dst_r, src_r) = unsafe {
        (
            std::slice::from_raw_parts(volume, n),
            Rect {
                offsets: std::slice::from_raw_parts(dst_offsets, n),
                dims: std::slice::from_raw_parts(dst_dimensions, n),
            },
            Rect {
                offsets: std::slice::from_raw_parts(src_offsets, n),
                dims: std::slice::from_raw_parts(src_dimensions, n),
            },
        )
    };
    // SAFETY: forwarded to the caller.
    unsafe {
        target::target_memcpy_rect(dst.cast(), src.cast(), element_size, volume, &dst_r, &src_r)
    }
}

#[no_mangle]
pub extern "C" fn omp_target_associate_ptr(
    _host_ptr: *const c_void,
    _device_ptr: *const c_void,
    _size: usize,
    _device_offset: usize,
    device_num: c_int,
) -> c_int {
    target::associate_ptr(device_num)
}

#[no_mangle]
pub extern "C" fn omp_target_disassociate_ptr(_ptr: *const c_void, device_num: c_int) -> c_int {
    target::associate_ptr(device_num)
}

#[no_mangle]
pub extern "C" fn omp_pause_resource(kind: c_int, device_num: c_int) -> c_int {
    target::pause_resource(kind, Some(device_num))
}

#[no_mangle]
pub extern "C" fn omp_pause_resource_all(kind: c_int) -> c_int {
    target::pause_resource(kind, None)
}
