//! Linux: futexes, thread ids, CPU counts, stack sizes, time.

use std::sync::atomic::AtomicU32;
use std::time::Duration;

/// Sleeps while `*word == expected`, until woken by [`futex_wake`] or a
/// spurious wake-up. Returns immediately if the word already differs.
///
/// Callers always re-check their condition afterwards: this is a hint, not a
/// guarantee.
pub fn futex_wait(word: &AtomicU32, expected: u32) {
    futex_wait_timeout(word, expected, None);
}

/// [`futex_wait`] with an optional relative timeout.
pub fn futex_wait_timeout(word: &AtomicU32, expected: u32, timeout: Option<Duration>) {
    let ts = timeout.map(|d| libc::timespec {
        tv_sec: d.as_secs().min(i64::MAX as u64) as libc::time_t,
        tv_nsec: d.subsec_nanos() as libc::c_long,
    });
    let ts_ptr = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `word` is a valid, aligned 32-bit atomic that outlives the call;
    // FUTEX_WAIT_PRIVATE only reads it and compares it with `expected`. The
    // timeout pointer is null or points at a live timespec on this stack.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            ts_ptr,
        );
    }
}

/// Wakes up to `count` threads sleeping in [`futex_wait`] on `word`.
pub fn futex_wake(word: &AtomicU32, count: i32) {
    // SAFETY: `word` is a valid 32-bit atomic; FUTEX_WAKE_PRIVATE does not
    // access memory other than the futex hash bucket of that address.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            count,
        );
    }
}

/// Wakes every thread sleeping on `word`.
pub fn futex_wake_all(word: &AtomicU32) {
    futex_wake(word, i32::MAX);
}

/// The kernel's id of the calling thread.
pub fn gettid() -> u32 {
    // SAFETY: gettid has no arguments and cannot fail.
    unsafe { libc::syscall(libc::SYS_gettid) as u32 }
}

/// The number of CPUs this process may run on (its affinity mask), at least 1.
pub fn available_cpus() -> u32 {
    // SAFETY: cpu_set_t is plain data for which all-zeroes is a valid value;
    // sched_getaffinity writes at most size_of::<cpu_set_t>() bytes into it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0 {
            let n = libc::CPU_COUNT(&set);
            if n > 0 {
                return n as u32;
            }
        }
    }
    online_cpus()
}

/// The number of CPUs online in the machine, at least 1.
pub fn online_cpus() -> u32 {
    // SAFETY: sysconf only reads a system constant.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    if n > 0 {
        n as u32
    } else {
        1
    }
}

/// The stack size a new POSIX thread gets by default (from RLIMIT_STACK,
/// usually 8 MiB), which is what libgomp's worker threads get when
/// `OMP_STACKSIZE` is unset.
pub fn default_thread_stack_size() -> usize {
    const FALLBACK: usize = 8 << 20;
    // SAFETY: pthread_attr_t is initialised by pthread_attr_init before it is
    // read, and destroyed once; `size` is a valid out-pointer.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_attr_init(&mut attr) != 0 {
            return FALLBACK;
        }
        let mut size: libc::size_t = 0;
        let rc = libc::pthread_attr_getstacksize(&attr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        if rc == 0 && size >= libc::PTHREAD_STACK_MIN {
            size
        } else {
            FALLBACK
        }
    }
}

/// Seconds on a monotonic clock, as `omp_get_wtime` returns them.
pub fn wtime() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer; CLOCK_MONOTONIC always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// The resolution of [`wtime`] in seconds.
pub fn wtick() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer; CLOCK_MONOTONIC always exists.
    unsafe { libc::clock_getres(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Writes one line to standard error with a single `write` call, so that
/// lines from several threads never interleave. Used for warnings; errors
/// writing to stderr are ignored, as there is nowhere else to report them.
pub fn write_stderr_line(line: &str) {
    let mut buf = Vec::with_capacity(line.len() + 1);
    buf.extend_from_slice(line.as_bytes());
    if !line.ends_with('\n') {
        buf.push(b'\n');
    }
    // SAFETY: `buf` is a live buffer of `buf.len()` bytes; fd 2 may be closed,
    // in which case write fails harmlessly.
    unsafe { libc::write(2, buf.as_ptr().cast(), buf.len()) };
}

extern "C" {
    #[cfg(not(target_arch = "x86_64"))]
    fn pomp_tls_current() -> *const std::ffi::c_void;
    fn pomp_tls_set_current(p: *const std::ffi::c_void);
    /// `tls.c`'s initial-exec TLS variable; only its name is used (as the
    /// symbol of a TLS relocation), never this declaration's address.
    #[cfg(target_arch = "x86_64")]
    static pomp_current_thread: *const std::ffi::c_void;
}

/// The calling thread's runtime state pointer (null until set), kept in
/// initial-exec TLS by `tls.c`.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub fn tls_current() -> *const std::ffi::c_void {
    // SAFETY: reads the calling thread's own TLS slot; no arguments.
    unsafe { pomp_tls_current() }
}

/// The calling thread's runtime state pointer (null until set), kept in
/// initial-exec TLS by `tls.c`: read inline, as C code reads such a
/// variable (the slot's offset from the GOT, then one `%fs`-relative load),
/// not through a call. Every runtime entry point starts here.
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn tls_current() -> *const std::ffi::c_void {
    let p: *const std::ffi::c_void;
    // SAFETY: the same two instructions a C compiler emits for an
    // initial-exec TLS load: the GOT entry (R_X86_64_GOTTPOFF, filled by
    // the dynamic loader, or resolved by the static linker) holds the
    // variable's offset from the thread pointer, and `fs:[offset]` is the
    // calling thread's own slot, which exists from thread start. The asm
    // only reads memory; the slot changes only through
    // `pomp_tls_set_current`, an opaque call the compiler cannot move this
    // read across.
    unsafe {
        std::arch::asm!(
            "mov {p}, qword ptr [rip + {v}@GOTTPOFF]",
            "mov {p}, qword ptr fs:[{p}]",
            p = out(reg) p,
            v = sym pomp_current_thread,
            options(nostack, readonly, preserves_flags, pure),
        );
    }
    p
}

/// Sets the calling thread's runtime state pointer (stored, never
/// dereferenced here).
#[inline]
#[allow(clippy::not_unsafe_ptr_arg_deref)]
pub fn tls_set_current(p: *const std::ffi::c_void) {
    // SAFETY: writes the calling thread's own TLS slot.
    unsafe { pomp_tls_set_current(p) }
}
