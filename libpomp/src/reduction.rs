//! Reductions with the `task` modifier, as GCC 12 lowers them (libgomp's
//! task.c, "task reductions").
//!
//! GCC describes the reduction variables of a construct in an array of
//! `uintptr_t` (a *descriptor*) that each thread builds on its own stack:
//!
//! ```text
//! [0]  number of variables
//! [1]  bytes of one thread's block of private copies
//! [2]  alignment of the block; the runtime replaces it with the address of
//!      the blocks (thread t's block starts at [2] + t * [1])
//! [3]  -1, [4] 0 (set by GCC, left alone here)
//! [5], [6]  the runtime's: here, the number of blocks and the end address
//! [7 + 3i]  address of variable i;  [8 + 3i]  its offset in a block;
//! [9 + 3i]  the runtime's (unused here)
//! ```
//!
//! The blocks are zeroed. Thread `t` accumulates into its own block; after
//! the construct, thread 0 (or the thread that started the region) combines
//! the blocks into the variables, then the blocks are freed.

use std::ffi::c_void;

use crate::thread;
use crate::work::WorkShare;

/// Allocates `nblocks` zeroed blocks for descriptor `d` and records their
/// address in it.
///
/// # Safety
/// `d` must be a descriptor GCC built (at least 7 slots, slots 1 and 2 set).
pub unsafe fn allocate(d: *mut usize, nblocks: u32) -> *mut c_void {
    // SAFETY: per the contract, slots 0..7 exist.
    unsafe {
        let size = (*d.add(1)).max(1);
        let align = (*d.add(2))
            .max(std::mem::size_of::<usize>())
            .next_power_of_two();
        let total = size.saturating_mul(nblocks.max(1) as usize);
        let mut p: *mut c_void = std::ptr::null_mut();
        if libc::posix_memalign(&mut p, align, total) != 0 || p.is_null() {
            crate::fatal(&format!(
                "cannot allocate {total} bytes for task reductions"
            ));
        }
        std::ptr::write_bytes(p.cast::<u8>(), 0, total);
        publish(d, p, nblocks);
        p
    }
}

/// Records blocks allocated for another thread's descriptor in `d`.
///
/// # Safety
/// As for [`allocate`].
pub unsafe fn publish(d: *mut usize, blocks: *mut c_void, nblocks: u32) {
    // SAFETY: per the contract, slots 0..7 exist.
    unsafe {
        let size = *d.add(1);
        *d.add(2) = blocks as usize;
        *d.add(5) = nblocks as usize;
        *d.add(6) = blocks as usize + size * nblocks as usize;
    }
}

/// Frees the blocks of a descriptor [`allocate`] filled in.
///
/// # Safety
/// `d` must be a descriptor whose blocks were allocated here and are no
/// longer used by any thread.
pub unsafe fn free(d: *mut usize) {
    // SAFETY: per the contract, [2] holds posix_memalign's result.
    unsafe {
        let p = *d.add(2) as *mut c_void;
        if !p.is_null() {
            libc::free(p);
            *d.add(2) = 0;
        }
    }
}

/// A work-sharing construct with `reduction(task, ...)`: the first thread
/// allocates one block per team thread, the others find them in the work
/// share; every thread's descriptor gets the address.
///
/// # Safety
/// `d` must be a descriptor GCC built; `ws` the construct's work share.
pub unsafe fn workshare_register(d: *mut usize, ws: &WorkShare, first: bool, nthreads: u32) {
    let spec = ws.spec();
    if spec.dist_key != 0 {
        // A construct spread over nodes: GCC's code indexes the blocks by
        // the team-wide thread number and thread 0 (on node 0) combines
        // them, so they are one set in DSM memory for the whole team,
        // handed out by node 0 (which frees it when the region ends).
        let n = spec.dist_total;
        let blocks = if first {
            // SAFETY: per the contract, slots 0..7 exist.
            let (size, align) = unsafe { ((*d.add(1)).max(1), *d.add(2)) };
            if align > 64 {
                crate::fatal(&format!(
                    "task reductions aligned to {align} bytes are not supported across nodes"
                ));
            }
            let p = crate::dist::ws_mem(
                spec.dist_key | crate::work::DIST_MEM_REDUCTION,
                size.saturating_mul(n as usize),
            )
            .cast::<c_void>();
            ws.set_reduction_blocks(p);
            p
        } else {
            ws.reduction_blocks()
        };
        // SAFETY: forwarded to the caller.
        unsafe { publish(d, blocks, n) };
        thread::current().push_reduction(d);
        return;
    }
    let blocks = if first {
        // SAFETY: forwarded to the caller.
        let p = unsafe { allocate(d, nthreads) };
        ws.set_reduction_blocks(p);
        p
    } else {
        ws.reduction_blocks()
    };
    // SAFETY: forwarded to the caller.
    unsafe { publish(d, blocks, nthreads) };
    thread::current().push_reduction(d);
}

/// `GOMP_workshare_task_reduction_unregister`: thread 0 (which has combined
/// the blocks) frees them; then, unless the construct was cancelled, the
/// team waits at a barrier so that nobody outruns the combination.
pub fn workshare_unregister(cancelled: bool) {
    let thr = thread::current();
    if let Some(d) = thr.pop_reduction() {
        let across_nodes = crate::dist::on() && thr.team().dist().is_some_and(|t| t.nodes > 1);
        if thr.tid.get() == 0 && !across_nodes {
            // SAFETY: the descriptor was registered by this thread and the
            // blocks were combined by it; the others are done with them.
            unsafe { free(d) };
        }
    }
    if !cancelled {
        crate::barrier::wait(thr);
    }
}
