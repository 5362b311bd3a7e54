//! affinity.c and affinity-fmt.c: the place queries and the affinity
//! format.
//!
//! OMP_4.5: `omp_get_num_places`, `omp_get_place_num_procs`,
//! `omp_get_place_proc_ids`, `omp_get_place_num`,
//! `omp_get_partition_num_places`, `omp_get_partition_place_nums`.
//! OMP_5.0: `omp_set_affinity_format`, `omp_get_affinity_format`,
//! `omp_display_affinity`, `omp_capture_affinity`.

use std::ffi::{c_char, c_int, CStr};

use rt::affinity;

#[no_mangle]
pub extern "C" fn omp_get_num_places() -> c_int {
    affinity::num_places()
}

#[no_mangle]
pub extern "C" fn omp_get_place_num_procs(place: c_int) -> c_int {
    affinity::place_num_procs(place)
}

/// # Safety
/// `ids` must have room for `omp_get_place_num_procs(place)` ints.
#[no_mangle]
pub unsafe extern "C" fn omp_get_place_proc_ids(place: c_int, ids: *mut c_int) {
    for (i, cpu) in affinity::place_proc_ids(place).into_iter().enumerate() {
        // SAFETY: the caller sized `ids` for the place's CPUs.
        unsafe { *ids.add(i) = cpu as c_int };
    }
}

#[no_mangle]
pub extern "C" fn omp_get_place_num() -> c_int {
    affinity::place_num()
}

#[no_mangle]
pub extern "C" fn omp_get_partition_num_places() -> c_int {
    affinity::partition_num_places()
}

/// # Safety
/// `nums` must have room for `omp_get_partition_num_places()` ints.
#[no_mangle]
pub unsafe extern "C" fn omp_get_partition_place_nums(nums: *mut c_int) {
    for (i, p) in affinity::partition_place_nums().enumerate() {
        // SAFETY: the caller sized `nums` for the partition.
        unsafe { *nums.add(i) = p as c_int };
    }
}

/// A C string argument; `None` for a null pointer.
///
/// # Safety
/// `s` must be null or a NUL-terminated string.
unsafe fn c_str<'a>(s: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: forwarded to the caller.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_bytes())
}

/// Copies `text` into the C buffer `buf` of `size` bytes, truncated and
/// NUL-terminated (nothing is written when `size` is 0). Returns the length
/// of the whole text.
///
/// # Safety
/// `buf` must be null or writable for `size` bytes.
unsafe fn copy_out(text: &[u8], buf: *mut c_char, size: usize) -> usize {
    if !buf.is_null() && size > 0 {
        let n = text.len().min(size - 1);
        // SAFETY: `n + 1 <= size` bytes of `buf` are writable per the
        // contract; `text` does not overlap a buffer the caller owns.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
            *buf.add(n) = 0;
        }
    }
    text.len()
}

/// # Safety
/// `format` must be null or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn omp_set_affinity_format(format: *const c_char) {
    // SAFETY: forwarded to the caller.
    if let Some(f) = unsafe { c_str(format) } {
        affinity::set_affinity_format(f);
    }
}

/// # Safety
/// `buffer` must be null or writable for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_affinity_format(buffer: *mut c_char, size: usize) -> usize {
    // SAFETY: forwarded to the caller.
    unsafe { copy_out(&affinity::affinity_format(), buffer, size) }
}

/// # Safety
/// `format` must be null or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn omp_display_affinity(format: *const c_char) {
    // SAFETY: forwarded to the caller.
    affinity::display(unsafe { c_str(format) });
}

/// # Safety
/// `buffer` must be null or writable for `size` bytes; `format` null or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn omp_capture_affinity(
    buffer: *mut c_char,
    size: usize,
    format: *const c_char,
) -> usize {
    // SAFETY: forwarded to the caller.
    let text = affinity::capture(unsafe { c_str(format) });
    // SAFETY: forwarded to the caller.
    unsafe { copy_out(&text, buffer, size) }
}
