//! loop_ull.c: work-shared loops over `unsigned long long`.
//!
//! Symbols: `GOMP_loop_ull_{static,dynamic,guided,runtime}_{start,next}`,
//! `GOMP_loop_ull_ordered_{static,dynamic,guided,runtime}_{start,next}`
//! (GOMP_2.0); `GOMP_loop_ull_nonmonotonic_{dynamic,guided}_{start,next}`,
//! `GOMP_loop_ull_doacross_{static,dynamic,guided,runtime}_start` (GOMP_4.5);
//! `GOMP_loop_ull_{nonmonotonic,maybe_nonmonotonic}_runtime_{start,next}`,
//! `GOMP_loop_ull_start`, `GOMP_loop_ull_ordered_start`,
//! `GOMP_loop_ull_doacross_start` (GOMP_5.0).
//!
//! `up` gives the direction; a downward loop passes its step as the two's
//! complement of its magnitude. The loop ends (`GOMP_loop_end*`) are shared
//! with `long` loops.

use std::ffi::{c_long, c_uint, c_void};

use rt::loops::{self, Bounds, Counter, LoopStart, Sched};

type Ull = u64;

fn request(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    sched: Sched,
    chunk: Ull,
    ordered: bool,
) -> LoopStart {
    LoopStart {
        bounds: Bounds {
            start,
            end,
            incr,
            kind: Counter::Ull { up },
        },
        sched,
        chunk: chunk.min(i64::MAX as u64) as i64,
        ordered,
        doacross: None,
        mem: None,
        reductions: None,
    }
}

/// Starts a loop and takes the first chunk.
///
/// # Safety
/// `istart` and `iend` must be valid for writes.
unsafe fn start(req: LoopStart, istart: *mut Ull, iend: *mut Ull) -> bool {
    let (mut s, mut e) = (0u64, 0u64);
    let r = loops::start(&req, Some((&mut s, &mut e)));
    if r {
        // SAFETY: per the contract.
        unsafe {
            *istart = s;
            *iend = e;
        }
    }
    r
}

/// Takes the next chunk.
///
/// # Safety
/// `istart` and `iend` must be valid for writes.
unsafe fn next(istart: *mut Ull, iend: *mut Ull) -> bool {
    // SAFETY: per the contract both are valid for writes; `loops::next`
    // writes them only when it returns true, as libgomp does.
    unsafe { loops::next(&mut *istart, &mut *iend) }
}

/// Reads a doacross loop's iteration counts.
///
/// # Safety
/// `counts` must hold `ncounts` values.
unsafe fn counts(ncounts: c_uint, counts: *const Ull) -> Vec<u64> {
    if counts.is_null() {
        return Vec::new();
    }
    // SAFETY: per the contract.
    unsafe { std::slice::from_raw_parts(counts, ncounts as usize) }.to_vec()
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_static_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Static, chunk_size, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_dynamic_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Dynamic, chunk_size, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_guided_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Guided, chunk_size, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_nonmonotonic_dynamic_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(
                up,
                start,
                end,
                incr,
                Sched::NonmonotonicDynamic,
                chunk_size,
                false,
            ),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_nonmonotonic_guided_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Guided, chunk_size, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_runtime_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Runtime, 0, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_nonmonotonic_runtime_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Runtime, 0, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_maybe_nonmonotonic_runtime_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Runtime, 0, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_static_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Static, chunk_size, true),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_dynamic_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Dynamic, chunk_size, true),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_guided_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Guided, chunk_size, true),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_runtime_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(up, start, end, incr, Sched::Runtime, 0, true),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `counts` must hold `ncounts` values; `istart`, `iend` valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_doacross_static_start(
    ncounts: c_uint,
    counts: *const Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        true,
        0,
        c.first().copied().unwrap_or(0),
        1,
        Sched::Static,
        chunk_size,
        false,
    );
    req.doacross = Some(c);
    // SAFETY: forwarded to the caller.
    unsafe { self::start(req, istart, iend) }
}

/// # Safety
/// `counts` must hold `ncounts` values; `istart`, `iend` valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_doacross_dynamic_start(
    ncounts: c_uint,
    counts: *const Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        true,
        0,
        c.first().copied().unwrap_or(0),
        1,
        Sched::Dynamic,
        chunk_size,
        false,
    );
    req.doacross = Some(c);
    // SAFETY: forwarded to the caller.
    unsafe { self::start(req, istart, iend) }
}

/// # Safety
/// `counts` must hold `ncounts` values; `istart`, `iend` valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_doacross_guided_start(
    ncounts: c_uint,
    counts: *const Ull,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        true,
        0,
        c.first().copied().unwrap_or(0),
        1,
        Sched::Guided,
        chunk_size,
        false,
    );
    req.doacross = Some(c);
    // SAFETY: forwarded to the caller.
    unsafe { self::start(req, istart, iend) }
}

/// # Safety
/// `counts` must hold `ncounts` values; `istart`, `iend` valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_doacross_runtime_start(
    ncounts: c_uint,
    counts: *const Ull,
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        true,
        0,
        c.first().copied().unwrap_or(0),
        1,
        Sched::Runtime,
        0,
        false,
    );
    req.doacross = Some(c);
    // SAFETY: forwarded to the caller.
    unsafe { self::start(req, istart, iend) }
}

/// `GOMP_loop_ull_start`: as `GOMP_loop_start`, for `unsigned long long`.
///
/// # Safety
/// `istart`/`iend` null or valid for writes; `reductions` null or GCC's
/// task-reduction descriptor; `mem` null or a valid `void **`.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    sched: c_long,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    let mut req = request(
        up,
        start,
        end,
        incr,
        loops::decode_sched(sched),
        chunk_size,
        false,
    );
    req.mem = (!mem.is_null()).then_some(mem);
    req.reductions = (!reductions.is_null()).then_some(reductions);
    if istart.is_null() {
        return loops::start(&req, None);
    }
    // SAFETY: forwarded to the caller.
    unsafe { self::start(req, istart, iend) }
}

/// # Safety
/// As for [`GOMP_loop_ull_start`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    sched: c_long,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    let mut req = request(
        up,
        start,
        end,
        incr,
        loops::decode_sched(sched),
        chunk_size,
        true,
    );
    req.mem = (!mem.is_null()).then_some(mem);
    req.reductions = (!reductions.is_null()).then_some(reductions);
    if istart.is_null() {
        return loops::start(&req, None);
    }
    // SAFETY: forwarded to the caller.
    unsafe { self::start(req, istart, iend) }
}

/// # Safety
/// `counts` must hold `ncounts` values; the rest as for
/// [`GOMP_loop_ull_start`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_doacross_start(
    ncounts: c_uint,
    counts: *const Ull,
    sched: c_long,
    chunk_size: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        true,
        0,
        c.first().copied().unwrap_or(0),
        1,
        loops::decode_sched(sched),
        chunk_size,
        false,
    );
    req.doacross = Some(c);
    req.mem = (!mem.is_null()).then_some(mem);
    req.reductions = (!reductions.is_null()).then_some(reductions);
    if istart.is_null() {
        return loops::start(&req, None);
    }
    // SAFETY: forwarded to the caller.
    unsafe { self::start(req, istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_static_next(istart: *mut Ull, iend: *mut Ull) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_dynamic_next(istart: *mut Ull, iend: *mut Ull) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_guided_next(istart: *mut Ull, iend: *mut Ull) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_runtime_next(istart: *mut Ull, iend: *mut Ull) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_nonmonotonic_dynamic_next(
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_nonmonotonic_guided_next(
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_nonmonotonic_runtime_next(
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_maybe_nonmonotonic_runtime_next(
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_static_next(
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_dynamic_next(
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_guided_next(
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_runtime_next(
    istart: *mut Ull,
    iend: *mut Ull,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}
