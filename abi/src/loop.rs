//! loop.c: work-shared loops over `long`.
//!
//! Symbols: `GOMP_loop_{static,dynamic,guided,runtime}_{start,next}`,
//! `GOMP_loop_ordered_{static,dynamic,guided,runtime}_{start,next}`,
//! `GOMP_parallel_loop_{static,dynamic,guided,runtime}_start`,
//! `GOMP_loop_end`, `GOMP_loop_end_nowait` (GOMP_1.0);
//! `GOMP_parallel_loop_{static,dynamic,guided,runtime}`, `GOMP_loop_end_cancel`
//! (GOMP_4.0); `GOMP_loop_nonmonotonic_{dynamic,guided}_{start,next}`,
//! `GOMP_loop_doacross_{static,dynamic,guided,runtime}_start`,
//! `GOMP_parallel_loop_nonmonotonic_{dynamic,guided}` (GOMP_4.5);
//! `GOMP_loop_{nonmonotonic,maybe_nonmonotonic}_runtime_{start,next}`,
//! `GOMP_parallel_loop_{nonmonotonic,maybe_nonmonotonic}_runtime`,
//! `GOMP_loop_start`, `GOMP_loop_ordered_start`, `GOMP_loop_doacross_start`
//! (GOMP_5.0).
//!
//! Every `*_start` sets the loop up (the first thread) and returns the
//! caller's first chunk in `[*istart, *iend)`; every `*_next` the next one.
//! Nonmonotonic schedules are run as their monotonic counterparts, which
//! satisfies both.

use std::ffi::{c_long, c_uint, c_void};

use rt::loops::{self, Bounds, Counter, End, LoopStart, Sched};
use rt::parallel::{self, Preset};
use rt::team::Job;

use crate::parallel::{proc_bind, Body};

fn bounds(start: c_long, end: c_long, incr: c_long) -> Bounds {
    Bounds {
        start: start as u64,
        end: end as u64,
        incr: incr as u64,
        kind: Counter::Long,
    }
}

fn request(
    start: c_long,
    end: c_long,
    incr: c_long,
    sched: Sched,
    chunk: c_long,
    ordered: bool,
) -> LoopStart {
    LoopStart {
        bounds: bounds(start, end, incr),
        sched,
        chunk,
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
unsafe fn start(req: LoopStart, istart: *mut c_long, iend: *mut c_long) -> bool {
    let (mut s, mut e) = (0u64, 0u64);
    let r = loops::start(&req, Some((&mut s, &mut e)));
    if r {
        // SAFETY: per the contract.
        unsafe {
            *istart = s as c_long;
            *iend = e as c_long;
        }
    }
    r
}

/// Takes the next chunk.
///
/// # Safety
/// `istart` and `iend` must be valid for writes.
unsafe fn next(istart: *mut c_long, iend: *mut c_long) -> bool {
    // SAFETY: per the contract both are valid for writes, and a `long` has
    // the size and alignment of a `u64`; `loops::next` writes them only
    // when it returns true, as libgomp does.
    unsafe { loops::next(&mut *istart.cast::<u64>(), &mut *iend.cast::<u64>()) }
}

/// Reads a doacross loop's iteration counts.
///
/// # Safety
/// `counts` must hold `ncounts` values.
unsafe fn counts(ncounts: c_uint, counts: *const c_long) -> Vec<u64> {
    if counts.is_null() {
        return Vec::new();
    }
    // SAFETY: per the contract.
    unsafe { std::slice::from_raw_parts(counts, ncounts as usize) }
        .iter()
        .map(|&c| c.max(0) as u64)
        .collect()
}

/// Starts a combined `parallel for` whose loop is set up before the team
/// runs `func`.
fn parallel_loop(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    req: LoopStart,
    flags: c_uint,
) {
    parallel::run(
        Job { func, data },
        num_threads,
        proc_bind(flags),
        Preset::Loop(&req),
    );
}

/// The legacy `GOMP_parallel_loop_*_start`: the caller then runs the body and
/// calls `GOMP_parallel_end`.
fn parallel_loop_start(func: Body, data: *mut c_void, num_threads: c_uint, req: LoopStart) {
    parallel::legacy_start(Job { func, data }, num_threads, Preset::Loop(&req));
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_static_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Static, chunk_size, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_dynamic_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Dynamic, chunk_size, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_guided_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Guided, chunk_size, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_nonmonotonic_dynamic_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(
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
pub unsafe extern "C" fn GOMP_loop_nonmonotonic_guided_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Guided, chunk_size, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_runtime_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Runtime, 0, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_nonmonotonic_runtime_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Runtime, 0, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_maybe_nonmonotonic_runtime_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Runtime, 0, false),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_static_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Static, chunk_size, true),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_dynamic_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Dynamic, chunk_size, true),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_guided_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Guided, chunk_size, true),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_runtime_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe {
        self::start(
            request(start, end, incr, Sched::Runtime, 0, true),
            istart,
            iend,
        )
    }
}

/// # Safety
/// `counts` must hold `ncounts` values; `istart`, `iend` valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_doacross_static_start(
    ncounts: c_uint,
    counts: *const c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        0,
        c.first().copied().unwrap_or(0) as c_long,
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
pub unsafe extern "C" fn GOMP_loop_doacross_dynamic_start(
    ncounts: c_uint,
    counts: *const c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        0,
        c.first().copied().unwrap_or(0) as c_long,
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
pub unsafe extern "C" fn GOMP_loop_doacross_guided_start(
    ncounts: c_uint,
    counts: *const c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        0,
        c.first().copied().unwrap_or(0) as c_long,
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
pub unsafe extern "C" fn GOMP_loop_doacross_runtime_start(
    ncounts: c_uint,
    counts: *const c_long,
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        0,
        c.first().copied().unwrap_or(0) as c_long,
        1,
        Sched::Runtime,
        0,
        false,
    );
    req.doacross = Some(c);
    // SAFETY: forwarded to the caller.
    unsafe { self::start(req, istart, iend) }
}

/// `GOMP_loop_start`: `sched` is libgomp's schedule number with the
/// monotonic flag in bit 31; a null `istart` means the loop is static and
/// computed inline (only the work share, `reductions` and `mem` are wanted).
///
/// # Safety
/// `istart`/`iend` null or valid for writes; `reductions` null or GCC's
/// task-reduction descriptor; `mem` null or a valid `void **` holding the
/// size of the zeroed block wanted.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    sched: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    let mut req = request(
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
/// As for [`GOMP_loop_start`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    sched: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    let mut req = request(
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
/// `counts` must hold `ncounts` values; the rest as for [`GOMP_loop_start`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_doacross_start(
    ncounts: c_uint,
    counts: *const c_long,
    sched: c_long,
    chunk_size: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    // SAFETY: forwarded to the caller.
    let c = unsafe { self::counts(ncounts, counts) };
    let mut req = request(
        0,
        c.first().copied().unwrap_or(0) as c_long,
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
pub unsafe extern "C" fn GOMP_loop_static_next(istart: *mut c_long, iend: *mut c_long) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_dynamic_next(istart: *mut c_long, iend: *mut c_long) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_guided_next(istart: *mut c_long, iend: *mut c_long) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_runtime_next(istart: *mut c_long, iend: *mut c_long) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_nonmonotonic_dynamic_next(
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_nonmonotonic_guided_next(
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_nonmonotonic_runtime_next(
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_maybe_nonmonotonic_runtime_next(
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_static_next(
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_dynamic_next(
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_guided_next(
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `istart` and `iend` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_runtime_next(
    istart: *mut c_long,
    iend: *mut c_long,
) -> bool {
    // SAFETY: forwarded to the caller.
    unsafe { next(istart, iend) }
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_static(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    flags: c_uint,
) {
    parallel_loop(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Static, chunk_size, false),
        flags,
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_dynamic(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    flags: c_uint,
) {
    parallel_loop(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Dynamic, chunk_size, false),
        flags,
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_guided(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    flags: c_uint,
) {
    parallel_loop(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Guided, chunk_size, false),
        flags,
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_nonmonotonic_dynamic(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    flags: c_uint,
) {
    parallel_loop(
        func,
        data,
        num_threads,
        request(
            start,
            end,
            incr,
            Sched::NonmonotonicDynamic,
            chunk_size,
            false,
        ),
        flags,
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_nonmonotonic_guided(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
    flags: c_uint,
) {
    parallel_loop(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Guided, chunk_size, false),
        flags,
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_runtime(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    flags: c_uint,
) {
    parallel_loop(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Runtime, 0, false),
        flags,
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_nonmonotonic_runtime(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    flags: c_uint,
) {
    parallel_loop(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Runtime, 0, false),
        flags,
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_maybe_nonmonotonic_runtime(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    flags: c_uint,
) {
    parallel_loop(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Runtime, 0, false),
        flags,
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_static_start(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
) {
    parallel_loop_start(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Static, chunk_size, false),
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_dynamic_start(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
) {
    parallel_loop_start(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Dynamic, chunk_size, false),
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_guided_start(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
    chunk_size: c_long,
) {
    parallel_loop_start(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Guided, chunk_size, false),
    );
}

/// # Safety
/// `func` must be callable with `data` on any thread.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_runtime_start(
    func: Body,
    data: *mut c_void,
    num_threads: c_uint,
    start: c_long,
    end: c_long,
    incr: c_long,
) {
    parallel_loop_start(
        func,
        data,
        num_threads,
        request(start, end, incr, Sched::Runtime, 0, false),
    );
}

#[no_mangle]
pub extern "C" fn GOMP_loop_end() {
    loops::end(End::Barrier);
}

#[no_mangle]
pub extern "C" fn GOMP_loop_end_nowait() {
    loops::end(End::Nowait);
}

#[no_mangle]
pub extern "C" fn GOMP_loop_end_cancel() -> bool {
    loops::end(End::Cancel)
}
