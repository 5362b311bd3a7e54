//! The Linux calls of the DSM: reserving the window, the memfd and its two
//! mappings, page protection and futexes. Every `unsafe` of the crate that
//! is not signal handling lives here.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::AtomicU32;

use crate::proto::State;

/// This machine's page size.
/// In a forked child: replaces the shared view `[view, view + len)` of the
/// memfd `fd` (whose always-writable view is at `rw`) by private memory
/// holding the same bytes, for every stretch of the file that has data;
/// the rest stays as it is (reserved, inaccessible, or an unused part of
/// the view). The parent's memory is then no longer the child's.
///
/// # Safety
/// Only in a child just forked (one thread), with no other user of the
/// view; `rw` and `view` map `fd` over `len` bytes.
pub unsafe fn privatize(view: usize, rw: usize, fd: &OwnedFd, len: usize) {
    use std::os::fd::AsRawFd;
    let mut off: i64 = 0;
    while (off as usize) < len {
        // SAFETY: lseek on our own fd; errors (ENXIO: no data after
        // `off`) end the walk.
        let data = unsafe { libc::lseek(fd.as_raw_fd(), off, libc::SEEK_DATA) };
        if data < 0 || data as usize >= len {
            break;
        }
        // SAFETY: as above.
        let hole = unsafe { libc::lseek(fd.as_raw_fd(), data, libc::SEEK_HOLE) };
        let end = if hole < 0 {
            len
        } else {
            (hole as usize).min(len)
        };
        let n = end - data as usize;
        // SAFETY: a fresh private mapping, checked; the copy reads the
        // always-writable view (never faults) and writes the new mapping;
        // mremap moves it over the program's view (contract: nobody else
        // uses it).
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                n,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if p == libc::MAP_FAILED {
                return;
            }
            std::ptr::copy_nonoverlapping((rw + data as usize) as *const u8, p.cast::<u8>(), n);
            libc::mremap(
                p,
                n,
                n,
                libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                (view + data as usize) as *mut libc::c_void,
            );
        }
        off = end as i64;
    }
}

pub fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p <= 0 {
        4096
    } else {
        p as usize
    }
}

/// Reserve `[base, base + len)` with no access and no memory behind it.
/// Fails, without touching anything mapped there, if any of it is in use.
pub fn reserve(base: usize, len: usize) -> io::Result<()> {
    // SAFETY: MAP_FIXED_NOREPLACE never replaces an existing mapping; a
    // PROT_NONE anonymous reservation has no effect on other memory.
    let p = unsafe {
        libc::mmap(
            base as *mut libc::c_void,
            len,
            libc::PROT_NONE,
            libc::MAP_PRIVATE
                | libc::MAP_ANONYMOUS
                | libc::MAP_NORESERVE
                | libc::MAP_FIXED_NOREPLACE,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    if p as usize != base {
        // A kernel without MAP_FIXED_NOREPLACE treats it as a hint.
        // SAFETY: `p` is the mapping just made, of `len` bytes.
        unsafe { libc::munmap(p, len) };
        return Err(io::Error::from_raw_os_error(libc::EEXIST));
    }
    Ok(())
}

/// An anonymous memory file of `len` bytes (sparse: no memory until touched).
pub fn memfd(name: &str, len: usize) -> io::Result<OwnedFd> {
    let cname = std::ffi::CString::new(name).unwrap_or_default();
    // SAFETY: `cname` is a valid C string for the duration of the call.
    let fd = unsafe { libc::memfd_create(cname.as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just returned by memfd_create and is owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: ftruncate on a valid fd.
    if unsafe { libc::ftruncate(fd.as_raw_fd(), len as libc::off_t) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(fd)
}

fn prot(state: State) -> libc::c_int {
    match state {
        State::Invalid => libc::PROT_NONE,
        State::Shared => libc::PROT_READ,
        State::Modified => libc::PROT_READ | libc::PROT_WRITE,
    }
}

/// Map `fd` over `[addr, addr + len)`, replacing what is there (the window
/// reservation, or a range being shared).
///
/// # Safety
/// The range must belong to the caller (its reservation or a range it was
/// asked to share); whatever was mapped there is gone.
pub unsafe fn map_fixed(addr: usize, len: usize, fd: &OwnedFd, state: State) -> io::Result<()> {
    // SAFETY: the caller owns the range (above); the fd is valid.
    let p = unsafe {
        libc::mmap(
            addr as *mut libc::c_void,
            len,
            prot(state),
            libc::MAP_SHARED | libc::MAP_FIXED,
            fd.as_raw_fd(),
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A second, always-writable mapping of all of `fd`, anywhere.
pub fn map_rw(len: usize, fd: &OwnedFd) -> io::Result<usize> {
    // SAFETY: a new shared mapping at an address the kernel picks replaces
    // nothing.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED | libc::MAP_NORESERVE,
            fd.as_raw_fd(),
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(p as usize)
}

/// Unmap `[addr, addr + len)`.
///
/// # Safety
/// Nothing may use the range afterwards.
pub unsafe fn unmap(addr: usize, len: usize) {
    // SAFETY: per the caller's contract.
    unsafe { libc::munmap(addr as *mut libc::c_void, len) };
}

/// Give the program's view of `[addr, addr + len)` the access of `state`.
/// Only fails on a range that is not mapped, which the DSM never asks.
pub fn protect(addr: usize, len: usize, state: State) {
    // SAFETY: mprotect changes access rights only; the DSM calls it on its
    // own mappings (the window or a shared range), page-aligned.
    let r = unsafe { libc::mprotect(addr as *mut libc::c_void, len, prot(state)) };
    if r != 0 {
        let e = io::Error::last_os_error();
        panic!("pomp: dsm: mprotect({addr:#x}, {len}) failed: {e}");
    }
}

/// Sleep while `*word == expected` (or until woken, or a spurious return).
/// Async-signal-safe.
pub fn futex_wait(word: &AtomicU32, expected: u32) {
    futex_wait_for(word, expected, None)
}

/// Like [`futex_wait`], giving up after `d`.
pub fn futex_wait_timeout(word: &AtomicU32, expected: u32, d: std::time::Duration) {
    let ts = libc::timespec {
        tv_sec: d.as_secs() as libc::time_t,
        tv_nsec: d.subsec_nanos() as libc::c_long,
    };
    futex_wait_for(word, expected, Some(&ts))
}

fn futex_wait_for(word: &AtomicU32, expected: u32, ts: Option<&libc::timespec>) {
    let ts = ts.map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: FUTEX_WAIT reads the aligned u32 behind a live reference;
    // `ts` is null or points to a timespec that outlives the call.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            ts,
        );
    }
}

/// Wake up to `n` sleepers on `word`. Async-signal-safe.
pub fn futex_wake(word: &AtomicU32, n: i32) {
    // SAFETY: FUTEX_WAKE only uses the address as a key.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            n,
        );
    }
}
