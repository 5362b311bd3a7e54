//! allocator.c: the memory-management routines. OMP_5.0.1:
//! `omp_init_allocator`, `omp_destroy_allocator`,
//! `omp_set_default_allocator`, `omp_get_default_allocator`, `omp_alloc`,
//! `omp_free`. OMP_5.0.2: `omp_aligned_alloc`, `omp_calloc`,
//! `omp_aligned_calloc`, `omp_realloc`. GOMP_5.0.1: `GOMP_alloc`,
//! `GOMP_free` (GCC's `allocate` clause). The runtime side is pomp's
//! `alloc` module; the Fortran spellings are in fortran.rs.
//!
//! Allocator handles are `uintptr_t`-sized (`omp_allocator_handle_t` is an
//! enum with `__UINTPTR_MAX__` as a member), memory-space handles too.

use std::ffi::{c_int, c_void};

use rt::alloc::{self, Trait};

/// # Safety
/// `traits` must point at `ntraits` traits (or be anything when
/// `ntraits <= 0`).
#[no_mangle]
pub unsafe extern "C" fn omp_init_allocator(
    memspace: usize,
    ntraits: c_int,
    traits: *const Trait,
) -> usize {
    let traits = if ntraits <= 0 || traits.is_null() {
        &[][..]
    } else {
        // SAFETY: per the contract.
        unsafe { std::slice::from_raw_parts(traits, ntraits as usize) }
    };
    alloc::init_allocator(memspace, traits)
}

/// # Safety
/// `allocator` must be predefined or from `omp_init_allocator`, destroyed
/// once, with none of its memory used afterwards.
#[no_mangle]
pub unsafe extern "C" fn omp_destroy_allocator(allocator: usize) {
    // SAFETY: forwarded to the caller.
    unsafe { alloc::destroy_allocator(allocator) };
}

#[no_mangle]
pub extern "C" fn omp_set_default_allocator(allocator: usize) {
    alloc::set_default_allocator(allocator);
}

#[no_mangle]
pub extern "C" fn omp_get_default_allocator() -> usize {
    alloc::default_allocator()
}

/// # Safety
/// `allocator` must be null, predefined, or a live handle from
/// `omp_init_allocator` (as must the allocators its fallbacks name).
#[no_mangle]
pub unsafe extern "C" fn omp_aligned_alloc(
    alignment: usize,
    size: usize,
    allocator: usize,
) -> *mut c_void {
    // SAFETY: forwarded to the caller.
    unsafe { alloc::allocate(alignment, Some(size), allocator, false) }
}

/// # Safety
/// As for [`omp_aligned_alloc`].
#[no_mangle]
pub unsafe extern "C" fn omp_alloc(size: usize, allocator: usize) -> *mut c_void {
    // SAFETY: forwarded to the caller.
    unsafe { alloc::allocate(1, Some(size), allocator, false) }
}

/// # Safety
/// As for [`omp_aligned_alloc`].
#[no_mangle]
pub unsafe extern "C" fn omp_aligned_calloc(
    alignment: usize,
    nmemb: usize,
    size: usize,
    allocator: usize,
) -> *mut c_void {
    // SAFETY: forwarded to the caller.
    unsafe { alloc::allocate(alignment, nmemb.checked_mul(size), allocator, true) }
}

/// # Safety
/// As for [`omp_aligned_alloc`].
#[no_mangle]
pub unsafe extern "C" fn omp_calloc(nmemb: usize, size: usize, allocator: usize) -> *mut c_void {
    // SAFETY: forwarded to the caller.
    unsafe { alloc::allocate(1, nmemb.checked_mul(size), allocator, true) }
}

/// `free_allocator` is not needed: the block records its allocator.
///
/// # Safety
/// `ptr` must be null or a live block from these routines; `allocator` as
/// for [`omp_aligned_alloc`].
#[no_mangle]
pub unsafe extern "C" fn omp_realloc(
    ptr: *mut c_void,
    size: usize,
    allocator: usize,
    _free_allocator: usize,
) -> *mut c_void {
    // SAFETY: forwarded to the caller.
    unsafe { alloc::reallocate(ptr, size, allocator) }
}

/// The allocator passed is not needed: the block records its own.
///
/// # Safety
/// `ptr` must be null or a live block from these routines, freed once.
#[no_mangle]
pub unsafe extern "C" fn omp_free(ptr: *mut c_void, _allocator: usize) {
    // SAFETY: forwarded to the caller.
    unsafe { alloc::free(ptr) };
}

/// The `allocate` clause's allocation: as `omp_aligned_alloc`, but running
/// out of memory ends the program.
///
/// # Safety
/// As for [`omp_aligned_alloc`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_alloc(
    alignment: usize,
    size: usize,
    allocator: usize,
) -> *mut c_void {
    // SAFETY: forwarded to the caller.
    let p = unsafe { alloc::allocate(alignment, Some(size), allocator, false) };
    if p.is_null() && size != 0 {
        alloc::out_of_memory(Some(size));
    }
    p
}

/// # Safety
/// As for [`omp_free`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_free(ptr: *mut c_void, _allocator: usize) {
    // SAFETY: forwarded to the caller.
    unsafe { alloc::free(ptr) };
}
