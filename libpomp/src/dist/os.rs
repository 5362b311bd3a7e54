//! The process-level pieces of distributed mode: reading the executable's
//! layout (its writable data, its function starts, whether it was linked
//! with `-z now`), the main thread's stack, threads whose stacks live in the
//! DSM window, alternate signal stacks, and parking a thread for good.
//! Everything here is unsafe by nature (ELF in memory, raw pthreads); the
//! policy is in `mod.rs`.

use std::ffi::c_void;
use std::sync::atomic::{AtomicU32, Ordering};

/// What the runtime needs to know about the executable.
#[derive(Debug, Default, Clone)]
pub struct Exe {
    /// The lowest and highest address of its loaded segments.
    pub lo: usize,
    pub hi: usize,
    /// Page-aligned writable ranges past RELRO: `.data` and `.bss`.
    pub data: Vec<(usize, usize)>,
    /// Start addresses of its functions (from `.symtab`), sorted.
    pub funcs: Vec<usize>,
    /// Linked with immediate binding (`-z now`).
    pub bind_now: bool,
    /// Writable data that shares a page with RELRO (not page-aligned).
    pub data_unaligned: bool,
}

struct Collect {
    exe: Exe,
    page: usize,
    seen: bool,
}

unsafe extern "C" fn phdr_cb(
    info: *mut libc::dl_phdr_info,
    _size: usize,
    data: *mut c_void,
) -> i32 {
    // SAFETY: `data` is the `Collect` that `exe_layout` passed, used by this
    // callback only; `info` is valid for the callback's duration.
    let (c, info) = unsafe { (&mut *data.cast::<Collect>(), &*info) };
    if c.seen {
        return 1;
    }
    c.seen = true; // the first object is the executable
    let bias = info.dlpi_addr as usize;
    // SAFETY: the loader gives `dlpi_phnum` program headers at `dlpi_phdr`.
    let phdrs = unsafe { std::slice::from_raw_parts(info.dlpi_phdr, info.dlpi_phnum as usize) };
    let mut relro_end = 0usize;
    let mut lo = usize::MAX;
    let mut hi = 0usize;
    for ph in phdrs {
        let start = bias + ph.p_vaddr as usize;
        let end = start + ph.p_memsz as usize;
        match ph.p_type {
            libc::PT_GNU_RELRO => relro_end = relro_end.max(end),
            libc::PT_LOAD => {
                lo = lo.min(start);
                hi = hi.max(end);
            }
            libc::PT_DYNAMIC => {
                // Elf64_Dyn: { d_tag: i64, d_un: u64 }.
                let mut d = start as *const [u64; 2];
                // SAFETY: the dynamic section of a loaded object is an array
                // terminated by DT_NULL (tag 0).
                unsafe {
                    while (*d)[0] != 0 {
                        let tag = (*d)[0];
                        let val = (*d)[1];
                        if tag == 24 /* DT_BIND_NOW */
                            || (tag == 30 /* DT_FLAGS */ && val & 8 != 0)
                            || (tag == 0x6fff_fffb /* DT_FLAGS_1 */ && val & 1 != 0)
                        {
                            c.exe.bind_now = true;
                        }
                        d = d.add(1);
                    }
                }
            }
            _ => {}
        }
    }
    for ph in phdrs {
        if ph.p_type == libc::PT_LOAD && ph.p_flags & libc::PF_W != 0 {
            let start = bias + ph.p_vaddr as usize;
            let end = start + ph.p_memsz as usize;
            let from = start.max(relro_end);
            if from >= end {
                continue;
            }
            if !from.is_multiple_of(c.page) {
                c.exe.data_unaligned = true;
            }
            let a = from.next_multiple_of(c.page);
            let b = end.next_multiple_of(c.page);
            if a < b {
                c.exe.data.push((a, b));
            }
        }
    }
    c.exe.lo = lo;
    c.exe.hi = hi;
    1
}

/// The calling thread's block of the executable's thread-local storage
/// (its `PT_TLS` segment): (address, bytes); None without one.
pub fn exe_tls() -> Option<(usize, usize)> {
    extern "C" fn cb(info: *mut libc::dl_phdr_info, _size: usize, out: *mut c_void) -> i32 {
        // SAFETY: the loader passes a valid record; `out` is the Option
        // below. The executable is the first object reported.
        unsafe {
            let info = &*info;
            let out = &mut *out.cast::<Option<(usize, usize)>>();
            let phdrs = std::slice::from_raw_parts(info.dlpi_phdr, info.dlpi_phnum as usize);
            if let Some(ph) = phdrs.iter().find(|p| p.p_type == libc::PT_TLS) {
                if !info.dlpi_tls_data.is_null() && ph.p_memsz > 0 {
                    *out = Some((info.dlpi_tls_data as usize, ph.p_memsz as usize));
                }
            }
        }
        1 // the executable only
    }
    let mut out: Option<(usize, usize)> = None;
    // SAFETY: the callback only reads loader data and writes `out`.
    unsafe { libc::dl_iterate_phdr(Some(cb), (&mut out as *mut Option<(usize, usize)>).cast()) };
    out
}

/// Copies node 0's snapshot of its main thread's executable TLS block into
/// this node's main thread's block, which is at the same address (same
/// program, same layout) and unused (that thread is parked for good).
/// `false` if the block here is not the same.
pub fn put_main_tls(main: Option<(usize, usize)>, addr: usize, bytes: &[u8]) -> bool {
    match main {
        Some((a, len)) if a == addr && len == bytes.len() => {
            // SAFETY: the parked main thread's TLS block of `len` bytes,
            // mapped for the life of the process; nothing else uses it.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), a as *mut u8, len) };
            true
        }
        _ => false,
    }
}

/// The bytes of the calling thread's executable TLS block.
pub fn read_tls(block: (usize, usize)) -> Vec<u8> {
    // SAFETY: `block` is the calling thread's own TLS block (`exe_tls`),
    // alive while it runs.
    unsafe { std::slice::from_raw_parts(block.0 as *const u8, block.1) }.to_vec()
}

/// The executable's layout, from the loader's program headers and its file's
/// symbol table. `Err` if the symbol table cannot be read.
pub fn exe_layout(page: usize) -> Result<Exe, String> {
    let mut c = Collect {
        exe: Exe::default(),
        page,
        seen: false,
    };
    // SAFETY: the callback only reads loader data and writes `c`.
    unsafe { libc::dl_iterate_phdr(Some(phdr_cb), (&mut c as *mut Collect).cast()) };
    let mut exe = c.exe;
    let file =
        std::fs::read("/proc/self/exe").map_err(|e| format!("cannot read the program: {e}"))?;
    // The load bias: the lowest PT_LOAD's address minus its p_vaddr.
    let (funcs, min_vaddr) = elf_funcs(&file)?;
    let bias = exe.lo.wrapping_sub(min_vaddr);
    exe.funcs = funcs.into_iter().map(|f| f.wrapping_add(bias)).collect();
    exe.funcs.sort_unstable();
    exe.funcs.dedup();
    Ok(exe)
}

fn rd<const N: usize>(b: &[u8], off: usize) -> Option<[u8; N]> {
    b.get(off..off + N)?.try_into().ok()
}
fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    rd::<2>(b, off).map(u16::from_le_bytes)
}
fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    rd::<4>(b, off).map(u32::from_le_bytes)
}
fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    rd::<8>(b, off).map(u64::from_le_bytes)
}

/// The `STT_FUNC` symbols of an ELF64 little-endian file's `.symtab`, and
/// its lowest `PT_LOAD` virtual address (page-aligned down).
pub fn elf_funcs(b: &[u8]) -> Result<(Vec<usize>, usize), String> {
    let bad = || "the program is not a readable 64-bit little-endian ELF file".to_string();
    if b.get(..4) != Some(b"\x7fELF") || b.get(4) != Some(&2) || b.get(5) != Some(&1) {
        return Err(bad());
    }
    let phoff = u64_at(b, 32).ok_or_else(bad)? as usize;
    let shoff = u64_at(b, 40).ok_or_else(bad)? as usize;
    let phentsize = u16_at(b, 54).ok_or_else(bad)? as usize;
    let phnum = u16_at(b, 56).ok_or_else(bad)? as usize;
    let shentsize = u16_at(b, 58).ok_or_else(bad)? as usize;
    let shnum = u16_at(b, 60).ok_or_else(bad)? as usize;
    let mut min_vaddr = usize::MAX;
    for i in 0..phnum {
        let p = phoff + i * phentsize;
        if u32_at(b, p).ok_or_else(bad)? == 1 {
            let va = u64_at(b, p + 16).ok_or_else(bad)? as usize;
            min_vaddr = min_vaddr.min(va & !0xfff);
        }
    }
    let mut out = Vec::new();
    let mut found = false;
    for i in 0..shnum {
        let s = shoff + i * shentsize;
        if u32_at(b, s + 4).ok_or_else(bad)? != 2 {
            continue; // not SHT_SYMTAB
        }
        found = true;
        let off = u64_at(b, s + 24).ok_or_else(bad)? as usize;
        let size = u64_at(b, s + 32).ok_or_else(bad)? as usize;
        let ent = (u64_at(b, s + 56).ok_or_else(bad)? as usize).max(24);
        let mut e = off;
        while e + 24 <= off + size {
            let info = *b.get(e + 4).ok_or_else(bad)?;
            let shndx = u16_at(b, e + 6).ok_or_else(bad)?;
            let value = u64_at(b, e + 8).ok_or_else(bad)? as usize;
            if info & 0xf == 2 && shndx != 0 && value != 0 {
                out.push(value);
            }
            e += ent;
        }
    }
    if !found {
        return Err("the program has no symbol table (stripped?); pomp run needs it to check the functions it is sent".into());
    }
    Ok((
        out,
        if min_vaddr == usize::MAX {
            0
        } else {
            min_vaddr
        },
    ))
}

/// The main thread's stack mapping `[lo, hi)` from `/proc/self/maps`.
pub fn main_stack() -> Option<(usize, usize)> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    let line = maps.lines().find(|l| l.ends_with("[stack]"))?;
    let range = line.split_whitespace().next()?;
    let (a, b) = range.split_once('-')?;
    Some((
        usize::from_str_radix(a, 16).ok()?,
        usize::from_str_radix(b, 16).ok()?,
    ))
}

/// How much of the main thread's stack to share: its size limit, at least
/// 8 MiB and at most 64 MiB.
pub fn stack_span() -> usize {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut r) } == 0;
    let cur = if ok && r.rlim_cur != libc::RLIM_INFINITY {
        r.rlim_cur as usize
    } else {
        8 << 20
    };
    cur.clamp(8 << 20, 64 << 20)
}

static PARK_DONE: AtomicU32 = AtomicU32::new(0);

/// Waits until thread `tid` of this process is blocked in a `futex` system
/// call on `addr` (from /proc/self/task/TID/syscall; if that cannot be
/// read, a 20 ms grace instead).
fn wait_in_futex(tid: u32, addr: usize) {
    let path = format!("/proc/self/task/{tid}/syscall");
    let t0 = std::time::Instant::now();
    loop {
        match std::fs::read_to_string(&path) {
            Ok(s) => {
                let mut w = s.split_whitespace();
                let nr = w.next().and_then(|x| x.parse::<libc::c_long>().ok());
                let a0 = w
                    .next()
                    .and_then(|x| usize::from_str_radix(x.trim_start_matches("0x"), 16).ok());
                if nr == Some(libc::SYS_futex) && a0 == Some(addr) {
                    return;
                }
            }
            Err(_) if t0.elapsed() > std::time::Duration::from_millis(20) => return,
            Err(_) => {}
        }
        std::thread::sleep(std::time::Duration::from_micros(50));
    }
}

/// Runs `f` on a helper thread while the calling thread waits in the
/// kernel, touching nothing of its own stack: `f` may copy and remap the
/// caller's stack (the caller returns from the system call into the new
/// mapping, which holds the same bytes).
pub fn with_caller_parked(f: impl FnOnce() + Send + 'static) {
    PARK_DONE.store(0, Ordering::SeqCst);
    let caller = crate::sys::gettid();
    let h = std::thread::Builder::new()
        .name("pomp-remap".into())
        .spawn(move || {
            // Only once the caller sleeps in its futex wait: until then it
            // still writes its stack (the join handle, the call's return
            // address), and a write after the copy would be lost.
            wait_in_futex(caller, PARK_DONE.as_ptr() as usize);
            f();
            PARK_DONE.store(1, Ordering::SeqCst);
            // SAFETY: a futex wake on a static word.
            unsafe {
                libc::syscall(
                    libc::SYS_futex,
                    PARK_DONE.as_ptr(),
                    libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
                    i32::MAX,
                )
            };
        })
        .unwrap_or_else(|e| crate::fatal(&format!("cannot start a thread: {e}")));
    while PARK_DONE.load(Ordering::SeqCst) == 0 {
        // SAFETY: a futex wait on a static word; returns on wake, on a
        // value change or on a signal, and the loop re-checks.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                PARK_DONE.as_ptr(),
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                0u32,
                std::ptr::null::<libc::timespec>(),
            )
        };
    }
    let _ = h.join();
}

/// Blocks every signal on the calling thread and sleeps for good: a worker
/// node's main thread, whose stack range becomes the origin's. The process
/// ends by another thread calling `exit`.
pub fn park_forever() -> ! {
    // SAFETY: a full signal set, applied to this thread only.
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, std::ptr::null_mut());
    }
    static NEVER: AtomicU32 = AtomicU32::new(0);
    loop {
        // SAFETY: a futex wait on a static word nobody wakes.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                NEVER.as_ptr(),
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                0u32,
                std::ptr::null::<libc::timespec>(),
            )
        };
    }
}

/// Every node must see the program at the same addresses, so address
/// randomisation must be off. `pomp run` turns it off for local nodes; a
/// node started by ssh or srun turns it off here and runs the program
/// again from the start (same arguments, same environment), before
/// anything else happened in the process. Returns only with it off.
pub fn fixed_layout() -> Result<(), String> {
    const QUERY: libc::c_ulong = 0xffff_ffff;
    const AGAIN: &str = "POMP_DIST_REEXEC";
    // SAFETY: personality(0xffffffff) only reads the persona.
    let cur = unsafe { libc::personality(QUERY) };
    if cur < 0 {
        return Err("cannot read the process personality".into());
    }
    if cur & libc::ADDR_NO_RANDOMIZE != 0 {
        return Ok(());
    }
    if std::env::var_os(AGAIN).is_some() {
        return Err("address randomisation is still on after restarting without it".into());
    }
    let cmdline = std::fs::read("/proc/self/cmdline")
        .map_err(|e| format!("cannot read /proc/self/cmdline: {e}"))?;
    if cmdline.is_empty() {
        return Err("the program has no argv[0]".into());
    }
    let args: Vec<std::ffi::CString> = cmdline
        .strip_suffix(&[0])
        .unwrap_or(&cmdline)
        .split(|&b| b == 0)
        .filter_map(|a| std::ffi::CString::new(a).ok())
        .collect();
    if args.is_empty() {
        return Err("the program has no argv[0]".into());
    }
    let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    // SAFETY: the constructor runs before main and before any thread of
    // the runtime: nothing else reads the environment meanwhile. The
    // strings are NUL-terminated literals.
    unsafe {
        libc::setenv(c"POMP_DIST_REEXEC".as_ptr(), c"1".as_ptr(), 1);
        if libc::personality((cur as libc::c_ulong) | libc::ADDR_NO_RANDOMIZE as libc::c_ulong) < 0
        {
            return Err("cannot turn address randomisation off (personality)".into());
        }
        // SAFETY: argv is a null-terminated array of C strings that
        // outlive the call (execv returns only on failure).
        libc::execv(c"/proc/self/exe".as_ptr(), argv.as_ptr());
    }
    Err(format!(
        "cannot restart the program without address randomisation: {}",
        std::io::Error::last_os_error()
    ))
}

/// Removes the job's variables from the environment once read, so that
/// processes the program starts run on their own.
pub fn forget_job_env() {
    for v in [
        c"POMP_DIST",
        c"POMP_NODE_ID",
        c"POMP_NODES",
        c"POMP_JOB_SECRET",
        c"POMP_JOB_SECRET_FILE",
        c"POMP_THREADS_PER_NODE",
        c"POMP_DIST_REEXEC",
    ] {
        // SAFETY: a NUL-terminated name; the runtime's threads started so
        // far never read the environment.
        unsafe { libc::unsetenv(v.as_ptr()) };
    }
}

/// Gives the calling thread an alternate signal stack of its own (node-local
/// memory), so that a DSM fault on its own stack page can be handled.
pub fn ensure_altstack() {
    const SIZE: usize = 64 << 10;
    // SAFETY: querying the current alternate stack.
    let mut cur: libc::stack_t = unsafe { std::mem::zeroed() };
    // SAFETY: as above; `cur` is written by the kernel.
    unsafe { libc::sigaltstack(std::ptr::null(), &mut cur) };
    if cur.ss_flags & libc::SS_DISABLE == 0 && cur.ss_size >= SIZE {
        return;
    }
    // SAFETY: an anonymous private mapping; null on failure is checked.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            SIZE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return;
    }
    let st = libc::stack_t {
        ss_sp: p,
        ss_flags: 0,
        ss_size: SIZE,
    };
    // SAFETY: `st` describes the fresh mapping, never freed (the thread may
    // take a signal on it until it exits).
    unsafe { libc::sigaltstack(&st, std::ptr::null_mut()) };
}

type Boxed = Box<dyn FnOnce() + Send>;

struct OnStack {
    f: Boxed,
    top: *mut u8,
}

extern "C" fn thread_start(arg: *mut c_void) -> *mut c_void {
    // SAFETY: `arg` is the Box::into_raw of `spawn_on_stack`, taken once.
    let job = unsafe { Box::from_raw(arg.cast::<OnStack>()) };
    ensure_altstack();
    let top = job.top;
    let f = Box::into_raw(Box::new(job.f));
    // SAFETY: `top` is the 16-byte aligned end of a stack that this thread
    // alone uses (spawn_on_stack's contract); `run_boxed` takes `f` once.
    unsafe { call_on_stack(top, run_boxed, f.cast()) };
    std::ptr::null_mut()
}

extern "C" fn run_boxed(arg: *mut c_void) {
    // SAFETY: the Box::into_raw of `thread_start`, taken once.
    let f = unsafe { Box::from_raw(arg.cast::<Boxed>()) };
    f();
}

/// Calls `f(arg)` with the stack pointer at `top`, and returns on the
/// caller's stack.
///
/// # Safety
/// `top` is the 16-byte aligned end of writable memory, large enough for
/// `f`, that nothing else uses while `f` runs.
#[cfg(target_arch = "x86_64")]
unsafe fn call_on_stack(top: *mut u8, f: extern "C" fn(*mut c_void), arg: *mut c_void) {
    // SAFETY: r12 is callee-saved, so it still holds the old stack pointer
    // when `f` returns; the new stack is aligned for the call (contract).
    unsafe {
        std::arch::asm!(
            "mov r12, rsp",
            "mov rsp, {top}",
            "call {f}",
            "mov rsp, r12",
            top = in(reg) top,
            f = in(reg) f,
            in("rdi") arg,
            out("r12") _,
            clobber_abi("C"),
        );
    }
}

/// See the x86-64 version.
///
/// # Safety
/// As for the x86-64 version.
#[cfg(target_arch = "aarch64")]
unsafe fn call_on_stack(top: *mut u8, f: extern "C" fn(*mut c_void), arg: *mut c_void) {
    // SAFETY: x20 is callee-saved, so it still holds the old stack pointer
    // when `f` returns; the new stack is aligned for the call (contract).
    unsafe {
        std::arch::asm!(
            "mov x20, sp",
            "mov sp, {top}",
            "blr {f}",
            "mov sp, x20",
            top = in(reg) top,
            f = in(reg) f,
            in("x0") arg,
            out("x20") _,
            clobber_abi("C"),
        );
    }
}

/// Runs `f(arg)` on a fresh node-local stack, so that the caller's stack
/// (DSM memory) does not change meanwhile; returns false if no stack could
/// be mapped.
///
/// # Safety
/// `f` must be sound to call with `arg`.
pub unsafe fn on_local_stack(f: extern "C" fn(*mut c_void), arg: *mut c_void) -> bool {
    const SIZE: usize = 256 << 10;
    // SAFETY: an anonymous private mapping, checked; unmapped after use.
    unsafe {
        let p = libc::mmap(
            std::ptr::null_mut(),
            SIZE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        if p == libc::MAP_FAILED {
            return false;
        }
        // SAFETY: the end of the fresh mapping, 16-byte aligned, used by
        // nothing else; `f(arg)` is sound (contract).
        call_on_stack(p.cast::<u8>().add(SIZE), f, arg);
        libc::munmap(p, SIZE);
    }
    true
}

/// Starts a detached thread running `f` on the stack `[stack, stack + size)`
/// (memory from the DSM window). The thread itself, with its TLS and the
/// thread control block the kernel writes to (rseq, tid), stays in local
/// memory: a DSM page can be read-only or absent here when the kernel
/// writes, and a failed kernel write is a SIGSEGV that no handler sees.
///
/// # Safety
/// The stack must be writable memory that nothing else uses and that stays
/// mapped for the thread's life.
pub unsafe fn spawn_on_stack(stack: *mut u8, size: usize, f: Boxed) -> Result<(), String> {
    let top = ((stack as usize + size) & !15) as *mut u8;
    let arg = Box::into_raw(Box::new(OnStack { f, top }));
    // SAFETY: standard pthread attribute handling; the attribute is
    // destroyed before returning. The thread's own stack has the default
    // size: glibc puts the static TLS in it too, and only the pages
    // `thread_start` touches are ever used.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        libc::pthread_attr_init(&mut attr);
        libc::pthread_attr_setdetachstate(&mut attr, libc::PTHREAD_CREATE_DETACHED);
        let mut t: libc::pthread_t = 0;
        let rc = libc::pthread_create(&mut t, &attr, thread_start, arg.cast());
        libc::pthread_attr_destroy(&mut attr);
        if rc != 0 {
            drop(Box::from_raw(arg));
            return Err(format!("pthread_create: error {rc}"));
        }
    }
    Ok(())
}

/// Ends the process at once with `code`, without running exit handlers (the
/// job is being torn down after a failure; other threads may hold locks).
pub fn die(code: i32) -> ! {
    // SAFETY: _exit has no preconditions.
    unsafe { libc::_exit(code) }
}

/// Flushes stdio and ends the process without running exit handlers.
pub fn flush_and_exit(code: i32) -> ! {
    // SAFETY: fflush(NULL) flushes every stream; _exit has no preconditions.
    unsafe {
        libc::fflush(std::ptr::null_mut());
        libc::_exit(code)
    }
}

extern "C" {
    static mut environ: *mut *mut libc::c_char;
}

/// Replaces `environ` with a copy in node-local memory (a worker node's
/// stack range, where the kernel put the strings, is about to become node
/// 0's). Called before any other thread of the runtime reads the
/// environment concurrently.
pub fn localise_environ() {
    // SAFETY: `environ` is libc's NULL-terminated array of C strings; the
    // copies are leaked on purpose (they live as long as the process), and
    // no other thread changes the environment during start-up.
    unsafe {
        let mut n = 0;
        let old = environ;
        if old.is_null() {
            return;
        }
        while !(*old.add(n)).is_null() {
            n += 1;
        }
        let new =
            libc::calloc(n + 1, std::mem::size_of::<*mut libc::c_char>()) as *mut *mut libc::c_char;
        if new.is_null() {
            return;
        }
        for i in 0..n {
            *new.add(i) = libc::strdup(*old.add(i));
        }
        environ = new;
    }
}

/// Makes sure the pages of the calling thread's stack around its stack
/// pointer are writable here before it takes a lock the runtime's service
/// threads also take: if another node read them, the fault happens now,
/// with no lock held, rather than inside the critical section.
#[inline(never)]
pub fn probe_stack() {
    let mut probe = [0u8; 3 * 4096];
    // SAFETY: volatile writes to this function's own array, one per page.
    unsafe {
        let p = probe.as_mut_ptr();
        for k in (0..probe.len()).step_by(4096) {
            std::ptr::write_volatile(p.add(k), 1);
        }
    }
    std::hint::black_box(&probe);
}
