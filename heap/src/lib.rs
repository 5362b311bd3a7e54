//! `libpomp_heap.so`: the program's allocator in distributed mode.
//!
//! `pomp run` preloads this library (and only `pomp run`: a program run
//! without it keeps glibc's allocator untouched). Until the runtime has
//! started the DSM it forwards every call to glibc (`__libc_malloc` and
//! friends, which glibc exports for exactly this purpose). Once the runtime
//! registers its [`HeapOps`], allocations *requested by the program itself*
//! (the caller's return address lies in the executable) come from the DSM
//! heap, so that every node sees them at the same address; allocations made
//! by libc, the runtime and other libraries stay node-local, as DESIGN.md
//! section 3 wants. `free`, `realloc` and `malloc_usable_size` go by the
//! pointer: DSM pointers to the DSM heap, others to glibc.
//!
//! The entry points are naked functions that pass their return address to
//! the Rust body as an extra argument: the only way to know the caller
//! without frame pointers.

use std::ffi::c_void;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// What the runtime registers (its layout is shared with
/// `libpomp/src/dist/heap.rs`; bump [`HEAP_OPS_VERSION`] on any change).
#[repr(C)]
pub struct HeapOps {
    pub version: u32,
    /// Whether an allocation asked for from `caller` goes to the DSM heap.
    pub wants: extern "C" fn(caller: usize) -> bool,
    /// Whether `p` belongs to the DSM heap.
    pub owns: extern "C" fn(p: usize) -> bool,
    pub malloc: extern "C" fn(size: usize) -> *mut c_void,
    pub memalign: extern "C" fn(align: usize, size: usize) -> *mut c_void,
    pub free: extern "C" fn(p: *mut c_void),
    pub usable_size: extern "C" fn(p: *const c_void) -> usize,
    /// Makes the DSM pages of `[p, p + len)` present on this node,
    /// writable if `write` (a no-op outside DSM memory): the kernel cannot
    /// take a DSM fault.
    pub prepare: extern "C" fn(p: *const c_void, len: usize, write: bool),
    /// `fork`, given glibc's: the runtime calls it on a stack that is not
    /// DSM memory (the child must not write into the parent's stack).
    pub fork: extern "C" fn(real: usize) -> i32,
}

/// The version of [`HeapOps`] this library understands.
pub const HEAP_OPS_VERSION: u32 = 3;

static OPS: AtomicPtr<HeapOps> = AtomicPtr::new(std::ptr::null_mut());

extern "C" {
    fn __libc_malloc(size: usize) -> *mut c_void;
    fn __libc_calloc(n: usize, size: usize) -> *mut c_void;
    fn __libc_realloc(p: *mut c_void, size: usize) -> *mut c_void;
    fn __libc_free(p: *mut c_void);
    fn __libc_memalign(align: usize, size: usize) -> *mut c_void;
}

/// Called once by the runtime when the DSM heap is ready. Returns the
/// version of [`HeapOps`] this library speaks; the runtime refuses to run
/// on a mismatch.
///
/// # Safety
/// `ops` must stay valid for the rest of the process.
#[no_mangle]
pub unsafe extern "C" fn pomp_heap_register(ops: *const HeapOps) -> u32 {
    // SAFETY: the caller passes a valid table (contract above).
    if !ops.is_null() && unsafe { (*ops).version } == HEAP_OPS_VERSION {
        OPS.store(ops as *mut HeapOps, Ordering::Release);
    }
    HEAP_OPS_VERSION
}

#[inline]
fn ops() -> Option<&'static HeapOps> {
    let p = OPS.load(Ordering::Acquire);
    // SAFETY: registered tables live for the rest of the process.
    unsafe { p.as_ref() }
}

/// The table for an allocation asked for from `caller`, if it goes to DSM.
#[inline]
fn dsm_for(caller: usize) -> Option<&'static HeapOps> {
    ops().filter(|o| (o.wants)(caller))
}

/// The table if `p` is a DSM block.
#[inline]
fn dsm_owner(p: *const c_void) -> Option<&'static HeapOps> {
    if p.is_null() {
        return None;
    }
    ops().filter(|o| (o.owns)(p as usize))
}

macro_rules! with_caller {
    ($(#[$m:meta])* $name:ident ( $($arg:ident : $t:ty),* ) -> $r:ty => $body:ident, $reg:literal, $areg:literal) => {
        $(#[$m])*
        ///
        /// # Safety
        /// As the C library function of this name (valid pointers in, the
        /// result freed with `free`).
        #[no_mangle]
        #[unsafe(naked)]
        pub unsafe extern "C" fn $name($($arg: $t),*) -> $r {
            #[cfg(target_arch = "x86_64")]
            core::arch::naked_asm!(concat!("mov ", $reg, ", [rsp]"), "jmp {0}", sym $body);
            #[cfg(target_arch = "aarch64")]
            core::arch::naked_asm!(concat!("mov ", $areg, ", x30"), "b {0}", sym $body);
        }
    };
}

with_caller!(
    /// `malloc(3)`.
    malloc(size: usize) -> *mut c_void => malloc_from, "rsi", "x1"
);
with_caller!(
    /// `calloc(3)`.
    calloc(n: usize, size: usize) -> *mut c_void => calloc_from, "rdx", "x2"
);
with_caller!(
    /// `realloc(3)`.
    realloc(p: *mut c_void, size: usize) -> *mut c_void => realloc_from, "rdx", "x2"
);
with_caller!(
    /// `memalign(3)`.
    memalign(align: usize, size: usize) -> *mut c_void => memalign_from, "rdx", "x2"
);
with_caller!(
    /// `aligned_alloc(3)`.
    aligned_alloc(align: usize, size: usize) -> *mut c_void => aligned_alloc_from, "rdx", "x2"
);
with_caller!(
    /// `posix_memalign(3)`.
    posix_memalign(out: *mut *mut c_void, align: usize, size: usize) -> i32 => posix_memalign_from, "rcx", "x3"
);
with_caller!(
    /// `valloc(3)`.
    valloc(size: usize) -> *mut c_void => valloc_from, "rsi", "x1"
);
with_caller!(
    /// `pvalloc(3)`.
    pvalloc(size: usize) -> *mut c_void => pvalloc_from, "rsi", "x1"
);

fn set_errno(e: i32) {
    // SAFETY: errno is this thread's.
    unsafe { *libc::__errno_location() = e };
}

extern "C" fn malloc_from(size: usize, caller: usize) -> *mut c_void {
    match dsm_for(caller) {
        Some(o) => oom((o.malloc)(size.max(1))),
        // SAFETY: glibc's allocator, with the caller's arguments.
        None => unsafe { __libc_malloc(size) },
    }
}

extern "C" fn calloc_from(n: usize, size: usize, caller: usize) -> *mut c_void {
    match dsm_for(caller) {
        Some(o) => {
            let Some(bytes) = n.checked_mul(size) else {
                set_errno(libc::ENOMEM);
                return std::ptr::null_mut();
            };
            // The DSM heap hands out zeroed memory for fresh blocks but
            // recycles freed ones, so clear it here.
            let p = oom((o.malloc)(bytes.max(1)));
            if !p.is_null() {
                // SAFETY: a fresh block of at least `bytes` bytes.
                unsafe { std::ptr::write_bytes(p.cast::<u8>(), 0, bytes) };
            }
            p
        }
        // SAFETY: glibc's allocator, with the caller's arguments.
        None => unsafe { __libc_calloc(n, size) },
    }
}

extern "C" fn realloc_from(p: *mut c_void, size: usize, caller: usize) -> *mut c_void {
    if p.is_null() {
        return malloc_from(size, caller);
    }
    let Some(o) = dsm_owner(p) else {
        // SAFETY: `p` is glibc's (not a DSM block), as is the result.
        return unsafe { __libc_realloc(p, size) };
    };
    if size == 0 {
        (o.free)(p);
        return std::ptr::null_mut();
    }
    let have = (o.usable_size)(p);
    if size <= have {
        return p;
    }
    let q = oom((o.malloc)(size));
    if !q.is_null() {
        // SAFETY: `p` holds `have` bytes, `q` at least `size` > `have`.
        unsafe { std::ptr::copy_nonoverlapping(p.cast::<u8>(), q.cast::<u8>(), have) };
        (o.free)(p);
    }
    q
}

extern "C" fn memalign_from(align: usize, size: usize, caller: usize) -> *mut c_void {
    match dsm_for(caller) {
        Some(o) => {
            if !align.is_power_of_two() {
                set_errno(libc::EINVAL);
                return std::ptr::null_mut();
            }
            oom((o.memalign)(align, size.max(1)))
        }
        // SAFETY: glibc's allocator, with the caller's arguments.
        None => unsafe { __libc_memalign(align, size) },
    }
}

extern "C" fn aligned_alloc_from(align: usize, size: usize, caller: usize) -> *mut c_void {
    memalign_from(align, size, caller)
}

extern "C" fn posix_memalign_from(
    out: *mut *mut c_void,
    align: usize,
    size: usize,
    caller: usize,
) -> i32 {
    if !align.is_power_of_two() || !align.is_multiple_of(std::mem::size_of::<usize>()) {
        return libc::EINVAL;
    }
    let p = memalign_from(align, size, caller);
    if p.is_null() {
        return libc::ENOMEM;
    }
    // SAFETY: the caller passes a valid `void **`.
    unsafe { *out = p };
    0
}

fn page() -> usize {
    static PAGE: AtomicUsize = AtomicUsize::new(0);
    let p = PAGE.load(Ordering::Relaxed);
    if p != 0 {
        return p;
    }
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as usize;
    PAGE.store(p, Ordering::Relaxed);
    p
}

extern "C" fn valloc_from(size: usize, caller: usize) -> *mut c_void {
    memalign_from(page(), size, caller)
}

extern "C" fn pvalloc_from(size: usize, caller: usize) -> *mut c_void {
    let p = page();
    memalign_from(p, size.div_ceil(p).max(1) * p, caller)
}

fn oom(p: *mut c_void) -> *mut c_void {
    if p.is_null() {
        set_errno(libc::ENOMEM);
    }
    p
}

/// `free(3)`.
///
/// # Safety
/// As `free(3)`: `p` is null or a live block of this allocator.
#[no_mangle]
pub unsafe extern "C" fn free(p: *mut c_void) {
    match dsm_owner(p) {
        Some(o) => (o.free)(p),
        // SAFETY: not a DSM block, so glibc's (or null).
        None => unsafe { __libc_free(p) },
    }
}

/// `cfree`: an old alias of `free`.
///
/// # Safety
/// As [`free`].
#[no_mangle]
pub unsafe extern "C" fn cfree(p: *mut c_void) {
    // SAFETY: forwarded.
    unsafe { free(p) }
}

/// `malloc_usable_size(3)`.
///
/// # Safety
/// As `malloc_usable_size(3)`: `p` is null or a live block.
#[no_mangle]
pub unsafe extern "C" fn malloc_usable_size(p: *mut c_void) -> usize {
    if p.is_null() {
        return 0;
    }
    if let Some(o) = dsm_owner(p) {
        return (o.usable_size)(p);
    }
    type F = unsafe extern "C" fn(*mut c_void) -> usize;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let mut f = NEXT.load(Ordering::Relaxed);
    if f == 0 {
        // SAFETY: a NUL-terminated name; RTLD_NEXT finds glibc's.
        f = unsafe { libc::dlsym(libc::RTLD_NEXT, c"malloc_usable_size".as_ptr()) } as usize;
        NEXT.store(f, Ordering::Relaxed);
    }
    if f == 0 {
        return 0;
    }
    // SAFETY: glibc's malloc_usable_size, found by dlsym, with its signature.
    unsafe { std::mem::transmute::<usize, F>(f)(p) }
}

// ------------------------------------------------------------------------
// Calls in which the kernel reads or writes the program's memory.
//
// A DSM page this node holds read-only (or not at all) is protected: the
// program's own access faults and the DSM fetches the page, but the
// kernel's copy fails instead (a short read or write, or EFAULT), which
// would lose data. The program's reads into memory and writes from it
// (glibc's exported entry points, `fread`/`fwrite` included, whose large
// transfers go straight to the caller's buffer) first bring the buffer's
// pages here.

/// glibc's `name`, found once with `RTLD_NEXT` (0 if missing).
fn next_fn(slot: &AtomicUsize, name: &std::ffi::CStr) -> usize {
    let mut f = slot.load(Ordering::Relaxed);
    if f == 0 {
        // SAFETY: a NUL-terminated name; RTLD_NEXT finds the next object's.
        f = unsafe { libc::dlsym(libc::RTLD_NEXT, name.as_ptr()) } as usize;
        slot.store(f, Ordering::Relaxed);
    }
    f
}

/// Brings `[p, p + len)` to this node (writable if `write`) when it is DSM
/// memory.
#[inline]
fn prepare(p: *const c_void, len: usize, write: bool) {
    if let Some(o) = ops() {
        if len > 0 && !p.is_null() {
            (o.prepare)(p, len, write);
        }
    }
}

macro_rules! transfers {
    ($(#[$m:meta])* $name:ident ( $($arg:ident : $t:ty),* ) -> $r:ty, prepare($buf:expr, $len:expr, $w:expr)) => {
        $(#[$m])*
        ///
        /// # Safety
        /// As the C library function of this name.
        #[no_mangle]
        pub unsafe extern "C" fn $name($($arg: $t),*) -> $r {
            type F = unsafe extern "C" fn($($t),*) -> $r;
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            // No allocation here: the name is a literal.
            let name = concat!(stringify!($name), "\0").as_bytes();
            let f = match std::ffi::CStr::from_bytes_with_nul(name) {
                Ok(n) => next_fn(&NEXT, n),
                Err(_) => 0,
            };
            if f == 0 {
                set_errno(libc::ENOSYS);
                return (-1i32) as $r;
            }
            prepare($buf, $len, $w);
            // SAFETY: the next definition of this very function, found by
            // dlsym, with its signature; the arguments are the caller's.
            unsafe { std::mem::transmute::<usize, F>(f)($($arg),*) }
        }
    };
}

transfers!(
    /// `read(2)`.
    read(fd: i32, buf: *mut c_void, n: usize) -> isize, prepare(buf, n, true)
);
transfers!(
    /// `pread(2)`.
    pread(fd: i32, buf: *mut c_void, n: usize, off: i64) -> isize, prepare(buf, n, true)
);
transfers!(
    /// `pread64(2)`.
    pread64(fd: i32, buf: *mut c_void, n: usize, off: i64) -> isize, prepare(buf, n, true)
);
transfers!(
    /// `recv(2)`.
    recv(fd: i32, buf: *mut c_void, n: usize, flags: i32) -> isize, prepare(buf, n, true)
);
transfers!(
    /// `recvfrom(2)`.
    recvfrom(
        fd: i32,
        buf: *mut c_void,
        n: usize,
        flags: i32,
        addr: *mut c_void,
        alen: *mut u32
    ) -> isize,
    prepare(buf, n, true)
);
transfers!(
    /// `fread(3)`.
    fread(buf: *mut c_void, size: usize, n: usize, f: *mut c_void) -> usize,
    prepare(buf, size.saturating_mul(n), true)
);
transfers!(
    /// `fread_unlocked(3)`.
    fread_unlocked(buf: *mut c_void, size: usize, n: usize, f: *mut c_void) -> usize,
    prepare(buf, size.saturating_mul(n), true)
);

/// `readv`/`writev` through glibc's `name` (looked up in `slot`), the
/// buffers brought first (writable for `write`, i.e. a read into them).
///
/// # Safety
/// As `readv(2)`: `iov` points to `n` valid entries.
unsafe fn vectored(
    slot: &AtomicUsize,
    name: &std::ffi::CStr,
    fd: i32,
    iov: *const libc::iovec,
    n: i32,
    write: bool,
) -> isize {
    type F = unsafe extern "C" fn(i32, *const libc::iovec, i32) -> isize;
    let f = next_fn(slot, name);
    if f == 0 {
        set_errno(libc::ENOSYS);
        return -1;
    }
    if !iov.is_null() {
        for k in 0..n.max(0) as usize {
            // SAFETY: the caller's `n` entries (contract).
            let v = unsafe { &*iov.add(k) };
            prepare(v.iov_base, v.iov_len, write);
        }
    }
    // SAFETY: glibc's function, found by dlsym, with its signature.
    unsafe { std::mem::transmute::<usize, F>(f)(fd, iov, n) }
}

/// `readv(2)`.
///
/// # Safety
/// As `readv(2)`: `iov` points to `n` valid entries.
#[no_mangle]
pub unsafe extern "C" fn readv(fd: i32, iov: *const libc::iovec, n: i32) -> isize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    // SAFETY: forwarded (contract).
    unsafe { vectored(&NEXT, c"readv", fd, iov, n, true) }
}

transfers!(
    /// `write(2)`.
    write(fd: i32, buf: *const c_void, n: usize) -> isize, prepare(buf, n, false)
);
transfers!(
    /// `pwrite(2)`.
    pwrite(fd: i32, buf: *const c_void, n: usize, off: i64) -> isize, prepare(buf, n, false)
);
transfers!(
    /// `pwrite64(2)`.
    pwrite64(fd: i32, buf: *const c_void, n: usize, off: i64) -> isize, prepare(buf, n, false)
);
transfers!(
    /// `send(2)`.
    send(fd: i32, buf: *const c_void, n: usize, flags: i32) -> isize, prepare(buf, n, false)
);
transfers!(
    /// `sendto(2)`.
    sendto(
        fd: i32,
        buf: *const c_void,
        n: usize,
        flags: i32,
        addr: *const c_void,
        alen: u32
    ) -> isize,
    prepare(buf, n, false)
);
transfers!(
    /// `fwrite(3)`.
    fwrite(buf: *const c_void, size: usize, n: usize, f: *mut c_void) -> usize,
    prepare(buf, size.saturating_mul(n), false)
);
transfers!(
    /// `fwrite_unlocked(3)`.
    fwrite_unlocked(buf: *const c_void, size: usize, n: usize, f: *mut c_void) -> usize,
    prepare(buf, size.saturating_mul(n), false)
);

/// `writev(2)`.
///
/// # Safety
/// As `writev(2)`: `iov` points to `n` valid entries.
#[no_mangle]
pub unsafe extern "C" fn writev(fd: i32, iov: *const libc::iovec, n: i32) -> isize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    // SAFETY: forwarded (contract).
    unsafe { vectored(&NEXT, c"writev", fd, iov, n, false) }
}

/// `fork(2)`. In distributed mode the calling thread's stack is DSM memory,
/// a shared mapping the child would write into between the system call and
/// its fork handlers: the runtime makes the call from a stack of its own.
///
/// # Safety
/// As `fork(2)`.
#[no_mangle]
pub unsafe extern "C" fn fork() -> i32 {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let real = next_fn(&NEXT, c"fork");
    if real == 0 {
        set_errno(libc::ENOSYS);
        return -1;
    }
    match ops() {
        Some(o) => (o.fork)(real),
        // SAFETY: glibc's fork, found by dlsym, with its signature.
        None => unsafe { std::mem::transmute::<usize, unsafe extern "C" fn() -> i32>(real)() },
    }
}
