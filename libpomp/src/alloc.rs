//! OpenMP memory allocators on the host (libgomp's allocator.c): the
//! `omp_alloc` family, `omp_init_allocator` and its traits, the default
//! allocator (def-allocator-var, kept with the task ICVs), and what
//! `GOMP_alloc` / `GOMP_free` (GCC's lowering of the `allocate` clause)
//! need.
//!
//! Every block is one `malloc` with a [`Header`] just below the address
//! handed out, so `omp_free` and `omp_realloc` find the block's start, its
//! size and its allocator whatever handle the caller passes. The predefined
//! allocators (handles 1 to 8) are plain `malloc` with no pool. An allocator
//! made by `omp_init_allocator` is a leaked [`Allocator`] whose address is
//! the handle, as in libgomp, so handles above 8 are pointers and a bogus one
//! is the program's error.
//!
//! Sizes follow libgomp 12 so that a pool runs dry at the same allocation:
//! a block is charged its size, plus the 32-byte header, plus `align - 8`
//! when the alignment exceeds 8. A failed allocation falls back as the
//! allocator's `fallback` trait says; the `default_mem_fb` fallback drops the
//! allocator's alignment trait, keeping only the alignment asked for.

use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `omp_null_allocator`: "the default allocator" when allocating.
pub const NULL_ALLOCATOR: usize = 0;
/// `omp_default_mem_alloc`.
pub const DEFAULT_MEM_ALLOC: usize = 1;

/// The predefined allocators in handle order (handle = index + 1), by the
/// names `OMP_ALLOCATOR` accepts and `OMP_DISPLAY_ENV` prints.
const PREDEFINED: [&str; 8] = [
    "omp_default_mem_alloc",
    "omp_large_cap_mem_alloc",
    "omp_const_mem_alloc",
    "omp_high_bw_mem_alloc",
    "omp_low_lat_mem_alloc",
    "omp_cgroup_mem_alloc",
    "omp_pteam_mem_alloc",
    "omp_thread_mem_alloc",
];

/// The largest predefined handle (`omp_thread_mem_alloc`).
const LAST_PREDEFINED: usize = PREDEFINED.len();

/// `omp_memspace_handle_t` values.
pub mod memspace {
    pub const DEFAULT: usize = 0;
    pub const LARGE_CAP: usize = 1;
    pub const CONST: usize = 2;
    /// High-bandwidth memory: libgomp 12 serves it only through libmemkind;
    /// without it `omp_init_allocator` refuses the memory space.
    pub const HIGH_BW: usize = 3;
    pub const LOW_LAT: usize = 4;
}

/// `omp_alloctrait_key_t` values.
pub mod key {
    pub const SYNC_HINT: i32 = 1;
    pub const ALIGNMENT: i32 = 2;
    pub const ACCESS: i32 = 3;
    pub const POOL_SIZE: i32 = 4;
    pub const FALLBACK: i32 = 5;
    pub const FB_DATA: i32 = 6;
    pub const PINNED: i32 = 7;
    pub const PARTITION: i32 = 8;
}

/// `omp_alloctrait_value_t` values.
pub mod val {
    /// `omp_atv_default`, `(uintptr_t)-1`.
    pub const DEFAULT: usize = usize::MAX;
    pub const FALSE: usize = 0;
    pub const TRUE: usize = 1;
    pub const CONTENDED: usize = 3;
    pub const UNCONTENDED: usize = 4;
    pub const SERIALIZED: usize = 5;
    pub const PRIVATE: usize = 6;
    pub const ALL: usize = 7;
    pub const THREAD: usize = 8;
    pub const PTEAM: usize = 9;
    pub const CGROUP: usize = 10;
    pub const DEFAULT_MEM_FB: usize = 11;
    pub const NULL_FB: usize = 12;
    pub const ABORT_FB: usize = 13;
    pub const ALLOCATOR_FB: usize = 14;
    pub const ENVIRONMENT: usize = 15;
    pub const NEAREST: usize = 16;
    pub const BLOCKED: usize = 17;
    pub const INTERLEAVED: usize = 18;
}

/// `omp_alloctrait_t`: an `int` key and a `uintptr_t` value (16 bytes).
/// gfortran's `type(omp_alloctrait)` has the same layout.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Trait {
    pub key: i32,
    pub value: usize,
}

/// What an allocator does when it cannot satisfy a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fallback {
    /// Retry with `omp_default_mem_alloc` (when that could do better).
    DefaultMem,
    /// Return NULL.
    Null,
    /// End the program.
    Abort,
    /// Retry with the allocator in `fb_data`.
    Allocator,
}

/// An allocator made by `omp_init_allocator`. Only the traits that change
/// what a host allocation does are kept: `sync_hint`, `access` and
/// `partition` are checked and then have no effect on one host memory.
#[derive(Debug)]
struct Allocator {
    /// A power of two; 1 when not given.
    alignment: usize,
    /// The most bytes (headers included) live at once; `usize::MAX`: no
    /// limit.
    pool_size: usize,
    /// Bytes charged to the pool now.
    used: AtomicUsize,
    fallback: Fallback,
    fb_data: usize,
}

impl Allocator {
    fn has_pool(&self) -> bool {
        self.pool_size != usize::MAX
    }

    /// Charges the pool `new` bytes in place of `old` already charged;
    /// false (and nothing charged) if the pool cannot hold them.
    fn recharge(&self, old: usize, new: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Relaxed, |u| {
                (u - old).checked_add(new).filter(|&t| t <= self.pool_size)
            })
            .is_ok()
    }

    fn release(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::AcqRel);
    }
}

/// The record below every block handed out. Its size (32 bytes) is part of
/// what a block costs its pool.
#[repr(C)]
struct Header {
    /// What `malloc` returned.
    base: *mut u8,
    /// Bytes allocated from `base`.
    size: usize,
    /// The allocator that made the block (never `omp_null_allocator`).
    allocator: usize,
    _pad: usize,
}

const HEADER: usize = std::mem::size_of::<Header>();
/// The alignment every block gets at least (`sizeof (void *)`).
const MIN_ALIGN: usize = std::mem::size_of::<*const u8>();
/// How many fallbacks one request may follow before giving up (allocators
/// whose `fb_data` form a cycle would otherwise retry forever).
const MAX_FALLBACKS: usize = 64;

/// The predefined allocator named `s` (any case), with its canonical name;
/// `OMP_ALLOCATOR` accepts only these names in libgomp 12.
pub fn predefined_name(s: &str) -> Option<&'static str> {
    PREDEFINED
        .iter()
        .copied()
        .find(|n| n.eq_ignore_ascii_case(s))
}

/// The handle of the predefined allocator with this canonical name
/// (`omp_default_mem_alloc` for any other).
pub fn predefined_handle(name: &str) -> usize {
    PREDEFINED
        .iter()
        .position(|n| *n == name)
        .map_or(DEFAULT_MEM_ALLOC, |i| i + 1)
}

/// `omp_get_default_allocator`: def-allocator-var of the calling task.
pub fn default_allocator() -> usize {
    crate::thread::current().icv.get().def_allocator
}

/// `omp_set_default_allocator`: `omp_null_allocator` means
/// `omp_default_mem_alloc`.
pub fn set_default_allocator(handle: usize) {
    let h = if handle == NULL_ALLOCATOR {
        DEFAULT_MEM_ALLOC
    } else {
        handle
    };
    let thr = crate::thread::current();
    let mut icv = thr.icv.get();
    icv.def_allocator = h;
    thr.set_icv(icv);
}

/// `omp_init_allocator`: a new allocator, or `omp_null_allocator` when the
/// memory space is unknown or unavailable, a trait is unknown, a value is
/// not one its trait takes, or pinned memory is asked for (libgomp 12 has
/// none).
pub fn init_allocator(space: usize, traits: &[Trait]) -> usize {
    if space > memspace::LOW_LAT || space == memspace::HIGH_BW {
        return NULL_ALLOCATOR;
    }
    let mut a = Allocator {
        alignment: 1,
        pool_size: usize::MAX,
        used: AtomicUsize::new(0),
        fallback: Fallback::DefaultMem,
        fb_data: NULL_ALLOCATOR,
    };
    for t in traits {
        let v = t.value;
        let ok = match t.key {
            key::SYNC_HINT => matches!(
                v,
                val::DEFAULT | val::CONTENDED | val::UNCONTENDED | val::SERIALIZED | val::PRIVATE
            ),
            key::ALIGNMENT if v == val::DEFAULT => {
                a.alignment = 1;
                true
            }
            key::ALIGNMENT if v.is_power_of_two() => {
                a.alignment = v;
                true
            }
            key::ACCESS => matches!(
                v,
                val::DEFAULT | val::ALL | val::THREAD | val::PTEAM | val::CGROUP
            ),
            key::POOL_SIZE => {
                a.pool_size = v;
                true
            }
            key::FALLBACK => {
                a.fallback = match v {
                    val::DEFAULT | val::DEFAULT_MEM_FB => Fallback::DefaultMem,
                    val::NULL_FB => Fallback::Null,
                    val::ABORT_FB => Fallback::Abort,
                    val::ALLOCATOR_FB => Fallback::Allocator,
                    _ => return NULL_ALLOCATOR,
                };
                true
            }
            key::FB_DATA => {
                a.fb_data = v;
                true
            }
            key::PINNED => matches!(v, val::DEFAULT | val::FALSE),
            key::PARTITION => matches!(
                v,
                val::DEFAULT | val::ENVIRONMENT | val::NEAREST | val::BLOCKED | val::INTERLEAVED
            ),
            _ => false,
        };
        if !ok {
            return NULL_ALLOCATOR;
        }
    }
    Box::into_raw(Box::new(a)) as usize
}

/// The allocator behind a handle; `None` for the predefined ones.
///
/// # Safety
/// `handle` must be `omp_null_allocator`, a predefined allocator, or a
/// handle `init_allocator` returned that has not been destroyed.
unsafe fn custom<'a>(handle: usize) -> Option<&'a Allocator> {
    if handle <= LAST_PREDEFINED {
        return None;
    }
    // SAFETY: per the contract, a live Box leaked by `init_allocator`.
    Some(unsafe { &*(handle as *const Allocator) })
}

/// `omp_destroy_allocator`. Predefined handles are ignored.
///
/// # Safety
/// As for [`custom`]; no block of the allocator may be used afterwards.
pub unsafe fn destroy_allocator(handle: usize) {
    if handle > LAST_PREDEFINED {
        // SAFETY: per the contract, a Box leaked by `init_allocator`, freed
        // once.
        drop(unsafe { Box::from_raw(handle as *mut Allocator) });
    }
}

/// Bytes to take from `malloc` to place `size` bytes aligned to `align`
/// above a header.
fn block_size(size: usize, align: usize) -> Option<usize> {
    let extra = align.saturating_sub(MIN_ALIGN);
    size.checked_add(HEADER + extra)
}

/// Where the caller's bytes start in a block at `base` (see
/// [`block_size`]). With a `malloc` alignment of at least 8 the header
/// always fits between `base` and the result: rounding `base + 24 + align`
/// down to `align` loses at most `align - 8`.
fn user_start(base: usize, align: usize) -> usize {
    if align > MIN_ALIGN {
        (base + HEADER + align - MIN_ALIGN) & !(align - 1)
    } else {
        base + HEADER
    }
}

/// Records a block `malloc` returned and gives the caller's address.
///
/// # Safety
/// `base` must be a `malloc`ed block of `size` bytes, `size` as
/// [`block_size`] computed for `align`.
unsafe fn finish(base: *mut u8, size: usize, align: usize, allocator: usize) -> *mut c_void {
    let user = user_start(base as usize, align);
    // SAFETY: `user - HEADER` lies within the block (see `user_start`) and
    // is 8-aligned, as a Header needs.
    unsafe {
        ((user - HEADER) as *mut Header).write(Header {
            base,
            size,
            allocator,
            _pad: 0,
        });
    }
    user as *mut c_void
}

/// The header of a block handed out.
///
/// # Safety
/// `p` must be a live block from this module.
unsafe fn header<'a>(p: *mut c_void) -> &'a Header {
    // SAFETY: per the contract, written by `finish` just below `p`.
    unsafe { &*(p as *const Header).sub(1) }
}

/// A usable power-of-two alignment for what the caller asked: 0 means 1,
/// anything else rounds up (the spec requires a power of two).
fn normalise(align: usize) -> Option<usize> {
    align.max(1).checked_next_power_of_two()
}

/// One attempt at a block from `handle` (not null), charging its pool.
///
/// # Safety
/// As for [`custom`].
unsafe fn attempt(size: usize, align: usize, handle: usize, zero: bool) -> Option<*mut c_void> {
    let total = block_size(size, align)?;
    // SAFETY: per the contract.
    let pool = unsafe { custom(handle) }.filter(|a| a.has_pool());
    if let Some(a) = pool {
        if !a.recharge(0, total) {
            return None;
        }
    }
    // SAFETY: plain C allocation; a null result is handled.
    let base = unsafe {
        if zero {
            libc::calloc(1, total)
        } else {
            libc::malloc(total)
        }
    }
    .cast::<u8>();
    if base.is_null() {
        if let Some(a) = pool {
            a.release(total);
        }
        return None;
    }
    // SAFETY: a fresh block of `total` bytes for `align`.
    Some(unsafe { finish(base, total, align, handle) })
}

/// `omp_aligned_alloc` and `omp_aligned_calloc` (with `zero`): `size` is
/// `None` when the byte count overflowed, which fails like an exhausted
/// pool. Returns NULL for 0 bytes or when the fallbacks run out.
///
/// # Safety
/// `handle` as for [`custom`], and so is every allocator its fallbacks
/// name.
pub unsafe fn allocate(
    align: usize,
    size: Option<usize>,
    handle: usize,
    zero: bool,
) -> *mut c_void {
    if size == Some(0) {
        return ptr::null_mut();
    }
    let Some(asked) = normalise(align) else {
        return ptr::null_mut();
    };
    let mut h = handle;
    for _ in 0..MAX_FALLBACKS {
        if h == NULL_ALLOCATOR {
            h = default_allocator();
        }
        // SAFETY: per the contract.
        let a = unsafe { custom(h) };
        let align = asked.max(a.map_or(MIN_ALIGN, |a| a.alignment));
        if let Some(s) = size {
            // SAFETY: per the contract.
            if let Some(p) = unsafe { attempt(s, align, h, zero) } {
                return p;
            }
        }
        let Some(a) = a else {
            return ptr::null_mut();
        };
        h = match a.fallback {
            // The default allocator can only do better when this one
            // imposed a pool or a larger alignment.
            Fallback::DefaultMem if (align > MIN_ALIGN && align > asked) || a.has_pool() => {
                DEFAULT_MEM_ALLOC
            }
            Fallback::DefaultMem | Fallback::Null => return ptr::null_mut(),
            Fallback::Abort => out_of_memory(size),
            Fallback::Allocator => a.fb_data,
        };
    }
    ptr::null_mut()
}

/// The `abort_fb` fallback, and `GOMP_alloc` failing: one line and exit
/// status 1, as libgomp ends the program (C streams are flushed).
#[cold]
pub fn out_of_memory(size: Option<usize>) -> ! {
    crate::sys::write_stderr_line(&match size {
        Some(s) => format!("pomp: Out of memory allocating {s} bytes"),
        None => "pomp: Out of memory allocating more than SIZE_MAX bytes".to_string(),
    });
    std::process::exit(1)
}

/// `omp_free`: the allocator is read from the block; the one passed is not
/// needed.
///
/// # Safety
/// `p` must be null or a live block from this module, and its allocator
/// not destroyed.
pub unsafe fn free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: per the contract.
    let h = unsafe { header(p) };
    let (base, size) = (h.base, h.size);
    // SAFETY: per the contract the allocator is alive.
    if let Some(a) = unsafe { custom(h.allocator) }.filter(|a| a.has_pool()) {
        a.release(size);
    }
    // SAFETY: `base` came from malloc/calloc/realloc and is freed once.
    unsafe { libc::free(base.cast()) };
}

/// `omp_realloc`. `free_allocator` is not needed: the block says which
/// allocator made it. `omp_null_allocator` as `handle` means that one. A
/// block that can stay where it is (no extra alignment before or after) is
/// grown with `realloc`; otherwise the bytes move to a new block. On
/// failure the old block is left alone.
///
/// # Safety
/// `p` as for [`free`]; `handle` and its fallbacks as for [`custom`].
pub unsafe fn reallocate(p: *mut c_void, size: usize, handle: usize) -> *mut c_void {
    if p.is_null() {
        // SAFETY: forwarded.
        return unsafe { allocate(1, Some(size), handle, false) };
    }
    if size == 0 {
        // SAFETY: forwarded.
        unsafe { free(p) };
        return ptr::null_mut();
    }
    // SAFETY: per the contract.
    let old = unsafe { header(p) };
    let (old_offset, old_handle) = (p as usize - old.base as usize, old.allocator);
    let mut h = handle;
    for _ in 0..MAX_FALLBACKS {
        if h == NULL_ALLOCATOR {
            h = old_handle;
        }
        // SAFETY: per the contract.
        let a = unsafe { custom(h) };
        let align = a.map_or(MIN_ALIGN, |a| a.alignment.max(MIN_ALIGN));
        // SAFETY: the block and allocators are live per the contract.
        if let Some(q) = unsafe { move_block(p, size, align, h, old_offset) } {
            return q;
        }
        let Some(a) = a else {
            return ptr::null_mut();
        };
        h = match a.fallback {
            Fallback::DefaultMem if align > MIN_ALIGN || a.has_pool() => DEFAULT_MEM_ALLOC,
            Fallback::DefaultMem | Fallback::Null => return ptr::null_mut(),
            Fallback::Abort => out_of_memory(Some(size)),
            Fallback::Allocator => a.fb_data,
        };
    }
    ptr::null_mut()
}

/// One attempt of [`reallocate`] with allocator `h` (not null).
///
/// # Safety
/// As for [`reallocate`].
unsafe fn move_block(
    p: *mut c_void,
    size: usize,
    align: usize,
    h: usize,
    old_offset: usize,
) -> Option<*mut c_void> {
    // SAFETY: per the contract.
    let old = unsafe { header(p) };
    let (old_base, old_size, old_handle) = (old.base, old.size, old.allocator);
    // SAFETY: per the contract.
    let (new_alloc, old_alloc) = unsafe { (custom(h), custom(old_handle)) };
    let total = block_size(size, align)?;
    // The block can be resized where it is only when neither the old nor
    // the new placement needs alignment padding.
    let in_place = align == MIN_ALIGN && old_offset == HEADER;
    let same = matches!((new_alloc, old_alloc), (Some(n), Some(o)) if ptr::eq(n, o));
    let new_pool = new_alloc.filter(|a| a.has_pool());
    let old_pool = old_alloc.filter(|a| a.has_pool());
    let resize = match new_pool {
        // Resizing within one pool charges only the difference.
        Some(_) => in_place && same,
        None => in_place && old_pool.is_none(),
    };
    let charged = if resize && new_pool.is_some() {
        old_size
    } else {
        0
    };
    if let Some(a) = new_pool {
        if !a.recharge(charged, total) {
            return None;
        }
    }
    let uncharge = || {
        if let Some(a) = new_pool {
            let _ = a
                .used
                .fetch_update(Ordering::AcqRel, Ordering::Relaxed, |u| {
                    Some(u - total + charged)
                });
        }
    };
    if resize {
        // SAFETY: `old_base` is the malloc'ed start of the block; on
        // failure it stays valid and untouched.
        let base = unsafe { libc::realloc(old_base.cast(), total) }.cast::<u8>();
        if base.is_null() {
            uncharge();
            return None;
        }
        // SAFETY: a block of `total` bytes for alignment 8.
        return Some(unsafe { finish(base, total, align, h) });
    }
    // SAFETY: plain C allocation; a null result is handled.
    let base = unsafe { libc::malloc(total) }.cast::<u8>();
    if base.is_null() {
        uncharge();
        return None;
    }
    // SAFETY: a fresh block of `total` bytes for `align`.
    let q = unsafe { finish(base, total, align, h) };
    let keep = size.min(old_size - old_offset);
    // SAFETY: `keep` bytes are readable at `p` (its block runs on for
    // `old_size - old_offset` bytes) and writable at `q` (at least `size`);
    // distinct blocks.
    unsafe { ptr::copy_nonoverlapping(p.cast::<u8>(), q.cast::<u8>(), keep) };
    if let Some(a) = old_pool {
        a.release(old_size);
    }
    // SAFETY: the old block's malloc'ed start, freed once.
    unsafe { libc::free(old_base.cast()) };
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn init(traits: &[(i32, usize)]) -> usize {
        let t: Vec<Trait> = traits
            .iter()
            .map(|&(key, value)| Trait { key, value })
            .collect();
        init_allocator(memspace::DEFAULT, &t)
    }

    fn hdr(p: *mut c_void) -> (usize, usize) {
        // SAFETY: a live block of this module.
        let h = unsafe { header(p) };
        (h.size, h.allocator)
    }

    #[test]
    fn names() {
        assert_eq!(
            predefined_name("OMP_Thread_Mem_Alloc"),
            Some("omp_thread_mem_alloc")
        );
        assert_eq!(predefined_name("omp_null_allocator"), None);
        assert_eq!(predefined_name("3"), None);
        assert_eq!(predefined_name(""), None);
    }

    #[test]
    fn trait_validation() {
        assert_eq!(init(&[(key::SYNC_HINT, 7)]), NULL_ALLOCATOR);
        assert_eq!(init(&[(key::ALIGNMENT, 3)]), NULL_ALLOCATOR);
        assert_eq!(init(&[(key::ALIGNMENT, 0)]), NULL_ALLOCATOR);
        assert_eq!(init(&[(key::ACCESS, val::PRIVATE)]), NULL_ALLOCATOR);
        assert_eq!(init(&[(key::FALLBACK, val::ENVIRONMENT)]), NULL_ALLOCATOR);
        assert_eq!(init(&[(key::PINNED, val::TRUE)]), NULL_ALLOCATOR);
        assert_eq!(init(&[(key::PARTITION, val::ALL)]), NULL_ALLOCATOR);
        assert_eq!(init(&[(9, 0)]), NULL_ALLOCATOR);
        assert_eq!(init_allocator(memspace::HIGH_BW, &[]), NULL_ALLOCATOR);
        assert_eq!(init_allocator(5, &[]), NULL_ALLOCATOR);
        let a = init(&[
            (key::SYNC_HINT, val::DEFAULT),
            (key::ALIGNMENT, 64),
            (key::ACCESS, val::CGROUP),
            (key::PARTITION, val::INTERLEAVED),
        ]);
        assert!(a > LAST_PREDEFINED);
        // SAFETY: a live handle, destroyed once.
        unsafe { destroy_allocator(a) };
    }

    #[test]
    fn sizes_alignment_and_pools_as_libgomp() {
        // SAFETY: predefined and live handles throughout.
        unsafe {
            let p = allocate(1, Some(100), DEFAULT_MEM_ALLOC, false);
            assert_eq!(hdr(p), (132, DEFAULT_MEM_ALLOC));
            free(p);
            let p = allocate(64, Some(100), DEFAULT_MEM_ALLOC, false);
            assert_eq!(p as usize % 64, 0);
            assert_eq!(hdr(p).0, 188);
            free(p);

            let a = init(&[(key::POOL_SIZE, 1000), (key::FALLBACK, val::NULL_FB)]);
            let blocks: Vec<_> = (0..7).map(|_| allocate(1, Some(100), a, false)).collect();
            assert!(blocks.iter().all(|p| !p.is_null()));
            assert!(
                allocate(1, Some(100), a, false).is_null(),
                "7 x 132 + 132 > 1000"
            );
            for p in blocks {
                free(p);
            }
            let p = allocate(1, Some(968), a, false);
            assert!(!p.is_null());
            free(p);
            assert!(allocate(1, Some(969), a, false).is_null());
            assert!(allocate(1, None, a, true).is_null());

            // Resizing in the pool charges the difference.
            let p = allocate(1, Some(100), a, true);
            let p = reallocate(p, 200, a);
            assert_eq!(hdr(p), (232, a));
            assert!(reallocate(p, 2000, a).is_null(), "the old block survives");
            let q = reallocate(p, 50, DEFAULT_MEM_ALLOC);
            assert_eq!(hdr(q), (82, DEFAULT_MEM_ALLOC));
            free(q);
            assert_eq!((*(a as *const Allocator)).used.load(Ordering::Relaxed), 0);

            // default_mem_fb drops the trait alignment.
            let b = init(&[(key::POOL_SIZE, 100), (key::ALIGNMENT, 64)]);
            let p = allocate(1, Some(1000), b, false);
            assert_eq!(hdr(p), (1032, DEFAULT_MEM_ALLOC));
            free(p);
            let p = allocate(1, Some(10), b, false);
            assert_eq!((hdr(p).0, p as usize % 64), (98, 0));
            free(p);

            // allocator_fb, and a chain through a pool.
            let c = init(&[
                (key::POOL_SIZE, 100),
                (key::FALLBACK, val::ALLOCATOR_FB),
                (key::FB_DATA, 4),
            ]);
            let p = allocate(1, Some(1000), c, false);
            assert_eq!(hdr(p), (1032, 4));
            free(p);

            // A cycle of fallbacks ends.
            let d = init(&[(key::POOL_SIZE, 10), (key::FALLBACK, val::ALLOCATOR_FB)]);
            set_default_allocator(d);
            assert!(allocate(1, Some(100), d, false).is_null());
            set_default_allocator(NULL_ALLOCATOR);
            assert_eq!(default_allocator(), DEFAULT_MEM_ALLOC);
            for h in [a, b, c, d] {
                destroy_allocator(h);
            }
        }
    }
}
