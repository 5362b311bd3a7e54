//! The shared heap: `malloc` and its family over the window. Each node
//! allocates from its own arena, so an address names its arena (and so its
//! owner and home) on every node.
//!
//! An arena's first half holds small objects, one fixed stretch per size
//! class, so any node can tell a small block's size from its address alone.
//! The second half holds large blocks (over 32 KiB, page-aligned runs) and
//! thread stacks. All bookkeeping is node-local Rust memory: the allocator
//! never reads or writes window memory while it holds a lock, so it cannot
//! deadlock with the fault service (which may need the same locks to serve
//! a remote `free`). Blocks of another node's arena are freed by a message
//! to their owner.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use pomp_transport::Handle;

use crate::node::{KIND_FREE, KIND_USABLE};
use crate::proto::NodeId;

/// Size classes: 16-byte steps to 128, then four classes per doubling to
/// 32 KiB. Every power of two from 16 up is a class, and its blocks are
/// aligned to their size (class stretches start 64 KiB-aligned).
const CLASSES: [usize; 40] = [
    16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
    1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 10240, 12288, 14336,
    16384, 20480, 24576, 28672, 32768,
];
/// The largest small object.
pub const SMALL_MAX: usize = 32768;
const STRETCH_ALIGN: usize = 64 << 10;
/// The start of every arena is left to the runtime (fixed per-node data at
/// addresses every node can compute).
pub const RESERVED: usize = 1 << 20;

fn class_of(size: usize) -> Option<usize> {
    CLASSES.iter().position(|&c| c >= size)
}

#[derive(Default)]
struct Class {
    /// Bytes of the stretch handed out so far.
    bump: usize,
    free: Vec<usize>,
}

#[derive(Default)]
struct Large {
    bump: usize,
    /// Free runs: start -> length (coalesced).
    free: BTreeMap<usize, usize>,
    /// Live blocks: returned address -> (run start, run length).
    live: HashMap<usize, (usize, usize)>,
}

/// A node's view of the shared heap: it allocates in its own arena and
/// frees anywhere.
pub struct Heap {
    base: usize,
    arena: usize,
    nodes: u32,
    me: NodeId,
    page: usize,
    stretch: usize,
    classes: Vec<Mutex<Class>>,
    large: Mutex<Large>,
    net: OnceLock<Handle>,
}

fn round_up(x: usize, a: usize) -> Option<usize> {
    x.checked_add(a - 1).map(|v| v / a * a)
}

impl Heap {
    pub(crate) fn new(base: usize, arena: usize, nodes: u32, me: NodeId, page: usize) -> Heap {
        let stretch = ((arena / 2 - RESERVED) / CLASSES.len()) / STRETCH_ALIGN * STRETCH_ALIGN;
        Heap {
            base,
            arena,
            nodes,
            me,
            page,
            stretch,
            classes: CLASSES.iter().map(|_| Mutex::default()).collect(),
            large: Mutex::default(),
            net: OnceLock::new(),
        }
    }

    pub(crate) fn set_net(&self, net: Handle) {
        let _ = self.net.set(net);
    }

    /// Start of node `n`'s arena.
    pub fn arena_base(&self, n: NodeId) -> usize {
        self.base + n as usize * self.arena
    }

    pub fn arena_size(&self) -> usize {
        self.arena
    }

    /// Is `p` inside the heap's window (any node's arena)?
    /// The size of the small block at `p` (known from the address alone,
    /// no lock, no message), None for a large one.
    pub fn small_size(&self, p: *const u8) -> Option<usize> {
        let p = p as usize;
        if !self.contains(p) {
            return None;
        }
        self.small_class(p).map(|c| CLASSES[c])
    }

    pub fn contains(&self, p: usize) -> bool {
        p >= self.base && p < self.base + self.arena * self.nodes as usize
    }

    fn owner(&self, p: usize) -> NodeId {
        ((p - self.base) / self.arena) as NodeId
    }

    /// The reserved range at the start of node `n`'s arena (never
    /// allocated by the heap).
    pub fn reserved(&self, n: NodeId) -> (usize, usize) {
        (self.arena_base(n), RESERVED)
    }

    fn class_base(&self, n: NodeId, c: usize) -> usize {
        self.arena_base(n) + RESERVED + c * self.stretch
    }

    fn large_base(&self, n: NodeId) -> usize {
        self.arena_base(n) + self.arena / 2
    }

    /// The class of a small block at `p`, if `p` is one.
    fn small_class(&self, p: usize) -> Option<usize> {
        let off = (p - self.arena_base(self.owner(p))).checked_sub(RESERVED)?;
        let c = off / self.stretch;
        if c < CLASSES.len() && (off - c * self.stretch).is_multiple_of(CLASSES[c]) {
            Some(c)
        } else {
            None
        }
    }

    /// A block of class `c`, and whether it is fresh (never handed out, so
    /// still zero).
    fn alloc_class(&self, c: usize) -> Option<(usize, bool)> {
        let mut k = self.classes[c].lock().unwrap();
        if let Some(p) = k.free.pop() {
            return Some((p, false));
        }
        if k.bump + CLASSES[c] > self.stretch {
            return None;
        }
        let p = self.class_base(self.me, c) + k.bump;
        k.bump += CLASSES[c];
        Some((p, true))
    }

    /// A run of `len` bytes (page multiple) aligned to `align` (a power of
    /// two, at least a page); returns the aligned address and whether the
    /// run is fresh.
    fn alloc_large(&self, len: usize, align: usize) -> Option<(usize, bool)> {
        let run = len.checked_add(align - self.page)?;
        let limit = self.arena - self.arena / 2;
        let mut l = self.large.lock().unwrap();
        let found = l
            .free
            .iter()
            .find(|(_, &n)| n >= run)
            .map(|(&s, &n)| (s, n));
        let (start, fresh) = match found {
            Some((s, n)) => {
                l.free.remove(&s);
                if n > run {
                    l.free.insert(s + run, n - run);
                }
                (s, false)
            }
            None => {
                if l.bump.checked_add(run)? > limit {
                    return None;
                }
                let s = self.large_base(self.me) + l.bump;
                l.bump += run;
                (s, true)
            }
        };
        let p = round_up(start, align)?;
        l.live.insert(p, (start, run));
        Some((p, fresh))
    }

    fn alloc(&self, size: usize, align: usize) -> Option<(usize, bool)> {
        let size = size.max(1);
        if align <= 16 && size <= SMALL_MAX {
            return self.alloc_class(class_of(size)?);
        }
        if align <= self.page && size <= SMALL_MAX {
            // A power-of-two class is aligned to its size.
            return self.alloc_class(class_of(size.max(align).next_power_of_two())?);
        }
        let len = round_up(size, self.page)?;
        self.alloc_large(len, align.max(self.page))
    }

    /// Bytes of this node's arena currently allocated (blocks of other
    /// arenas freed here count once their owner has the message).
    pub fn in_use(&self) -> usize {
        let small: usize = self
            .classes
            .iter()
            .zip(CLASSES)
            .map(|(k, size)| {
                let k = k.lock().unwrap();
                k.bump - k.free.len() * size
            })
            .sum();
        let l = self.large.lock().unwrap();
        small + l.live.values().map(|&(_, n)| n).sum::<usize>()
    }

    /// `malloc`: null when the arena is full.
    pub fn malloc(&self, size: usize) -> *mut u8 {
        self.alloc(size, 16)
            .map_or(std::ptr::null_mut(), |(p, _)| p as *mut u8)
    }

    /// `calloc`: zeroed; null on overflow or a full arena.
    pub fn calloc(&self, n: usize, size: usize) -> *mut u8 {
        let Some(total) = n.checked_mul(size) else {
            return std::ptr::null_mut();
        };
        match self.alloc(total, 16) {
            Some((p, fresh)) => {
                if !fresh {
                    // SAFETY: the block was just allocated to us, `total`
                    // bytes long, and nobody else holds it. (Window memory:
                    // this may fault and fetch the page, outside any lock.)
                    unsafe { std::ptr::write_bytes(p as *mut u8, 0, total) };
                }
                p as *mut u8
            }
            None => std::ptr::null_mut(),
        }
    }

    /// `posix_memalign`: 0, `EINVAL` (alignment not a power of two
    /// multiple of the pointer size) or `ENOMEM`.
    pub fn posix_memalign(&self, out: &mut *mut u8, align: usize, size: usize) -> i32 {
        if !align.is_power_of_two() || !align.is_multiple_of(std::mem::size_of::<usize>()) {
            return libc::EINVAL;
        }
        match self.alloc(size, align) {
            Some((p, _)) => {
                *out = p as *mut u8;
                0
            }
            None => libc::ENOMEM,
        }
    }

    /// `aligned_alloc` and `memalign`: null for an alignment that is not a
    /// power of two.
    pub fn memalign(&self, align: usize, size: usize) -> *mut u8 {
        if !align.is_power_of_two() {
            return std::ptr::null_mut();
        }
        self.alloc(size, align)
            .map_or(std::ptr::null_mut(), |(p, _)| p as *mut u8)
    }

    /// `aligned_alloc` (C11): as `memalign`.
    pub fn aligned_alloc(&self, align: usize, size: usize) -> *mut u8 {
        self.memalign(align, size)
    }

    /// A thread stack of `size` bytes in this node's arena, page-aligned
    /// (release it with [`Heap::free`]).
    pub fn alloc_stack(&self, size: usize) -> *mut u8 {
        match round_up(size.max(self.page), self.page) {
            Some(len) => self
                .alloc_large(len, self.page)
                .map_or(std::ptr::null_mut(), |(p, _)| p as *mut u8),
            None => std::ptr::null_mut(),
        }
    }

    /// `free`: a block of another node's arena is sent to its owner.
    /// Returns an error for a pointer that is not a heap block here.
    pub fn free(&self, p: *mut u8) -> Result<(), String> {
        let p = p as usize;
        if p == 0 {
            return Ok(());
        }
        if !self.contains(p) {
            return Err(format!("free({p:#x}): not in the DSM heap"));
        }
        let owner = self.owner(p);
        if owner == self.me {
            return self.free_here(p);
        }
        let net = self.net.get().ok_or("no transport")?;
        let mut h = [0u8; 16];
        h[..8].copy_from_slice(&(p as u64).to_le_bytes());
        net.send(owner, KIND_FREE, &h, &[])
            .map_err(|e| format!("free({p:#x}) on node {owner}: {e}"))
    }

    /// Free a block of this node's arena.
    pub(crate) fn free_here(&self, p: usize) -> Result<(), String> {
        if !self.contains(p) || self.owner(p) != self.me {
            return Err(format!("free({p:#x}): not a block of node {}", self.me));
        }
        if let Some(c) = self.small_class(p) {
            let mut k = self.classes[c].lock().unwrap();
            if p >= self.class_base(self.me, c) + k.bump {
                return Err(format!("free({p:#x}): never allocated"));
            }
            k.free.push(p);
            return Ok(());
        }
        let mut l = self.large.lock().unwrap();
        let Some((start, len)) = l.live.remove(&p) else {
            return Err(format!("free({p:#x}): not a block (or freed twice)"));
        };
        let (mut s, mut n) = (start, len);
        if let Some((&ps, &pn)) = l.free.range(..s).next_back() {
            if ps + pn == s {
                l.free.remove(&ps);
                s = ps;
                n += pn;
            }
        }
        if let Some(&nn) = l.free.get(&(s + n)) {
            l.free.remove(&(s + n));
            n += nn;
        }
        l.free.insert(s, n);
        Ok(())
    }

    /// `malloc_usable_size` (0 for null or a pointer that is not a block).
    pub fn malloc_usable_size(&self, p: *const u8) -> usize {
        let p = p as usize;
        if p == 0 || !self.contains(p) {
            return 0;
        }
        if let Some(c) = self.small_class(p) {
            return CLASSES[c];
        }
        let owner = self.owner(p);
        if owner == self.me {
            return self.usable_here(p).unwrap_or(0);
        }
        let Some(net) = self.net.get() else { return 0 };
        let mut h = [0u8; 16];
        h[..8].copy_from_slice(&(p as u64).to_le_bytes());
        match net.request(owner, KIND_USABLE, &h, &[]) {
            Ok(m) if m.header.len() == 16 => {
                u64::from_le_bytes(m.header[..8].try_into().unwrap()) as usize
            }
            _ => 0,
        }
    }

    pub(crate) fn usable_here(&self, p: usize) -> Result<usize, String> {
        if let Some(c) = self.small_class(p) {
            return Ok(CLASSES[c]);
        }
        let l = self.large.lock().unwrap();
        match l.live.get(&p) {
            Some(&(start, len)) => Ok(start + len - p),
            None => Err(format!("{p:#x} is not a heap block")),
        }
    }

    /// `realloc`: null `p` allocates; size 0 frees and returns null; a
    /// block that still fits stays where it is.
    ///
    /// # Safety
    /// `p` is null or a live block of this heap (any node's), which the
    /// caller gives up.
    pub unsafe fn realloc(&self, p: *mut u8, size: usize) -> *mut u8 {
        if p.is_null() {
            return self.malloc(size);
        }
        if size == 0 {
            let _ = self.free(p);
            return std::ptr::null_mut();
        }
        let old = self.malloc_usable_size(p);
        if size <= old && (old <= SMALL_MAX || size > old / 2) {
            return p;
        }
        let q = self.malloc(size);
        if q.is_null() {
            return q;
        }
        // SAFETY: `p` is a live block (the caller's contract) of `old`
        // usable bytes, `q` a new one of at least `size`; they do not overlap.
        unsafe { std::ptr::copy_nonoverlapping(p, q, old.min(size)) };
        let _ = self.free(p);
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_sorted_and_powers_of_two_are_classes() {
        assert!(CLASSES.windows(2).all(|w| w[0] < w[1]));
        let mut p = 16;
        while p <= SMALL_MAX {
            assert!(CLASSES.contains(&p), "{p}");
            p *= 2;
        }
        assert!(CLASSES.iter().all(|c| c % 16 == 0));
    }
}
