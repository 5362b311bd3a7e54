//! error.c and scope.c: `GOMP_error`, `GOMP_warning`, `GOMP_scope_start`
//! (GOMP_5.1).

use std::ffi::{c_char, CStr};

/// The text of an `error` directive's message: `msglen` bytes, or a
/// NUL-terminated string when `msglen` is `(size_t)-1`.
///
/// # Safety
/// `msg` must be null or valid for the length described.
unsafe fn text(msg: *const c_char, msglen: usize) -> String {
    if msg.is_null() {
        return String::new();
    }
    if msglen == usize::MAX {
        // SAFETY: per the contract, NUL-terminated.
        return unsafe { CStr::from_ptr(msg) }
            .to_string_lossy()
            .into_owned();
    }
    // SAFETY: per the contract, `msglen` bytes.
    let bytes = unsafe { std::slice::from_raw_parts(msg.cast::<u8>(), msglen) };
    String::from_utf8_lossy(bytes).into_owned()
}

/// `#pragma omp error severity(fatal)` at run time: report and exit.
///
/// # Safety
/// See [`text`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_error(msg: *const c_char, msglen: usize) -> ! {
    // SAFETY: forwarded to the caller.
    let t = unsafe { text(msg, msglen) };
    if t.is_empty() {
        rt::sys::write_stderr_line("pomp: fatal error: error directive encountered");
    } else {
        rt::sys::write_stderr_line(&format!(
            "pomp: fatal error: error directive encountered: {t}"
        ));
    }
    std::process::exit(1)
}

/// `#pragma omp error severity(warning)` at run time: report and go on.
///
/// # Safety
/// See [`text`].
#[no_mangle]
pub unsafe extern "C" fn GOMP_warning(msg: *const c_char, msglen: usize) {
    // SAFETY: forwarded to the caller.
    let t = unsafe { text(msg, msglen) };
    if t.is_empty() {
        rt::sys::write_stderr_line("pomp: error directive encountered");
    } else {
        rt::sys::write_stderr_line(&format!("pomp: error directive encountered: {t}"));
    }
}

/// `#pragma omp scope`: a construct with no work to share; with
/// `reduction(task, ...)` clauses it is a work-sharing construct whose
/// descriptor is registered like a loop's.
///
/// # Safety
/// `reductions` must be null or GCC's task-reduction descriptor.
#[no_mangle]
pub unsafe extern "C" fn GOMP_scope_start(reductions: *mut usize) {
    if reductions.is_null() {
        return;
    }
    let req = rt::loops::LoopStart {
        bounds: rt::loops::Bounds {
            start: 0,
            end: 0,
            incr: 1,
            kind: rt::loops::Counter::Long,
        },
        sched: rt::loops::Sched::Static,
        chunk: 0,
        ordered: false,
        doacross: None,
        mem: None,
        reductions: Some(reductions),
    };
    rt::loops::start(&req, None);
}
