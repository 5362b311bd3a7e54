//! Target constructs and device memory with no offload device (libgomp's
//! target.c as it behaves when no device plugin is loaded): the host is
//! device 0, the only one, and `omp_get_num_devices()` is 0.
//!
//! A `target` region runs on the encountering thread, as a device would
//! start it: as the initial task of a fresh contention group (thread 0 of a
//! team of one, no active parallel region, the device's initial ICVs rather
//! than the encountering task's, team 0 of 1), with the clause's thread
//! limit. Mapping clauses need no copies, since host and "device" share
//! memory, except `firstprivate` aggregates, which the region gets a private
//! copy of. `nowait` makes the region a task; `depend` orders it.
//! Data-movement constructs (`target data`, `update`, `enter`/`exit data`)
//! only honour their dependences.
//!
//! Two differences from libgomp, both only for a target region
//! encountered inside a parallel region:
//! - `omp_get_level()` keeps the enclosing level (libgomp reports 0, and
//!   `omp_pause_resource` here counts levels from the target region as
//!   libgomp does). A thread's implicit tasks are kept per nesting level,
//!   so a parallel region inside the target region must take the next
//!   level, not the first, or it would reuse the enclosing region's
//!   implicit task.
//! - A `thread_limit` clause counts the enclosing team's threads too (pomp
//!   has one busy-thread count per process; libgomp starts the region with
//!   a thread pool of its own), so a parallel region inside it may get
//!   fewer threads.

use std::alloc::Layout;
use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::ptr;

use crate::icv;
use crate::task::{self, Spawn, Task, TaskFn};
use crate::team::{Job, Team};
use crate::thread::{self, LoopCursor, TeamPlace};

/// The host's device number: the number of offload devices, none.
pub const HOST_DEVICE: i32 = 0;
/// `GOMP_DEVICE_ICV`: "the default-device-var ICV" in a construct.
const DEVICE_ICV: i32 = -1;
/// `GOMP_DEVICE_HOST_FALLBACK`: an `if` clause that was false.
const DEVICE_HOST_FALLBACK: i32 = -2;

/// `GOMP_TARGET_FLAG_NOWAIT`.
pub const FLAG_NOWAIT: u32 = 1;
/// `GOMP_MAP_FIRSTPRIVATE`: the region gets a copy of `sizes[i]` bytes at
/// `hostaddrs[i]`, aligned to `1 << (kinds[i] >> 8)`.
const MAP_FIRSTPRIVATE: u16 = 0x0c;

/// The `args` array of `GOMP_target_ext`: a null-terminated list of
/// identifiers. Bits 0-6 name the device kind (0: all), bit 7 says the value
/// is the next element rather than bits 16 and up, bits 8-15 say what it is.
const ARG_DEVICE_MASK: usize = 0x7f;
const ARG_DEVICE_ALL: usize = 0;
const ARG_SUBSEQUENT_PARAM: usize = 1 << 7;
const ARG_ID_MASK: usize = 0xff << 8;
const ARG_THREAD_LIMIT: usize = 2 << 8;
const ARG_VALUE_SHIFT: u32 = 16;

/// `EINVAL`, what the memory routines return for a device that is not
/// there.
pub const EINVAL: i32 = libc::EINVAL;

thread_local! {
    /// The nesting level at which the innermost host target region on this
    /// thread began (0 outside any).
    static TARGET_BASE: Cell<u32> = const { Cell::new(0) };
}

fn mandatory() -> bool {
    icv::global().target_offload == "MANDATORY"
}

/// One line and exit status 1, as libgomp ends the program (C streams are
/// flushed).
#[cold]
fn no_device() -> ! {
    crate::sys::write_stderr_line(
        "pomp: OMP_TARGET_OFFLOAD is set to MANDATORY, but device not found",
    );
    std::process::exit(1)
}

/// The device clause of a construct (`GOMP_DEVICE_ICV` for none): any
/// device runs on the host, but with `OMP_TARGET_OFFLOAD=mandatory` one
/// that does not exist ends the program, as in libgomp.
pub fn check_device(device: i32) {
    let d = if device == DEVICE_ICV {
        icv::default_device()
    } else {
        device
    };
    if d != HOST_DEVICE && d != DEVICE_HOST_FALLBACK && mandatory() {
        no_device();
    }
}

/// Whether a memory routine's device number is the host. Any other is
/// invalid; with `OMP_TARGET_OFFLOAD=mandatory` a non-negative one that is
/// not there ends the program, as libgomp's device lookup does.
fn is_host(device: i32) -> bool {
    if device == HOST_DEVICE {
        return true;
    }
    if device > 0 && mandatory() {
        no_device();
    }
    false
}

/// What a host target region runs in: a team of one and its initial task,
/// kept per thread for the next region once one ends (target regions can
/// nest on a thread when one runs a deferred `nowait` region at a task
/// scheduling point, so there may be several).
struct HostDevice {
    team: Box<Team>,
    initial: Box<Task>,
    /// Where the last region left the team's sequence of constructs, to
    /// carry on from (as a thread's own team of one does).
    ws_seq: u64,
    single_seq: u64,
    bar_count: u32,
}

thread_local! {
    static SPARE: RefCell<Vec<HostDevice>> = const { RefCell::new(Vec::new()) };
}

/// Runs `job` as a target region on the host (see the module comment).
/// `thread_limit` is the clause's value, 0 for none. Tasks the region
/// leaves queued are run before it ends, and the encountering task's state
/// is put back.
///
/// # Safety
/// As for [`Job::run`].
pub unsafe fn run_on_host(job: Job, thread_limit: u32) {
    let thr = thread::current();
    let saved = thr.save_place();
    let mut dev = SPARE
        .with(|s| s.borrow_mut().pop())
        .unwrap_or_else(|| HostDevice {
            team: Team::new_solo(),
            initial: Task::new_implicit(),
            ws_seq: 0,
            single_seq: 0,
            bar_count: 0,
        });
    let team_ptr: *const Team = &*dev.team;
    dev.initial.reset_implicit(team_ptr, 0);
    let mut icv = icv::global().initial;
    if thread_limit != 0 {
        icv.thread_limit = thread_limit;
    }
    thr.set_place(&TeamPlace {
        team: team_ptr,
        tid: 0,
        nthreads: 1,
        level: saved.level,
        active_level: 0,
        region: 0,
        bar_count: dev.bar_count,
        ws_seq: dev.ws_seq,
        single_seq: dev.single_seq,
        ws: ptr::null(),
        cursor: LoopCursor::default(),
        icv,
        task: &*dev.initial,
    });
    let outer_base = TARGET_BASE.with(|b| b.replace(saved.level));
    // SAFETY: forwarded to the caller.
    unsafe { job.run() };
    task::drain(thr);
    TARGET_BASE.with(|b| b.set(outer_base));
    dev.ws_seq = thr.ws_seq.get();
    dev.single_seq = thr.single_seq.get();
    dev.bar_count = thr.bar_count.get();
    thr.set_place(&saved);
    // Every task of the team has completed and released the initial task:
    // both can serve the thread's next target region.
    SPARE.with(|s| s.borrow_mut().push(dev));
}

/// The thread limit `GOMP_target_ext`'s `args` give for every device, 0 if
/// none.
///
/// # Safety
/// `args` must be null or a null-terminated array as GCC builds it.
unsafe fn thread_limit_arg(args: *const *mut c_void) -> u32 {
    if args.is_null() {
        return 0;
    }
    let mut p = args;
    loop {
        // SAFETY: within the array up to its terminator.
        let id = unsafe { *p } as usize;
        if id == 0 {
            return 0;
        }
        // SAFETY: as above; the element after a non-zero one exists.
        p = unsafe { p.add(1) };
        let value = if id & ARG_SUBSEQUENT_PARAM != 0 {
            // SAFETY: the flag says the value is the next element.
            let v = unsafe { *p } as isize;
            // SAFETY: as above.
            p = unsafe { p.add(1) };
            v
        } else {
            (id as isize) >> ARG_VALUE_SHIFT
        };
        if id & ARG_DEVICE_MASK == ARG_DEVICE_ALL && id & ARG_ID_MASK == ARG_THREAD_LIMIT {
            // As libgomp: above INT_MAX is INT_MAX; a negative value is no
            // limit.
            return value.clamp(0, i32::MAX as isize) as u32;
        }
    }
}

/// What `GOMP_target_ext` passes, decoded.
pub struct TargetExt {
    pub device: i32,
    pub func: TaskFn,
    pub mapnum: usize,
    pub hostaddrs: *mut *mut c_void,
    pub sizes: *const usize,
    pub kinds: *const u16,
    pub flags: u32,
    pub depend: *const *mut c_void,
    pub args: *const *mut c_void,
}

/// A target region packed into one block that owns all it needs, so it
/// can become a task's argument block (GCC's arrays are gone once
/// `GOMP_target_ext` returns): a [`Packed`] header, `mapnum` [`Mapping`]s,
/// then the firstprivate copies.
#[repr(C)]
struct Packed {
    func: TaskFn,
    mapnum: usize,
    thread_limit: usize,
}

/// One `hostaddrs` element: an address, or where in the block its
/// firstprivate copy is.
#[repr(C)]
struct Mapping {
    addr: usize,
    /// Offset of the copy from the block's start; `usize::MAX` for none.
    copy_at: usize,
}

const NO_COPY: usize = usize::MAX;

/// A packed region, in memory of its own.
struct Block {
    ptr: *mut u8,
    layout: Layout,
}

impl Drop for Block {
    fn drop(&mut self) {
        // SAFETY: allocated in `pack` with this layout.
        unsafe { std::alloc::dealloc(self.ptr, self.layout) };
    }
}

fn align_up(v: usize, a: usize) -> usize {
    (v + a - 1) & !(a - 1)
}

/// The firstprivate copy `kind` asks for: its alignment, if any.
fn firstprivate_align(kind: u16) -> Option<usize> {
    (kind & 0xff == MAP_FIRSTPRIVATE).then(|| 1usize << (kind >> 8).min(16))
}

/// Packs a region, copying its firstprivate data now (the values at the
/// construct).
///
/// # Safety
/// The arrays of `t` must be as GCC passes them: `mapnum` elements each,
/// and every firstprivate address readable for its size.
unsafe fn pack(t: &TargetExt, thread_limit: u32) -> Block {
    // SAFETY: per the contract (GCC passes null arrays only with mapnum 0).
    let (addrs, sizes, kinds) = unsafe {
        if t.mapnum == 0 {
            (&[][..], &[][..], &[][..])
        } else {
            (
                std::slice::from_raw_parts(t.hostaddrs, t.mapnum),
                std::slice::from_raw_parts(t.sizes, t.mapnum),
                std::slice::from_raw_parts(t.kinds, t.mapnum),
            )
        }
    };
    let mut align = std::mem::align_of::<Packed>();
    let mut end = std::mem::size_of::<Packed>() + t.mapnum * std::mem::size_of::<Mapping>();
    let mut copy_at = vec![NO_COPY; t.mapnum];
    for i in 0..t.mapnum {
        if let Some(a) = firstprivate_align(kinds[i]) {
            align = align.max(a);
            end = align_up(end, a);
            copy_at[i] = end;
            end += sizes[i];
        }
    }
    let layout = Layout::from_size_align(end, align)
        .unwrap_or_else(|_| crate::fatal("target region data too large"));
    // SAFETY: the layout's size is non-zero (it holds the header).
    let base = unsafe { std::alloc::alloc(layout) };
    if base.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    // SAFETY: every write is within the block, at offsets computed above
    // for its type's alignment; the copies read what the contract says is
    // readable.
    unsafe {
        base.cast::<Packed>().write(Packed {
            func: t.func,
            mapnum: t.mapnum,
            thread_limit: thread_limit as usize,
        });
        let maps = base.add(std::mem::size_of::<Packed>()).cast::<Mapping>();
        for i in 0..t.mapnum {
            maps.add(i).write(Mapping {
                addr: addrs[i] as usize,
                copy_at: copy_at[i],
            });
            if copy_at[i] != NO_COPY && sizes[i] > 0 {
                ptr::copy_nonoverlapping(addrs[i].cast::<u8>(), base.add(copy_at[i]), sizes[i]);
            }
        }
    }
    Block { ptr: base, layout }
}

/// Runs a packed region: the task body of a `nowait` target, and the
/// direct path when there is firstprivate data.
///
/// # Safety
/// `block` must be a block [`pack`] built (or a copy of one), alive and
/// unshared while the region runs.
unsafe extern "C" fn run_packed(block: *mut c_void) {
    let base = block.cast::<u8>();
    // SAFETY: per the contract, a Packed header and its mappings.
    let (p, maps) = unsafe {
        let p = &*base.cast::<Packed>();
        let maps = std::slice::from_raw_parts(
            base.add(std::mem::size_of::<Packed>()).cast::<Mapping>(),
            p.mapnum,
        );
        (p, maps)
    };
    let mut hostaddrs: Vec<*mut c_void> = maps
        .iter()
        .map(|m| {
            if m.copy_at == NO_COPY {
                m.addr as *mut c_void
            } else {
                // SAFETY: the copy lies within the block.
                unsafe { base.add(m.copy_at) }.cast()
            }
        })
        .collect();
    let data = if hostaddrs.is_empty() {
        ptr::null_mut()
    } else {
        hostaddrs.as_mut_ptr().cast()
    };
    let job = Job { func: p.func, data };
    // SAFETY: the compiler's outlined target body with its (copied)
    // address array.
    unsafe { run_on_host(job, p.thread_limit as u32) };
}

/// `GOMP_target_ext`: runs the region on the host, as a task if `nowait`.
///
/// # Safety
/// The arguments must be as GCC passes them (see [`TargetExt`]).
pub unsafe fn target_ext(t: &TargetExt) {
    check_device(t.device);
    // SAFETY: per the contract.
    let thread_limit = unsafe { thread_limit_arg(t.args) };
    let has_deps = !t.depend.is_null();
    if t.flags & FLAG_NOWAIT != 0 {
        // SAFETY: per the contract.
        let block = unsafe { pack(t, thread_limit) };
        let s = Spawn {
            func: run_packed,
            data: block.ptr.cast(),
            cpyfn: None,
            arg_size: block.layout.size(),
            arg_align: block.layout.align(),
            if_clause: true,
            flags: if has_deps { task::flags::DEPEND } else { 0 },
            depend: t.depend,
            priority: 0,
            detach: ptr::null_mut(),
        };
        // SAFETY: `run_packed` reads a plain copy of the block (or the
        // block itself, if the task runs at once, before `spawn` returns).
        unsafe { task::spawn(&s) };
        return;
    }
    if has_deps {
        // SAFETY: GCC's depend array.
        unsafe { task::taskwait_depend(t.depend) };
    }
    // SAFETY: per the contract the kinds array has mapnum elements.
    let kinds = unsafe {
        if t.mapnum == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(t.kinds, t.mapnum)
        }
    };
    if kinds.iter().all(|&k| firstprivate_align(k).is_none()) {
        let job = Job {
            func: t.func,
            data: t.hostaddrs.cast(),
        };
        // SAFETY: the outlined body with GCC's own array.
        unsafe { run_on_host(job, thread_limit) };
    } else {
        // SAFETY: per the contract.
        let block = unsafe { pack(t, thread_limit) };
        // SAFETY: a block just packed, owned here.
        unsafe { run_packed(block.ptr.cast()) };
    }
}

/// The data constructs with dependences (`target update`, `enter data`,
/// `exit data`): nothing moves on the host, so they only wait for what they
/// depend on; with `nowait` that is as good as a task that does nothing.
///
/// # Safety
/// `depend` must be null or a depend array GCC built.
pub unsafe fn data_construct(device: i32, depend: *const *mut c_void) {
    check_device(device);
    if !depend.is_null() {
        // SAFETY: per the contract.
        unsafe { task::taskwait_depend(depend) };
    }
}

/// `omp_target_alloc`: `malloc` on the host; NULL for any other device.
pub fn target_alloc(size: usize, device: i32) -> *mut c_void {
    if !is_host(device) {
        return ptr::null_mut();
    }
    // SAFETY: plain C allocation.
    unsafe { libc::malloc(size) }
}

/// `omp_target_free`.
///
/// # Safety
/// On the host device, `p` must be null or from [`target_alloc`], freed
/// once.
pub unsafe fn target_free(p: *mut c_void, device: i32) {
    if !p.is_null() && is_host(device) {
        // SAFETY: per the contract.
        unsafe { libc::free(p) };
    }
}

/// `omp_target_is_present`: everything is present on the host.
pub fn target_is_present(p: *const c_void, device: i32) -> bool {
    p.is_null() || is_host(device)
}

/// `omp_target_memcpy`: 0, or `EINVAL` when a device is not the host.
///
/// # Safety
/// With both devices the host, the ranges must be valid and not overlap.
pub unsafe fn target_memcpy(
    dst: *mut c_void,
    src: *const c_void,
    length: usize,
    dst_offset: usize,
    src_offset: usize,
    dst_device: i32,
    src_device: i32,
) -> i32 {
    if !is_host(dst_device) || !is_host(src_device) {
        return EINVAL;
    }
    if length > 0 {
        // SAFETY: per the contract.
        unsafe {
            ptr::copy_nonoverlapping(
                src.cast::<u8>().add(src_offset),
                dst.cast::<u8>().add(dst_offset),
                length,
            );
        }
    }
    0
}

/// The shape of one `omp_target_memcpy_rect` side: offsets and dimensions
/// in elements, outermost first.
pub struct Rect<'a> {
    pub offsets: &'a [usize],
    pub dims: &'a [usize],
}

/// `omp_target_memcpy_rect` on the host: copies the `volume` sub-array at
/// `src_r.offsets` of `src` to `dst_r.offsets` of `dst`. Returns 0, or
/// `EINVAL` when a byte count overflows.
///
/// # Safety
/// The arrays must hold the regions described, `volume` and each side's
/// slices having the same length (at least 1).
pub unsafe fn target_memcpy_rect(
    dst: *mut u8,
    src: *const u8,
    elem: usize,
    volume: &[usize],
    dst_r: &Rect,
    src_r: &Rect,
) -> i32 {
    if volume.is_empty() {
        return EINVAL;
    }
    if volume.len() == 1 {
        let (Some(len), Some(d), Some(s)) = (
            elem.checked_mul(volume[0]),
            elem.checked_mul(dst_r.offsets[0]),
            elem.checked_mul(src_r.offsets[0]),
        ) else {
            return EINVAL;
        };
        if len > 0 {
            // SAFETY: per the contract the row lies within each array.
            unsafe { ptr::copy_nonoverlapping(src.add(s), dst.add(d), len) };
        }
        return 0;
    }
    // Bytes between consecutive indices of the outermost dimension.
    let stride = |dims: &[usize]| {
        dims[1..]
            .iter()
            .try_fold(elem, |acc, &d| acc.checked_mul(d))
    };
    let (Some(ds), Some(ss)) = (stride(dst_r.dims), stride(src_r.dims)) else {
        return EINVAL;
    };
    let (Some(d0), Some(s0)) = (
        ds.checked_mul(dst_r.offsets[0]),
        ss.checked_mul(src_r.offsets[0]),
    ) else {
        return EINVAL;
    };
    let inner_dst = Rect {
        offsets: &dst_r.offsets[1..],
        dims: &dst_r.dims[1..],
    };
    let inner_src = Rect {
        offsets: &src_r.offsets[1..],
        dims: &src_r.dims[1..],
    };
    for j in 0..volume[0] {
        // SAFETY: per the contract, each slab lies within its array.
        let r = unsafe {
            target_memcpy_rect(
                dst.add(d0 + ds * j),
                src.add(s0 + ss * j),
                elem,
                &volume[1..],
                &inner_dst,
                &inner_src,
            )
        };
        if r != 0 {
            return r;
        }
    }
    0
}

/// The device checks of `omp_target_memcpy_rect`, before any copying:
/// whether both devices are the host.
pub fn rect_devices_ok(dst_device: i32, src_device: i32) -> bool {
    is_host(dst_device) && is_host(src_device)
}

/// `omp_target_associate_ptr` / `omp_target_disassociate_ptr`: nothing can
/// be associated with host memory, and there is no other device.
pub fn associate_ptr(device: i32) -> i32 {
    let _ = is_host(device);
    EINVAL
}

/// `omp_pause_resource` and `omp_pause_resource_all` (any kind): the host
/// can be paused when no parallel region encloses the call (counting from
/// the innermost target region), and then pausing is a no-op: idle pool
/// threads cost nothing while they sleep. Another device number fails.
pub fn pause_resource(_kind: i32, device: Option<i32>) -> i32 {
    if device.is_some_and(|d| d != HOST_DEVICE) {
        return -1;
    }
    let level = thread::current().level.get();
    if level > TARGET_BASE.with(Cell::get) {
        -1
    } else {
        0
    }
}
