//! Catching accesses: a `SIGSEGV` handler that hands faults inside a DSM
//! range to that DSM's service thread and waits, and passes every other
//! fault to the handler that was installed before (so a real crash still
//! crashes with the usual signal).
//!
//! The handler is async-signal-safe: it reads a fixed table of ranges,
//! claims a slot of a fixed array with a compare-and-swap, and sleeps on a
//! futex. It never allocates, locks, or touches the protected page.

use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicUsize, Ordering};
use std::sync::Once;

use crate::arch;
use crate::sys::{futex_wait, futex_wait_timeout, futex_wake};

/// Concurrent faults one node can have waiting (more spin until a slot frees).
pub const SLOTS: usize = 64;
/// DSM ranges registered at once (windows and shared ranges of all instances).
const RANGES: usize = 64;

const FREE: u32 = 0;
const FILLING: u32 = 1;
const POSTED: u32 = 2;
const TAKEN: u32 = 3;
const DONE: u32 = 4;
const FAILED: u32 = 5;

/// Access kinds a slot reports.
pub const READ: u32 = 0;
pub const WRITE: u32 = 1;
pub const UNKNOWN: u32 = 2;

struct Slot {
    state: AtomicU32,
    addr: AtomicUsize,
    access: AtomicU32,
    /// Faults that left the handler through this slot.
    resumes: AtomicU32,
}

/// One DSM instance's faults, posted by the handler, served by its thread.
pub struct FaultQueue {
    slots: [Slot; SLOTS],
    /// Bumped at every post; the service thread sleeps on it.
    bell: AtomicU32,
    /// Set while the service thread sleeps (or is about to) on `bell`: a
    /// ring only makes the wake-up call then. While the thread is awake
    /// (serving, or watching the bell) the bump alone is seen, and the
    /// faulting thread and the progress thread save a system call on the
    /// fault's path.
    sleeping: AtomicU32,
}

/// A fault taken off the queue by the service thread.
#[derive(Clone, Copy, Debug)]
pub struct Fault {
    pub slot: usize,
    pub addr: usize,
    /// [`READ`], [`WRITE`] or [`UNKNOWN`].
    pub access: u32,
    /// The slot's resume count when the fault was taken (see `resumed`).
    pub resumes: u32,
}

impl Default for FaultQueue {
    fn default() -> Self {
        FaultQueue {
            slots: std::array::from_fn(|_| Slot {
                state: AtomicU32::new(FREE),
                addr: AtomicUsize::new(0),
                access: AtomicU32::new(UNKNOWN),
                resumes: AtomicU32::new(0),
            }),
            bell: AtomicU32::new(0),
            sleeping: AtomicU32::new(0),
        }
    }
}

impl FaultQueue {
    /// The bell's value, to sleep on after a scan found nothing.
    pub fn bell(&self) -> u32 {
        self.bell.load(Ordering::Acquire)
    }

    /// Sleep until the bell moves from `seen` (or `d` passes). Only the
    /// service thread sleeps on the bell.
    pub fn wait(&self, seen: u32, d: std::time::Duration) {
        // Say so before the last look at the bell: a ring that bumps it
        // after that look (sequentially consistent on both sides) sees the
        // flag and makes the call; one before it is seen here, or by the
        // futex itself, which only sleeps while the bell still reads `seen`.
        self.sleeping.store(1, Ordering::SeqCst);
        if self.bell.load(Ordering::SeqCst) == seen {
            futex_wait_timeout(&self.bell, seen, d);
        }
        self.sleeping.store(0, Ordering::Relaxed);
    }

    /// Wake the service thread: a fault was posted, a grant wants its
    /// `Done`, or the DSM stops.
    pub fn ring(&self) {
        self.bell.fetch_add(1, Ordering::SeqCst);
        if self.sleeping.load(Ordering::SeqCst) != 0 {
            futex_wake(&self.bell, 1);
        }
    }

    /// Take every posted fault.
    pub fn take(&self, into: &mut Vec<Fault>) {
        for (i, s) in self.slots.iter().enumerate() {
            if s.state.load(Ordering::Acquire) == POSTED
                && s.state
                    .compare_exchange(POSTED, TAKEN, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
            {
                into.push(Fault {
                    slot: i,
                    addr: s.addr.load(Ordering::Relaxed),
                    access: s.access.load(Ordering::Relaxed),
                    resumes: s.resumes.load(Ordering::Relaxed),
                });
            }
        }
    }

    /// Let the faulting thread retry its access (`ok`), or give up on it.
    pub fn finish(&self, slot: usize, ok: bool) {
        let s = &self.slots[slot];
        s.state
            .store(if ok { DONE } else { FAILED }, Ordering::Release);
        futex_wake(&s.state, 1);
    }

    /// Has the faulting thread of fault `f` left the handler (even if a
    /// new fault has the slot already)? Used to keep a just-granted page
    /// until the thread had its chance to use it.
    pub fn resumed(&self, f: &Fault) -> bool {
        self.slots[f.slot].resumes.load(Ordering::Acquire) != f.resumes
    }

    /// Post a fault and wait for it to be served. Async-signal-safe.
    /// Returns false if the DSM gave up on it.
    fn post_and_wait(&self, addr: usize, access: u32) -> bool {
        let slot = loop {
            let free = self.slots.iter().find(|s| {
                s.state
                    .compare_exchange(FREE, FILLING, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
            });
            match free {
                Some(s) => break s,
                None => std::hint::spin_loop(),
            }
        };
        slot.addr.store(addr, Ordering::Relaxed);
        slot.access.store(access, Ordering::Relaxed);
        slot.state.store(POSTED, Ordering::Release);
        self.ring();
        // Sleep at once: a spinning faulter takes the core the progress
        // thread needs to read the reply (measured: 2.4x the round trip
        // against 1.6x; spinning up to 100 us made NPB CG and MG at two
        // nodes 1.6-1.8x slower).
        let ok = loop {
            let v = slot.state.load(Ordering::Acquire);
            match v {
                DONE => break true,
                FAILED => break false,
                _ => futex_wait(&slot.state, v),
            }
        };
        slot.resumes.fetch_add(1, Ordering::Release);
        slot.state.store(FREE, Ordering::Release);
        ok
    }
}

struct Range {
    start: AtomicUsize,
    end: AtomicUsize,
    queue: AtomicPtr<FaultQueue>,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Range = Range {
    start: AtomicUsize::new(0),
    end: AtomicUsize::new(0),
    queue: AtomicPtr::new(std::ptr::null_mut()),
};
static TABLE: [Range; RANGES] = [EMPTY; RANGES];
static INSTALL: Once = Once::new();
static PREVIOUS: AtomicPtr<libc::sigaction> = AtomicPtr::new(std::ptr::null_mut());

/// Route faults in `[start, end)` to `queue` (installing the handler the
/// first time). The queue must outlive the registration.
pub fn register(start: usize, end: usize, queue: &'static FaultQueue) -> Result<(), String> {
    install()?;
    for r in TABLE.iter() {
        if r.end
            .compare_exchange(0, usize::MAX, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            r.queue.store(
                queue as *const FaultQueue as *mut FaultQueue,
                Ordering::Release,
            );
            r.start.store(start, Ordering::Release);
            r.end.store(end, Ordering::Release);
            return Ok(());
        }
    }
    Err(format!("more than {RANGES} DSM ranges"))
}

/// Stop routing faults in ranges served by `queue`.
pub fn unregister(queue: &FaultQueue) {
    for r in TABLE.iter() {
        if std::ptr::eq(r.queue.load(Ordering::Acquire), queue) {
            r.start.store(0, Ordering::Release);
            r.queue.store(std::ptr::null_mut(), Ordering::Release);
            r.end.store(0, Ordering::Release);
        }
    }
}

fn lookup(addr: usize) -> Option<&'static FaultQueue> {
    for r in TABLE.iter() {
        let end = r.end.load(Ordering::Acquire);
        if end == 0 || end == usize::MAX {
            continue;
        }
        if addr >= r.start.load(Ordering::Acquire) && addr < end {
            let q = r.queue.load(Ordering::Acquire);
            // SAFETY: registered queues are 'static (leaked by the DSM
            // that registered them) and stay valid after unregistering.
            return unsafe { q.as_ref() };
        }
    }
    None
}

fn install() -> Result<(), String> {
    let mut err = None;
    INSTALL.call_once(|| {
        // SAFETY: sigaction with a zeroed struct, a valid handler and an
        // out-pointer to a leaked struct that the handler reads later.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_segv as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            let prev: &'static mut libc::sigaction = Box::leak(Box::new(std::mem::zeroed()));
            if libc::sigaction(libc::SIGSEGV, &sa, prev) != 0 {
                err = Some(format!(
                    "cannot install the SIGSEGV handler: {}",
                    std::io::Error::last_os_error()
                ));
                return;
            }
            PREVIOUS.store(prev, Ordering::Release);
        }
    });
    match err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

extern "C" fn on_segv(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: the kernel gives an SA_SIGINFO handler a valid siginfo_t.
    let addr = unsafe { (*info).si_addr() } as usize;
    // SAFETY: same.
    let from_kernel = unsafe { (*info).si_code } > 0;
    if from_kernel {
        if let Some(q) = lookup(addr) {
            // SAFETY: __errno_location is async-signal-safe and returns
            // this thread's errno; the futex calls below may change it.
            let errno = unsafe { *libc::__errno_location() };
            // SAFETY: `ctx` is this handler's ucontext_t.
            let access = match unsafe { arch::fault_is_write(ctx) } {
                Some(true) => WRITE,
                Some(false) => READ,
                None => UNKNOWN,
            };
            if !q.post_and_wait(addr, access) {
                // The DSM printed why (a node failed, it shut down): the
                // access can never complete.
                // SAFETY: _exit is async-signal-safe.
                unsafe { libc::_exit(1) };
            }
            // SAFETY: as above.
            unsafe { *libc::__errno_location() = errno };
            return;
        }
    }
    chain(sig, info, ctx);
}

/// Give a fault that is not ours to whoever had SIGSEGV before.
fn chain(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let prev = PREVIOUS.load(Ordering::Acquire);
    // SAFETY: PREVIOUS is set before our handler is reachable and never freed.
    let prev = unsafe { &*prev };
    let h = prev.sa_sigaction;
    if h == libc::SIG_DFL || h == libc::SIG_IGN {
        // Back to the default action; the faulting instruction runs again
        // and the kernel kills the process with SIGSEGV (a signal sent by
        // kill() is raised again instead).
        // SAFETY: sigaction and raise are async-signal-safe.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(sig, &sa, std::ptr::null_mut());
            // SAFETY: `info` is the kernel's siginfo_t.
            if (*info).si_code <= 0 {
                libc::raise(sig);
            }
        }
        return;
    }
    if prev.sa_flags & libc::SA_SIGINFO != 0 {
        // SAFETY: the previous handler asked for SA_SIGINFO, so it has
        // this signature.
        let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
            unsafe { std::mem::transmute(h) };
        f(sig, info, ctx);
    } else {
        // SAFETY: a plain handler takes the signal number only.
        let f: extern "C" fn(libc::c_int) = unsafe { std::mem::transmute(h) };
        f(sig);
    }
}
