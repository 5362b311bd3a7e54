//! ordered.c: `GOMP_ordered_start`, `GOMP_ordered_end` (GOMP_1.0),
//! `GOMP_doacross_post`, `GOMP_doacross_ull_post` (GOMP_4.5).
//!
//! `GOMP_doacross_wait` and `GOMP_doacross_ull_wait` are C variadic
//! functions, which stable Rust cannot define: `varargs.c` collects their
//! arguments into an array and calls [`pomp_doacross_wait_array`].

use std::ffi::c_uint;

#[no_mangle]
pub extern "C" fn GOMP_ordered_start() {
    rt::ordered::start();
}

#[no_mangle]
pub extern "C" fn GOMP_ordered_end() {
    rt::ordered::end();
}

/// The number of dimensions of the calling thread's doacross loop, for
/// `varargs.c` (0 outside one).
#[no_mangle]
pub extern "C" fn pomp_doacross_ndims() -> c_uint {
    rt::thread::current()
        .ws()
        .map_or(0, |ws| ws.doacross().ndims() as c_uint)
}

/// Reads the iteration vector of the calling thread's doacross loop.
///
/// # Safety
/// `v` must point at one value per dimension of that loop.
unsafe fn vector<'a>(v: *const u64) -> &'a [u64] {
    let n = pomp_doacross_ndims() as usize;
    if n == 0 || v.is_null() {
        return &[];
    }
    // SAFETY: per the contract, `v` holds `n` values.
    unsafe { std::slice::from_raw_parts(v, n) }
}

/// # Safety
/// `counts` must hold one logical iteration number per dimension of the
/// current doacross loop.
#[no_mangle]
pub unsafe extern "C" fn GOMP_doacross_post(counts: *const i64) {
    // SAFETY: forwarded; `long` and `u64` have the same layout.
    rt::ordered::doacross_post(unsafe { vector(counts.cast()) });
}

/// # Safety
/// As for [`GOMP_doacross_post`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_doacross_ull_post(counts: *const u64) {
    // SAFETY: forwarded to the caller.
    rt::ordered::doacross_post(unsafe { vector(counts) });
}

/// The body of both doacross waits, called by `varargs.c`.
///
/// # Safety
/// `v` must hold [`pomp_doacross_ndims`] values.
#[no_mangle]
pub unsafe extern "C" fn pomp_doacross_wait_array(v: *const u64) {
    // SAFETY: forwarded to the caller.
    rt::ordered::doacross_wait(unsafe { vector(v) });
}

extern "C" {
    fn GOMP_doacross_wait(first: std::ffi::c_long, ...);
    fn GOMP_doacross_ull_wait(first: u64, ...);
}

/// Keeps `varargs.c`'s object in the link: nothing in Rust calls the
/// variadic waits, and a linker drops archive members nobody references.
#[used]
static KEEP_VARARGS: [unsafe extern "C" fn(std::ffi::c_long, ...); 1] = [GOMP_doacross_wait];
#[used]
static KEEP_VARARGS_ULL: [unsafe extern "C" fn(u64, ...); 1] = [GOMP_doacross_ull_wait];
