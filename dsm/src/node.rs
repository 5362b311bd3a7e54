//! A node's DSM: the window and shared ranges, this node's cache states and
//! directory, the service thread that resolves faults, and the transport
//! handler that answers the other nodes. The protocol decisions are all in
//! `proto.rs`; this file moves pages and changes protections.

use std::collections::HashMap;
use std::fmt;
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use pomp_transport::{Handle, Handler, Message};

use crate::fault::{self, Fault, FaultQueue, READ, UNKNOWN, WRITE};
use crate::heap::Heap;
use crate::proto::{
    cache_receive, granted_state, Access, Directory, Entry, Home, Key, Msg, NodeId, Out, Pending,
    State, MAX_NODES, MAX_PREFETCH,
};
use crate::sys;

/// Message kinds of the DSM (the transport leaves 0xff00 and above to itself).
pub const KIND_REQ: u16 = 0x0400;
pub const KIND_GRANT: u16 = 0x0401;
pub const KIND_DONE: u16 = 0x0402;
pub const KIND_INV: u16 = 0x0403;
pub const KIND_INV_ACK: u16 = 0x0404;
pub const KIND_FETCH: u16 = 0x0405;
pub const KIND_FETCH_ACK: u16 = 0x0406;
pub const KIND_HELLO: u16 = 0x0410;
pub const KIND_FREE: u16 = 0x0411;
pub const KIND_USABLE: u16 = 0x0412;
const KINDS: std::ops::RangeInclusive<u16> = 0x0400..=0x04ff;

/// The default window: 64 GiB at 64 GiB. An arm64 kernel with 39-bit
/// addresses gives programs 512 GiB; executables, the heap and mmap live
/// far above this range (PIEs near 2/3 of it, mmap at the top).
pub const DEFAULT_BASE: usize = 0x10_0000_0000;
pub const DEFAULT_SIZE: usize = 0x10_0000_0000;
/// Arenas start on this boundary, whatever the page size.
const ARENA_ALIGN: usize = 1 << 20;
/// The window's region id; shared ranges count up from 1.
const WINDOW: u32 = 0;
const REGION_SHIFT: u32 = 40;
/// The window and up to 31 shared ranges per node.
const MAX_REGIONS: usize = 32;
const VERSION: u32 = 1;

/// The DSM's settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// The window's address, equal on every node.
    pub base: usize,
    /// The window's size.
    pub size: usize,
    /// Most pages a read fault fetches (the faulting one and those after it).
    pub prefetch: u32,
    /// Refuse peers whose window is elsewhere (off only for several nodes
    /// in one process, where each needs its own window).
    pub same_base: bool,
    /// How long to wait for every node's hello.
    pub setup_timeout: Duration,
    /// Grant a read fault on a migratory page write access at once (see
    /// `MIGRATORY`; `POMP_DSM_MIGRATORY=1`). Off by default: on NPB class S
    /// at 2 nodes it cut FT's remote faults by 14% but moved 10-20% more
    /// pages in CG and MG, whose falsely shared pages it takes from their
    /// other writer sooner (dsm/README.md).
    pub migratory: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base: DEFAULT_BASE,
            size: DEFAULT_SIZE,
            prefetch: 64,
            same_base: true,
            setup_timeout: Duration::from_secs(30),
            migratory: false,
        }
    }
}

fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (num, mult) = match s.as_bytes().last()? {
        b'k' | b'K' => (&s[..s.len() - 1], 1usize << 10),
        b'm' | b'M' => (&s[..s.len() - 1], 1 << 20),
        b'g' | b'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    let v = match num.strip_prefix("0x").or_else(|| num.strip_prefix("0X")) {
        Some(h) => usize::from_str_radix(h, 16).ok()?,
        None => num.parse::<usize>().ok()?,
    };
    v.checked_mul(mult)
}

impl Config {
    /// Defaults, overridden by `POMP_DSM_BASE`, `POMP_DSM_SIZE` (hex or
    /// decimal, `K`/`M`/`G` suffixes) and `POMP_DSM_PREFETCH` (pages, 1 to
    /// 64). A bad value warns on one line and keeps the default.
    pub fn from_env() -> Config {
        let mut c = Config::default();
        let get = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(v) = get("POMP_DSM_BASE") {
            match parse_size(&v) {
                Some(b) if b % ARENA_ALIGN == 0 && b > 0 => c.base = b,
                _ => eprintln!(
                    "pomp: warning: invalid POMP_DSM_BASE '{v}' (a non-zero multiple of 1M); using {:#x}",
                    c.base
                ),
            }
        }
        if let Some(v) = get("POMP_DSM_SIZE") {
            match parse_size(&v) {
                Some(s) if s % ARENA_ALIGN == 0 && s >= 16 << 20 => c.size = s,
                _ => eprintln!(
                    "pomp: warning: invalid POMP_DSM_SIZE '{v}' (a multiple of 1M, at least 16M); using {:#x}",
                    c.size
                ),
            }
        }
        if let Some(v) = get("POMP_DSM_PREFETCH") {
            match v.trim().parse::<u32>() {
                Ok(p) if (1..=MAX_PREFETCH).contains(&p) => c.prefetch = p,
                _ => eprintln!(
                    "pomp: warning: invalid POMP_DSM_PREFETCH '{v}' (1 to {MAX_PREFETCH}); using {}",
                    c.prefetch
                ),
            }
        }
        if let Some(v) = get("POMP_DSM_MIGRATORY") {
            match v.trim() {
                "1" | "true" | "on" => c.migratory = true,
                "0" | "false" | "off" => c.migratory = false,
                _ => eprintln!(
                    "pomp: warning: invalid POMP_DSM_MIGRATORY '{v}' (0 or 1); using {}",
                    c.migratory as u8
                ),
            }
        }
        c
    }
}

/// What went wrong starting or using the DSM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Counters, per node.
#[derive(Default, Debug)]
pub struct Stats {
    pub read_faults: AtomicU64,
    pub write_faults: AtomicU64,
    pub upgrades: AtomicU64,
    /// Pages whose contents arrived here (grants and returned pages).
    pub pages_in: AtomicU64,
    pub msgs_out: AtomicU64,
    pub bytes_out: AtomicU64,
    pub invalidations: AtomicU64,
    pub refused: AtomicU64,
    /// Writes to a page granted for a read of a migratory page: served
    /// locally, without a message.
    pub silent_upgrades: AtomicU64,
    /// Faults served, per page address: read, write, upgrade.
    pub per_page: Mutex<HashMap<usize, [u32; 3]>>,
}

/// A snapshot of [`Stats`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    pub read_faults: u64,
    pub write_faults: u64,
    pub upgrades: u64,
    pub pages_in: u64,
    pub msgs_out: u64,
    pub bytes_out: u64,
    pub invalidations: u64,
    pub refused: u64,
    pub silent_upgrades: u64,
}

impl Stats {
    fn snapshot(&self) -> StatsSnapshot {
        let l = |a: &AtomicU64| a.load(Ordering::Relaxed);
        StatsSnapshot {
            read_faults: l(&self.read_faults),
            write_faults: l(&self.write_faults),
            upgrades: l(&self.upgrades),
            pages_in: l(&self.pages_in),
            msgs_out: l(&self.msgs_out),
            bytes_out: l(&self.bytes_out),
            invalidations: l(&self.invalidations),
            refused: l(&self.refused),
            silent_upgrades: l(&self.silent_upgrades),
        }
    }
}

fn bump(a: &AtomicU64, n: u64) {
    a.fetch_add(n, Ordering::Relaxed);
}

/// How a region's pages find their home.
#[derive(Clone, Copy, Debug)]
enum Homes {
    /// The window: page `i`'s home is the node whose arena holds it.
    Arenas { arena_pages: u64 },
    /// A shared range: one node.
    Node(NodeId),
}

struct Region {
    id: u32,
    /// The program's view.
    view: usize,
    len: usize,
    /// The DSM's always-writable view of the same memory.
    rw: usize,
    pages: u64,
    homes: Homes,
    _fd: OwnedFd,
}

impl Region {
    fn home(&self, idx: u64, nodes: u32) -> NodeId {
        match self.homes {
            Homes::Arenas { arena_pages } => ((idx / arena_pages) as u32).min(nodes - 1),
            Homes::Node(n) => n,
        }
    }
}

fn key(region: u32, idx: u64) -> Key {
    ((region as u64) << REGION_SHIFT) | idx
}

fn split(key: Key) -> (u32, u64) {
    (
        (key >> REGION_SHIFT) as u32,
        key & ((1u64 << REGION_SHIFT) - 1),
    )
}

/// The fixed 16-byte header of every DSM message: the page key and two
/// words whose meaning depends on the kind.
fn hdr(key: Key, a: u32, b: u32) -> [u8; 16] {
    let mut h = [0u8; 16];
    h[..8].copy_from_slice(&key.to_le_bytes());
    h[8..12].copy_from_slice(&a.to_le_bytes());
    h[12..].copy_from_slice(&b.to_le_bytes());
    h
}

fn unhdr(h: &[u8]) -> Option<(Key, u32, u32)> {
    if h.len() != 16 {
        return None;
    }
    Some((
        u64::from_le_bytes(h[..8].try_into().ok()?),
        u32::from_le_bytes(h[8..12].try_into().ok()?),
        u32::from_le_bytes(h[12..].try_into().ok()?),
    ))
}

fn access_code(a: Access) -> u32 {
    match a {
        Access::Read => 0,
        Access::Write => 1,
    }
}

fn access_of(c: u32) -> Option<Access> {
    match c {
        0 => Some(Access::Read),
        1 => Some(Access::Write),
        _ => None,
    }
}

struct Inner {
    dir: HashMap<Key, Entry>,
    /// Per region, per page: the local state (`ST_*`, low bits) and the
    /// `MIGRATORY` mark.
    states: Vec<Vec<u8>>,
    /// The page requests this node has out, with the faults waiting on them.
    inflight: Vec<Inflight>,
    next_id: u64,
    seq: Sequential,
}

/// A request for pages `key..key + count` on its way: the faults (their
/// queue slots) that the grant lets go.
struct Inflight {
    id: u64,
    key: Key,
    count: u32,
    access: Access,
    /// A read fault asking for write access (a migratory page).
    exclusive: bool,
    home: NodeId,
    faults: Vec<Fault>,
}

impl Inflight {
    fn covers(&self, k: Key) -> bool {
        k >= self.key && k < self.key + self.count as u64
    }
}

/// A grant whose faulting threads are resuming: its `Done` goes to the
/// home once they have (or after `DONE_AFTER`), so that each gets its turn
/// at the page before the home may take it away again.
struct Granted {
    home: NodeId,
    key: Key,
    count: u32,
    faults: Vec<Fault>,
    at: Instant,
}

const DONE_AFTER: Duration = Duration::from_micros(50);

/// A flag in a grant's page count: the pages' contents follow.
const GRANT_DATA: u32 = 1 << 31;

/// Local page states. 0: as at start (Modified at the home, Invalid
/// elsewhere).
const ST_INVALID: u8 = 1;
const ST_SHARED: u8 = 2;
const ST_MODIFIED: u8 = 3;
/// Modified as far as the protocol knows, but mapped read-only: granted
/// for a read fault on a migratory page, not written yet.
const ST_EXCLUSIVE: u8 = 4;
const ST_MASK: u8 = 0x0f;
/// How migratory the page is here (two bits, 0 to 3): an upgrade (a read
/// of the page followed by a write: a counter, a reduction target, a
/// vector updated in place) counts one up. From `MIGRATORY_AT` on, a read
/// fault asks for write access at once and saves the upgrade's round trip;
/// the count goes back to 0 when such a page is taken away before it was
/// written (a wrong guess costs the other readers their copies).
const MIGRATORY: u8 = 0x30;
const MIGRATORY_ONE: u8 = 0x10;
const MIGRATORY_AT: u8 = 2 * MIGRATORY_ONE;

/// The home's entries, as the protocol sees them.
struct Dir<'a> {
    shared: &'a Shared,
    dir: &'a mut HashMap<Key, Entry>,
}

impl Directory for Dir<'_> {
    fn entry(&mut self, key: Key) -> &mut Entry {
        let me = self.shared.me;
        self.dir.entry(key).or_insert_with(|| Entry::new(me))
    }
    fn prefetchable(&self, first: Key, key: Key) -> bool {
        let (r1, i1) = split(first);
        let (r2, i2) = split(key);
        let Some(r) = self.shared.region(r1) else {
            return false;
        };
        let n = self.shared.nodes;
        r1 == r2 && i2 < r.pages && r.home(i2, n) == r.home(i1, n)
    }
}

struct Hello {
    page: u32,
    base: u64,
    size: u64,
    version: u32,
}

/// Where a node's transport handler finds its DSM. Create it before the
/// transport node (whose handler it gives), then pass it to [`Dsm::start`].
#[derive(Clone, Default)]
pub struct Port {
    inner: Arc<PortInner>,
}

#[derive(Default)]
struct PortInner {
    dsm: OnceLock<Weak<Shared>>,
    /// DSM messages that arrived before the DSM started.
    early: Mutex<Vec<Message>>,
    hellos: Mutex<HashMap<NodeId, Hello>>,
    hello_cv: Condvar,
}

impl Port {
    pub fn new() -> Port {
        Port::default()
    }

    /// The transport handler: DSM messages are served on the progress
    /// thread; every other kind is returned for the node's receive queue.
    pub fn handler(&self) -> Handler {
        let port = self.inner.clone();
        Box::new(move |net: &Handle, msg: Message| {
            if !KINDS.contains(&msg.kind) {
                return Some(msg);
            }
            if msg.kind == KIND_HELLO {
                if let Some((_, page, version)) = unhdr(&msg.header) {
                    if msg.payload.len() == 16 {
                        let base = u64::from_le_bytes(msg.payload[..8].try_into().unwrap());
                        let size = u64::from_le_bytes(msg.payload[8..].try_into().unwrap());
                        port.hellos.lock().unwrap().insert(
                            msg.from,
                            Hello {
                                page,
                                base,
                                size,
                                version,
                            },
                        );
                        port.hello_cv.notify_all();
                        return None;
                    }
                }
                eprintln!("pomp: dsm: malformed hello from node {}", msg.from);
                return None;
            }
            let dsm = {
                let mut early = port.early.lock().unwrap();
                match port.dsm.get() {
                    None => {
                        if early.len() < 4096 {
                            early.push(msg);
                        }
                        return None;
                    }
                    Some(w) => w.upgrade(),
                }
            };
            if let Some(d) = dsm {
                d.serve(net, msg);
            }
            None
        })
    }
}

/// Everything the handler, the service thread and the API share.
pub(crate) struct Shared {
    pub(crate) me: NodeId,
    pub(crate) nodes: u32,
    pub(crate) page: usize,
    pub(crate) net: Handle,
    /// Append-only: the window, then shared ranges in order.
    regions: [OnceLock<Arc<Region>>; MAX_REGIONS],
    nregions: Mutex<usize>,
    inner: Mutex<Inner>,
    queue: &'static FaultQueue,
    /// Grants whose `Done` the service thread is to send.
    granted: Mutex<Vec<Granted>>,
    stop: AtomicBool,
    stats: Stats,
    pub(crate) heap: OnceLock<Heap>,
    prefetch: u32,
    migratory: bool,
    /// Count faults per page (`Stats::per_page`); off unless asked, so
    /// that a node touching millions of pages does not keep a map of them.
    track_pages: AtomicBool,
    failure: Mutex<Option<String>>,
}

/// A node's DSM. Dropping it stops its service thread and unmaps its
/// memory (nothing of the window may be used afterwards).
pub struct Dsm {
    shared: Arc<Shared>,
    service: Option<JoinHandle<()>>,
}

impl Dsm {
    /// Reserve the window, agree on the page size with every other node,
    /// and start serving faults and peers. Every node of the job calls it.
    pub fn start(port: &Port, net: Handle, cfg: Config) -> Result<Dsm, Error> {
        let me = net.id();
        let nodes = net.nodes();
        let fail = |s: String| Error(format!("pomp: dsm: node {me}: {s}"));
        if nodes > MAX_NODES {
            return Err(fail(format!("{nodes} nodes; at most {MAX_NODES}")));
        }
        if !cfg.size.is_multiple_of(ARENA_ALIGN)
            || !cfg.base.is_multiple_of(ARENA_ALIGN)
            || cfg.size == 0
        {
            return Err(fail(format!(
                "window {:#x}+{:#x} is not aligned to 1 MiB",
                cfg.base, cfg.size
            )));
        }
        // Agree on the page size and window first.
        let local_page = sys::page_size();
        let mut payload = [0u8; 16];
        payload[..8].copy_from_slice(&(cfg.base as u64).to_le_bytes());
        payload[8..].copy_from_slice(&(cfg.size as u64).to_le_bytes());
        net.broadcast(KIND_HELLO, &hdr(0, local_page as u32, VERSION), &payload)
            .map_err(|e| fail(format!("hello: {e}")))?;
        let mut page = local_page;
        {
            let deadline = Instant::now() + cfg.setup_timeout;
            let mut hellos = port.inner.hellos.lock().unwrap();
            while hellos.len() < nodes as usize - 1 {
                let now = Instant::now();
                if now >= deadline {
                    let missing: Vec<String> = (0..nodes)
                        .filter(|n| *n != me && !hellos.contains_key(n))
                        .map(|n| n.to_string())
                        .collect();
                    return Err(fail(format!(
                        "no DSM hello from node(s) {} within {:?}",
                        missing.join(", "),
                        cfg.setup_timeout
                    )));
                }
                hellos = port
                    .inner
                    .hello_cv
                    .wait_timeout(hellos, deadline - now)
                    .unwrap()
                    .0;
            }
            for (n, h) in hellos.iter() {
                if h.version != VERSION {
                    return Err(fail(format!(
                        "node {n} speaks DSM protocol version {}, this node {VERSION}",
                        h.version
                    )));
                }
                if h.size != cfg.size as u64 || (cfg.same_base && h.base != cfg.base as u64) {
                    return Err(fail(format!(
                        "node {n} has its window at {:#x}+{:#x}, this node at {:#x}+{:#x}",
                        h.base, h.size, cfg.base, cfg.size
                    )));
                }
                if !h.page.is_power_of_two() || h.page < 4096 || h.page as usize > ARENA_ALIGN {
                    return Err(fail(format!("node {n} has page size {}", h.page)));
                }
                page = page.max(h.page as usize);
            }
        }

        // The window: reserve, then back it with a memfd seen twice.
        sys::reserve(cfg.base, cfg.size).map_err(|e| {
            fail(format!(
                "cannot reserve the window {:#x}..{:#x}: {e} (set POMP_DSM_BASE to a free range)",
                cfg.base,
                cfg.base + cfg.size
            ))
        })?;
        let fd = sys::memfd("pomp-dsm", cfg.size).map_err(|e| fail(format!("memfd: {e}")))?;
        // SAFETY: the range is our reservation, made just above.
        unsafe { sys::map_fixed(cfg.base, cfg.size, &fd, State::Invalid) }
            .map_err(|e| fail(format!("mapping the window: {e}")))?;
        let rw =
            sys::map_rw(cfg.size, &fd).map_err(|e| fail(format!("mapping the window: {e}")))?;
        let arena = (cfg.size / nodes as usize) / ARENA_ALIGN * ARENA_ALIGN;
        if arena < page * 64 {
            return Err(fail(format!(
                "window of {:#x} bytes is too small for {nodes} nodes",
                cfg.size
            )));
        }
        sys::protect(cfg.base + me as usize * arena, arena, State::Modified);
        let window = Arc::new(Region {
            id: WINDOW,
            view: cfg.base,
            len: cfg.size,
            rw,
            pages: (cfg.size / page) as u64,
            homes: Homes::Arenas {
                arena_pages: (arena / page) as u64,
            },
            _fd: fd,
        });
        let queue: &'static FaultQueue = Box::leak(Box::default());
        let shared = Arc::new(Shared {
            me,
            nodes,
            page,
            net,
            regions: std::array::from_fn(|i| {
                let c = OnceLock::new();
                if i == 0 {
                    let _ = c.set(window.clone());
                }
                c
            }),
            nregions: Mutex::new(1),
            inner: Mutex::new(Inner {
                dir: HashMap::new(),
                states: vec![vec![0u8; cfg.size / page]],
                inflight: Vec::new(),
                next_id: 1,
                seq: Sequential::default(),
            }),
            queue,
            granted: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
            stats: Stats::default(),
            heap: OnceLock::new(),
            prefetch: cfg.prefetch.clamp(1, MAX_PREFETCH),
            migratory: cfg.migratory,
            track_pages: AtomicBool::new(false),
            failure: Mutex::new(None),
        });
        let _ = shared.heap.set(Heap::new(cfg.base, arena, nodes, me, page));
        if let Some(h) = shared.heap.get() {
            h.set_net(shared.net.clone());
        }
        fault::register(cfg.base, cfg.base + cfg.size, queue).map_err(fail)?;
        let s2 = shared.clone();
        let service = thread::Builder::new()
            .name(format!("pomp-dsm-{me}"))
            .spawn(move || s2.service())
            .map_err(|e| fail(format!("service thread: {e}")))?;
        // Serve what came early, then everything.
        let early = {
            let mut early = port.inner.early.lock().unwrap();
            let _ = port.inner.dsm.set(Arc::downgrade(&shared));
            std::mem::take(&mut *early)
        };
        for m in early {
            shared.serve(&shared.net, m);
        }
        Ok(Dsm {
            shared,
            service: Some(service),
        })
    }

    pub fn node(&self) -> NodeId {
        self.shared.me
    }

    pub fn nodes(&self) -> u32 {
        self.shared.nodes
    }

    /// The DSM page size: the largest page size of the job's nodes.
    pub fn page_size(&self) -> usize {
        self.shared.page
    }

    /// The window: base address and length.
    pub fn window(&self) -> (usize, usize) {
        let r = self.shared.region(WINDOW).expect("the window");
        (r.view, r.len)
    }

    /// This node's arena in the window.
    pub fn arena(&self) -> (usize, usize) {
        let h = self.heap();
        (h.arena_base(self.shared.me), h.arena_size())
    }

    /// The shared heap over the window.
    pub fn heap(&self) -> &Heap {
        self.shared.heap.get().expect("heap set at start")
    }

    pub fn stats(&self) -> StatsSnapshot {
        self.shared.stats.snapshot()
    }

    /// Count faults per page from now on (for [`Dsm::hot_pages`]).
    pub fn track_pages(&self, on: bool) {
        self.shared.track_pages.store(on, Ordering::Relaxed);
    }

    /// The `n` pages that faulted most here (while tracked): (page address, [read, write,
    /// upgrade] faults), most first.
    pub fn hot_pages(&self, n: usize) -> Vec<(usize, [u32; 3])> {
        let mut v: Vec<_> = self
            .shared
            .stats
            .per_page
            .lock()
            .unwrap()
            .iter()
            .map(|(a, c)| (*a, *c))
            .collect();
        v.sort_by_key(|(a, c)| (std::cmp::Reverse(c.iter().sum::<u32>()), *a));
        v.truncate(n);
        v
    }

    /// Whether `addr` is DSM memory: in the window or in a range shared
    /// with [`share_existing`](Self::share_existing).
    pub fn is_shared(&self, addr: usize) -> bool {
        self.shared.region_of_addr(addr).is_some()
    }

    /// The transport handle the DSM uses.
    pub fn net(&self) -> &Handle {
        &self.shared.net
    }

    /// Turn `[addr, addr + len)` (page-aligned, outside the window, e.g.
    /// the program's `.data` and `.bss`) into DSM memory whose home is
    /// `home`: the home keeps its current contents as the truth, the other
    /// nodes' contents are replaced. Every node calls it, with the same
    /// ranges in the same order, before any other thread uses the range.
    ///
    /// # Safety
    /// The range must be ordinary private memory of this process that
    /// nothing else maps, unmaps or depends on being private (not the
    /// caller's own stack frame, not code).
    pub unsafe fn share_existing(
        &self,
        addr: usize,
        len: usize,
        home: NodeId,
    ) -> Result<(), Error> {
        // SAFETY: forwarded to the caller; the whole range is the source.
        unsafe { self.share_existing_from(addr, len, home, (addr, addr + len)) }
    }

    /// [`share_existing`](Self::share_existing) where only `[valid.0,
    /// valid.1)` of the range is mapped and holds the home's contents; the
    /// rest starts zeroed (a stack that has not grown down that far yet).
    ///
    /// # Safety
    /// As for `share_existing`; `valid` must be readable memory. If the
    /// range is a thread's stack, that thread must be blocked in a system
    /// call for the duration (its frames are copied, then remapped).
    pub unsafe fn share_existing_from(
        &self,
        addr: usize,
        len: usize,
        home: NodeId,
        valid: (usize, usize),
    ) -> Result<(), Error> {
        let s = &self.shared;
        let fail = |m: String| Error(format!("pomp: dsm: node {}: share_existing: {m}", s.me));
        if !addr.is_multiple_of(s.page) || !len.is_multiple_of(s.page) || len == 0 {
            return Err(fail(format!(
                "{addr:#x}+{len:#x} is not aligned to the {}-byte DSM page",
                s.page
            )));
        }
        if home >= s.nodes {
            return Err(fail(format!("no node {home}")));
        }
        let mut nregions = s.nregions.lock().unwrap();
        if s.regions()
            .any(|r| addr < r.view + r.len && r.view < addr + len)
        {
            return Err(fail(format!("{addr:#x}+{len:#x} overlaps DSM memory")));
        }
        if *nregions >= MAX_REGIONS {
            return Err(fail(format!("more than {} shared ranges", MAX_REGIONS - 1)));
        }
        let fd = sys::memfd("pomp-dsm-shared", len).map_err(|e| fail(format!("memfd: {e}")))?;
        let rw = sys::map_rw(len, &fd).map_err(|e| fail(format!("mapping: {e}")))?;
        let state = if home == s.me {
            let lo = valid.0.max(addr);
            let hi = valid.1.min(addr + len);
            if lo < hi {
                // SAFETY: `[lo, hi)` is readable (caller) and inside the
                // fresh mapping `rw` of `len` bytes at the same offset.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        lo as *const u8,
                        (rw + (lo - addr)) as *mut u8,
                        hi - lo,
                    )
                };
            }
            State::Modified
        } else {
            State::Invalid
        };
        // SAFETY: the caller gives us the range (contract above).
        unsafe { sys::map_fixed(addr, len, &fd, state) }
            .map_err(|e| fail(format!("mapping: {e}")))?;
        let id = *nregions as u32;
        s.inner.lock().unwrap().states.push(vec![0u8; len / s.page]);
        let _ = s.regions[id as usize].set(Arc::new(Region {
            id,
            view: addr,
            len,
            rw,
            pages: (len / s.page) as u64,
            homes: Homes::Node(home),
            _fd: fd,
        }));
        *nregions += 1;
        fault::register(addr, addr + len, s.queue).map_err(fail)?;
        Ok(())
    }
}

impl Dsm {
    /// In a child forked from a node (`pthread_atfork`'s child handler):
    /// the DSM memory becomes the child's private copy of what this node
    /// held (the parent's mappings are shared memory, which the child must
    /// not write into), and faults in it are no longer the DSM's (the
    /// service threads do not exist in the child). Pages that had no data
    /// stay inaccessible; touching them is a plain SIGSEGV.
    ///
    /// # Safety
    /// Only in a child just forked, before anything else runs in it.
    pub unsafe fn forked_child(&self) {
        fault::unregister(self.shared.queue);
        for r in self.shared.regions() {
            // SAFETY: a forked child has one thread; the region maps its
            // memfd at `view` and `rw` over `len` (contract).
            unsafe { sys::privatize(r.view, r.rw, &r._fd, r.len) };
        }
    }
}

impl Drop for Dsm {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        self.shared.queue.ring();
        if let Some(t) = self.service.take() {
            let _ = t.join();
        }
        fault::unregister(self.shared.queue);
        for r in self.shared.regions() {
            // SAFETY: the DSM is going away; its owner promised (type
            // docs) not to use its memory afterwards. A shared range
            // becomes unmapped: using it afterwards is a plain crash.
            unsafe {
                sys::unmap(r.rw, r.len);
                sys::unmap(r.view, r.len);
            }
        }
    }
}

impl Shared {
    fn regions(&self) -> impl Iterator<Item = &Arc<Region>> {
        self.regions.iter().map_while(|c| c.get())
    }

    fn region_of_addr(&self, addr: usize) -> Option<Arc<Region>> {
        self.regions()
            .find(|r| addr >= r.view && addr < r.view + r.len)
            .cloned()
    }

    fn region(&self, id: u32) -> Option<Arc<Region>> {
        self.regions.get(id as usize)?.get().cloned()
    }

    fn state(&self, inner: &Inner, r: &Region, idx: u64) -> State {
        match inner.states[r.id as usize][idx as usize] & ST_MASK {
            0 if r.home(idx, self.nodes) == self.me => State::Modified,
            0 | ST_INVALID => State::Invalid,
            ST_SHARED => State::Shared,
            _ => State::Modified,
        }
    }

    /// Set pages' state and protection. A page that leaves the
    /// exclusive-clean state for anything but Modified was taken away
    /// unwritten: its migratory mark was a wrong guess and is dropped.
    fn set_state(&self, inner: &mut Inner, r: &Region, idx: u64, n: u64, st: State) {
        let v = match st {
            State::Invalid => ST_INVALID,
            State::Shared => ST_SHARED,
            State::Modified => ST_MODIFIED,
        };
        for i in idx..idx + n {
            let b = &mut inner.states[r.id as usize][i as usize];
            let keep = *b & ST_MASK != ST_EXCLUSIVE || st == State::Modified;
            *b = v | if keep { *b & MIGRATORY } else { 0 };
        }
        sys::protect(
            r.view + idx as usize * self.page,
            n as usize * self.page,
            st,
        );
    }

    /// Page `idx` of `r` is held Modified (as the protocol sees it) but
    /// mapped read-only until the first write, which then needs no message.
    fn set_exclusive_clean(&self, inner: &mut Inner, r: &Region, idx: u64) {
        let b = &mut inner.states[r.id as usize][idx as usize];
        *b = ST_EXCLUSIVE | (*b & MIGRATORY);
        sys::protect(r.view + idx as usize * self.page, self.page, State::Shared);
    }

    /// The DSM's writable view of pages `idx..idx + n` of `r`.
    ///
    /// # Safety
    /// No other thread may write these pages' bytes while the slice lives
    /// (the protocol guarantees it: contents arrive only for pages in
    /// transit to this node, which the program cannot access, and are sent
    /// only from pages nobody here can write).
    #[allow(clippy::mut_from_ref)]
    unsafe fn rw(&self, r: &Region, idx: u64, n: u64) -> &mut [u8] {
        assert!(idx + n <= r.pages);
        // SAFETY: `rw` maps `len` bytes for as long as the region lives
        // (regions are never removed while the DSM runs), and the range is
        // inside it (asserted); exclusivity is the caller's contract.
        unsafe {
            std::slice::from_raw_parts_mut(
                (r.rw + idx as usize * self.page) as *mut u8,
                n as usize * self.page,
            )
        }
    }

    fn refuse(&self, from: NodeId, what: &str) {
        bump(&self.stats.refused, 1);
        eprintln!(
            "pomp: dsm: node {}: refused a message from node {from}: {what}",
            self.me
        );
    }

    /// Decode and locate a message's page: it must be in a region, and
    /// (for home-side kinds) homed here.
    fn locate(
        &self,
        from: NodeId,
        h: &[u8],
        home_side: bool,
    ) -> Option<(Arc<Region>, u64, u32, u32)> {
        let Some((key, a, b)) = unhdr(h) else {
            self.refuse(from, "malformed DSM header");
            return None;
        };
        let (rid, idx) = split(key);
        let Some(r) = self.region(rid).filter(|r| idx < r.pages) else {
            self.refuse(from, &format!("page {key:#x} is outside every DSM range"));
            return None;
        };
        let home = r.home(idx, self.nodes);
        if home_side && home != self.me {
            self.refuse(
                from,
                &format!("page {key:#x} is homed at node {home}, not here"),
            );
            return None;
        }
        if !home_side && home != from {
            self.refuse(
                from,
                &format!("page {key:#x} is homed at node {home}, not the sender"),
            );
            return None;
        }
        Some((r, idx, a, b))
    }

    /// The transport handler's body for DSM kinds (progress thread).
    fn serve(&self, net: &Handle, msg: Message) {
        let from = msg.from;
        match msg.kind {
            KIND_REQ => {
                let Some((r, idx, a, count)) = self.locate(from, &msg.header, true) else {
                    let _ = net.reply_error(&msg, "page is not homed at this node");
                    return;
                };
                let Some(access) = access_of(a).filter(|_| msg.is_request()) else {
                    self.refuse(from, "malformed page request");
                    let _ = net.reply_error(&msg, "malformed page request");
                    return;
                };
                let p = Pending {
                    from,
                    access,
                    count,
                    corr: msg.corr,
                };
                let mut inner = self.inner.lock().unwrap();
                let mut outs = vec![];
                let res = self.home().request(
                    &mut self.dir(&mut inner.dir),
                    key(r.id, idx),
                    p,
                    &mut outs,
                );
                self.apply(&mut inner, outs);
                drop(inner);
                if let Err(v) = res {
                    self.refuse(from, &v.0);
                    let _ = net.reply_error(&msg, &v.0);
                }
            }
            KIND_DONE | KIND_INV_ACK | KIND_FETCH_ACK => {
                let Some((r, idx, a, _)) = self.locate(from, &msg.header, true) else {
                    return;
                };
                let k = key(r.id, idx);
                let m = match msg.kind {
                    KIND_DONE => Msg::Done { count: a },
                    KIND_INV_ACK => Msg::InvAck,
                    _ => Msg::FetchAck,
                };
                let mut inner = self.inner.lock().unwrap();
                if m == Msg::FetchAck {
                    if !self
                        .home()
                        .expects_fetch_ack(&mut self.dir(&mut inner.dir), k, from)
                    {
                        drop(inner);
                        self.refuse(from, &format!("page {k:#x} was not asked of it"));
                        return;
                    }
                    if msg.payload.len() != self.page {
                        drop(inner);
                        self.refuse(
                            from,
                            &format!("returned {} bytes for a page", msg.payload.len()),
                        );
                        return;
                    }
                    // SAFETY: the home expects this page back from `from`:
                    // nobody here holds it (the home's own copy is Invalid).
                    unsafe { self.rw(&r, idx, 1) }.copy_from_slice(&msg.payload);
                    bump(&self.stats.pages_in, 1);
                }
                let mut outs = vec![];
                let res = self
                    .home()
                    .receive(&mut self.dir(&mut inner.dir), k, from, m, &mut outs);
                self.apply(&mut inner, outs);
                drop(inner);
                if let Err(v) = res {
                    self.refuse(from, &v.0);
                }
            }
            KIND_INV | KIND_FETCH => {
                let Some((r, idx, a, _)) = self.locate(from, &msg.header, false) else {
                    return;
                };
                let k = key(r.id, idx);
                let m = if msg.kind == KIND_INV {
                    Msg::Inv
                } else {
                    Msg::Fetch { keep: a != 0 }
                };
                let mut inner = self.inner.lock().unwrap();
                let st = self.state(&inner, &r, idx);
                match cache_receive(self.me, from, k, st, m) {
                    Ok((new, answer)) => {
                        // Protection first, then the contents are stable.
                        self.set_state(&mut inner, &r, idx, 1, new);
                        bump(&self.stats.invalidations, 1);
                        let (kind, payload): (u16, &[u8]) = if answer == Msg::FetchAck {
                            // SAFETY: just made Shared or Invalid here: no
                            // thread of this node can write it any more.
                            (KIND_FETCH_ACK, unsafe { self.rw(&r, idx, 1) })
                        } else {
                            (KIND_INV_ACK, &[])
                        };
                        self.send(from, kind, &hdr(k, 0, 0), payload);
                    }
                    Err(v) => {
                        drop(inner);
                        self.refuse(from, &v.0);
                    }
                }
            }
            KIND_FREE => {
                let Some((a, _, _)) = unhdr(&msg.header) else {
                    self.refuse(from, "malformed free");
                    return;
                };
                if let Some(h) = self.heap.get() {
                    if let Err(e) = h.free_here(a as usize) {
                        self.refuse(from, &e);
                    }
                }
            }
            KIND_USABLE => {
                let Some((a, _, _)) = unhdr(&msg.header) else {
                    self.refuse(from, "malformed size query");
                    let _ = net.reply_error(&msg, "malformed size query");
                    return;
                };
                match self.heap.get().map(|h| h.usable_here(a as usize)) {
                    Some(Ok(n)) => {
                        let _ = net.reply(&msg, KIND_USABLE, &hdr(n as u64, 0, 0), &[]);
                    }
                    Some(Err(e)) => {
                        let _ = net.reply_error(&msg, &e);
                    }
                    None => {
                        let _ = net.reply_error(&msg, "no heap");
                    }
                }
            }
            _ => self.refuse(from, &format!("unknown DSM kind {:#06x}", msg.kind)),
        }
    }

    fn home(&self) -> Home {
        Home { me: self.me }
    }

    fn dir<'a>(&'a self, dir: &'a mut HashMap<Key, Entry>) -> Dir<'a> {
        Dir { shared: self, dir }
    }

    fn send(&self, to: NodeId, kind: u16, header: &[u8], payload: &[u8]) {
        bump(&self.stats.msgs_out, 1);
        bump(&self.stats.bytes_out, (header.len() + payload.len()) as u64);
        if let Err(e) = self.net.send(to, kind, header, payload) {
            self.fail(format!("sending to node {to}: {e}"));
        }
    }

    /// Carry out a protocol step's outputs (with `inner` locked, so that
    /// the order of sends per page is the protocol's).
    fn apply(&self, inner: &mut Inner, outs: Vec<Out>) {
        for o in outs {
            match o {
                Out::Local { key: k, state } => {
                    let (rid, idx) = split(k);
                    if let Some(r) = self.region(rid) {
                        self.set_state(inner, &r, idx, 1, state);
                    }
                }
                Out::Send {
                    to,
                    key: k,
                    msg,
                    corr,
                } => {
                    let (rid, idx) = split(k);
                    let Some(r) = self.region(rid) else { continue };
                    match msg {
                        Msg::Grant {
                            access,
                            count,
                            data,
                        } => {
                            if to == self.me {
                                // Our own request for a page homed here.
                                let me = self.me;
                                let got = Ok((access, count));
                                self.arrived(inner, |f| f.key == k && f.home == me, got);
                                continue;
                            }
                            let payload: &[u8] = if data {
                                // SAFETY: granted pages have no owner but
                                // the home-side copy, at most Shared here
                                // (the protocol downgraded it first).
                                unsafe { self.rw(&r, idx, count as u64) }
                            } else {
                                &[]
                            };
                            let req = Message {
                                from: to,
                                kind: KIND_REQ,
                                corr,
                                header: vec![],
                                payload: vec![],
                            };
                            bump(&self.stats.msgs_out, 1);
                            bump(&self.stats.bytes_out, 16 + payload.len() as u64);
                            let h = hdr(
                                k,
                                access_code(access),
                                count | if data { GRANT_DATA } else { 0 },
                            );
                            if let Err(e) = self.net.reply(&req, KIND_GRANT, &h, payload) {
                                self.fail(format!("granting to node {to}: {e}"));
                            }
                        }
                        Msg::Inv => self.send(to, KIND_INV, &hdr(k, 0, 0), &[]),
                        Msg::Fetch { keep } => {
                            self.send(to, KIND_FETCH, &hdr(k, keep as u32, 0), &[])
                        }
                        other => {
                            debug_assert!(false, "home sent {other:?}");
                        }
                    }
                }
            }
        }
    }

    fn fail(&self, why: String) {
        let mut f = self.failure.lock().unwrap();
        if f.is_none() {
            eprintln!("pomp: dsm: node {}: {why}", self.me);
            *f = Some(why);
        }
    }

    /// The service thread: take faults and send their requests (or let
    /// them go at once), and send the `Done`s of grants once their threads
    /// resumed. Grants themselves are applied where they arrive (`arrived`,
    /// on the progress thread), so a fault costs one hand-off fewer.
    fn service(self: &Arc<Self>) {
        let mut faults = Vec::with_capacity(fault::SLOTS);
        while !self.stop.load(Ordering::Acquire) {
            let seen = self.queue.bell();
            faults.clear();
            self.queue.take(&mut faults);
            if !faults.is_empty() {
                // Requests first: a fault waits on its request, while the
                // `Done`s of earlier grants only free their pages at the
                // home (one on the same page goes first, in `start`).
                self.start_all(&mut faults);
            }
            let due = self.send_dones();
            if faults.is_empty() {
                if self.failure.lock().unwrap().is_some() {
                    self.flush_inflight();
                }
                match due {
                    // A grant waits for its threads to resume: sleep until
                    // its time is up or the next fault (spinning here
                    // would take the core a resuming thread needs).
                    Some(d) => self.queue.wait(seen, d),
                    None => {
                        // Faults come in bursts (a loop over remote data):
                        // watch the bell a little before sleeping on it.
                        let t0 = Instant::now();
                        // With requests out, watch as long as a reply over
                        // loopback takes: a vCPU that went idle is slow to
                        // wake (measured: read faults 1.4-1.6x the round
                        // trip with it, 1.6-2.1x without).
                        let spin = if self.inner.lock().unwrap().inflight.is_empty() {
                            Duration::from_micros(20)
                        } else {
                            Duration::from_micros(50)
                        };
                        // Yield while watching, not pause: on a node of
                        // one CPU the faulting thread, once its grant is
                        // applied, would otherwise wait for the watch to
                        // end (traced: 10-15 us of an upgrade). Upgrades
                        // 1.13-1.22x the 64 B round trip against 1.27-1.29x,
                        // NPB CG at two nodes 0.72 s against 1.25 s.
                        while self.queue.bell() == seen && t0.elapsed() < spin {
                            std::thread::yield_now();
                        }
                        if self.queue.bell() == seen {
                            self.queue.wait(seen, Duration::from_millis(100));
                        }
                    }
                }
            }
        }
        // Nobody will serve what is still posted or asked.
        faults.clear();
        self.queue.take(&mut faults);
        for f in &faults {
            self.queue.finish(f.slot, false);
        }
        self.flush_inflight();
    }

    /// Start the requests of `faults`, coalesced by page: one request per
    /// page, with the strongest access asked.
    fn start_all(self: &Arc<Self>, faults: &mut [Fault]) {
        faults.sort_by_key(|f| f.addr / self.page);
        let mut i = 0;
        while i < faults.len() {
            let pg = faults[i].addr / self.page;
            let mut j = i;
            let mut access = READ;
            while j < faults.len() && faults[j].addr / self.page == pg {
                access = match (access, faults[j].access) {
                    (WRITE, _) | (_, WRITE) => WRITE,
                    (UNKNOWN, _) | (_, UNKNOWN) => UNKNOWN,
                    _ => READ,
                };
                j += 1;
            }
            self.start(faults[i].addr, access, faults[i..j].to_vec());
            i = j;
        }
    }

    /// Send the `Done` of every grant whose threads resumed or whose time
    /// is up. Returns how long until the next of the others is due.
    fn send_dones(&self) -> Option<Duration> {
        let now = Instant::now();
        let ready: Vec<Granted> = {
            let mut g = self.granted.lock().unwrap();
            if g.is_empty() {
                return None;
            }
            let (ready, wait) = std::mem::take(&mut *g).into_iter().partition(|d| {
                now.duration_since(d.at) >= DONE_AFTER
                    || d.faults.iter().all(|f| self.queue.resumed(f))
            });
            *g = wait;
            ready
        };
        for d in &ready {
            self.done(d.home, d.key, d.count);
        }
        let g = self.granted.lock().unwrap();
        g.iter()
            .map(|d| (d.at + DONE_AFTER).saturating_duration_since(now))
            .min()
            .map(|d| d.max(Duration::from_micros(5)))
    }

    /// Send the `Done`s due for pages `k..k + n` now: a request on a page
    /// must follow the `Done` of its last grant (the home serves one
    /// transaction on it at a time).
    fn dones_before(&self, k: Key, n: u32) {
        let due: Vec<Granted> = {
            let mut g = self.granted.lock().unwrap();
            let (due, keep) = std::mem::take(&mut *g)
                .into_iter()
                .partition(|d| d.key < k + n as u64 && k < d.key + d.count as u64);
            *g = keep;
            due
        };
        for d in &due {
            self.done(d.home, d.key, d.count);
        }
    }

    /// Fail every request still out (the DSM failed or stops).
    fn flush_inflight(&self) {
        let gone = std::mem::take(&mut self.inner.lock().unwrap().inflight);
        for f in gone {
            for x in f.faults {
                self.queue.finish(x.slot, false);
            }
        }
    }

    fn done(&self, home: NodeId, k: Key, count: u32) {
        if home == self.me {
            let mut inner = self.inner.lock().unwrap();
            let mut outs = vec![];
            let res = self.home().receive(
                &mut self.dir(&mut inner.dir),
                k,
                self.me,
                Msg::Done { count },
                &mut outs,
            );
            self.apply(&mut inner, outs);
            if let Err(v) = res {
                drop(inner);
                self.fail(v.0);
            }
        } else {
            self.send(home, KIND_DONE, &hdr(k, count, 0), &[]);
        }
    }

    /// Serve `faults` (all at `addr`'s page): let them go if the page
    /// allows the access already, join a request out for it, or ask its
    /// home.
    fn start(self: &Arc<Self>, addr: usize, want: u32, faults: Vec<Fault>) {
        let Some(r) = self.region_of_addr(addr) else {
            self.fail(format!("page fault at {addr:#x} is not in DSM memory"));
            for f in faults {
                self.queue.finish(f.slot, false);
            }
            return;
        };
        let idx = ((addr - r.view) / self.page) as u64;
        let k = key(r.id, idx);
        let home = r.home(idx, self.nodes);
        self.dones_before(k, 1);
        let mut inner = self.inner.lock().unwrap();
        if let Some(f) = inner.inflight.iter_mut().find(|f| f.covers(k)) {
            // Let go with that grant; a write that needed more faults again.
            f.faults.extend(faults);
            return;
        }
        let st = self.state(&inner, &r, idx);
        let raw = inner.states[r.id as usize][idx as usize];
        let access = match want {
            WRITE => Access::Write,
            READ => Access::Read,
            _ if st == State::Invalid => Access::Read,
            _ => Access::Write,
        };
        if raw & ST_MASK == ST_EXCLUSIVE || st.allows(access) {
            if raw & ST_MASK == ST_EXCLUSIVE && access == Access::Write {
                // The page is ours already: the first write needs only
                // the protection changed.
                self.set_state(&mut inner, &r, idx, 1, State::Modified);
                bump(&self.stats.silent_upgrades, 1);
            }
            drop(inner);
            for f in faults {
                self.queue.finish(f.slot, true);
            }
            return;
        }
        if self.migratory && access == Access::Write && st == State::Shared {
            let b = &mut inner.states[r.id as usize][idx as usize];
            if *b & MIGRATORY != MIGRATORY {
                *b += MIGRATORY_ONE;
            }
        }
        // A read fault on a migratory page asks for the page to itself.
        let exclusive = access == Access::Read && raw & MIGRATORY >= MIGRATORY_AT;
        let access = if exclusive { Access::Write } else { access };
        let which = match (access, st) {
            _ if exclusive => 0,
            (Access::Read, _) => 0,
            (Access::Write, State::Shared) => 2,
            (Access::Write, _) => 1,
        };
        bump(
            [
                &self.stats.read_faults,
                &self.stats.write_faults,
                &self.stats.upgrades,
            ][which],
            1,
        );
        if self.track_pages.load(Ordering::Relaxed) {
            let pg = r.view + idx as usize * self.page;
            self.stats.per_page.lock().unwrap().entry(pg).or_default()[which] += 1;
        }
        let mut count = 1u32;
        if access == Access::Read {
            let want = inner.seq.window(k, self.prefetch);
            let granted = self.granted.lock().unwrap();
            while count < want {
                let i2 = idx + count as u64;
                let k2 = key(r.id, i2);
                if i2 >= r.pages
                    || r.home(i2, self.nodes) != home
                    || self.state(&inner, &r, i2) != State::Invalid
                    || inner.inflight.iter().any(|f| f.covers(k2))
                    || granted
                        .iter()
                        .any(|d| k2 >= d.key && k2 < d.key + d.count as u64)
                {
                    break;
                }
                count += 1;
            }
        }
        let id = inner.next_id;
        inner.next_id += 1;
        inner.inflight.push(Inflight {
            id,
            key: k,
            count,
            access,
            exclusive,
            home,
            faults,
        });
        if home == self.me {
            let mut outs = vec![];
            let res = self.home().request(
                &mut self.dir(&mut inner.dir),
                k,
                Pending {
                    from: self.me,
                    access,
                    count,
                    corr: id,
                },
                &mut outs,
            );
            // A grant among the outputs is applied right here (`apply`).
            self.apply(&mut inner, outs);
            if let Err(v) = res {
                self.arrived(&mut inner, |f| f.id == id, Err(v.0));
            }
            return;
        }
        drop(inner);
        bump(&self.stats.msgs_out, 1);
        bump(&self.stats.bytes_out, 16);
        // SAFETY: the pages are Invalid here (checked above, under the
        // lock, and no other request of ours covers them), so no thread of
        // this node reads or writes their bytes, and the home serves nobody
        // else on them until our Done; the buffer (the region's `rw`
        // mapping) lives as long as the DSM, and `arrived` takes the pages
        // only after the reply was written.
        let buf = unsafe { self.rw(&r, idx, count as u64) };
        let weak = Arc::downgrade(self);
        let buf = buf as *mut [u8];
        // SAFETY: as argued above, `buf` is ours until the reply is in.
        unsafe {
            self.net.request_then(
                home,
                KIND_REQ,
                &hdr(k, access_code(access), count),
                &[],
                buf,
                move |reply| {
                    if let Some(s) = weak.upgrade() {
                        s.reply_in(id, home, k, reply);
                    }
                },
            )
        };
    }

    /// A home's answer to request `id` (progress thread): check it is the
    /// grant asked for, then apply it.
    fn reply_in(
        &self,
        id: u64,
        home: NodeId,
        k: Key,
        reply: Result<pomp_transport::Reply, pomp_transport::Error>,
    ) {
        let mut inner = self.inner.lock().unwrap();
        let Some(f) = inner.inflight.iter().find(|f| f.id == id) else {
            return; // flushed: the DSM failed meanwhile
        };
        let (access, count) = (f.access, f.count);
        let bad = |why: &str| format!("node {home} sent a bad grant for page {k:#x}: {why}");
        let res = reply.map_err(|e| e.to_string()).and_then(|reply| {
            let (gk, ga, gb) = unhdr(&reply.header).ok_or_else(|| bad("header"))?;
            let data = gb & GRANT_DATA != 0;
            let n = gb & !GRANT_DATA;
            if reply.kind != KIND_GRANT
                || gk != k
                || access_of(ga) != Some(access)
                || n == 0
                || n > count
                || (access == Access::Write && n != 1)
            {
                return Err(bad("not the grant asked for"));
            }
            let want_len = if data { n as usize * self.page } else { 0 };
            if reply.len != want_len || (!data && access == Access::Read) {
                return Err(bad("wrong contents"));
            }
            if data {
                bump(&self.stats.pages_in, n as u64);
            }
            Ok((access, n))
        });
        self.arrived(&mut inner, |f| f.id == id, res);
    }

    /// The grant of the request `which` picks is in (`Ok((access, pages))`)
    /// or it failed: set the pages' state, let the faults go, and have the
    /// service thread send the `Done` once the faulting threads had their
    /// turn at the page.
    fn arrived(
        &self,
        inner: &mut Inner,
        which: impl Fn(&Inflight) -> bool,
        res: Result<(Access, u32), String>,
    ) {
        let Some(pos) = inner.inflight.iter().position(which) else {
            return;
        };
        let f = inner.inflight.swap_remove(pos);
        let res = res.and_then(|(ga, n)| {
            if ga != f.access {
                return Err("grant of the wrong access".to_string());
            }
            let (rid, idx) = split(f.key);
            let r = self.region(rid).ok_or("grant for no region")?;
            if f.exclusive {
                self.set_exclusive_clean(inner, &r, idx);
            } else {
                self.set_state(inner, &r, idx, n as u64, granted_state(ga));
            }
            if ga == Access::Read {
                inner.seq.granted(f.key, n);
            }
            Ok(n)
        });
        match res {
            Ok(n) => {
                for x in &f.faults {
                    self.queue.finish(x.slot, true);
                }
                self.granted.lock().unwrap().push(Granted {
                    home: f.home,
                    key: f.key,
                    count: n,
                    faults: f.faults,
                    at: Instant::now(),
                });
                self.queue.ring();
            }
            Err(e) => {
                self.fail(format!("page {:#x} cannot be served: {e}", f.key));
                for x in &f.faults {
                    self.queue.finish(x.slot, false);
                }
            }
        }
    }
}

/// Read-ahead: a read fault at or just past the end of the last one's
/// pages doubles the window (up to the configured most); one a little
/// behind (an unrolled loop touches page k+1 before page k) keeps it; any
/// other starts again at one page.
#[derive(Default)]
struct Sequential {
    /// The last grant's pages: `first..next`.
    first: Key,
    next: Option<Key>,
    window: u32,
}

impl Sequential {
    fn window(&mut self, k: Key, max: u32) -> u32 {
        match self.next {
            Some(n) if k + 1 >= n && k <= n + 2 => {
                self.window = (self.window * 2).clamp(2, max);
            }
            Some(_) if k + 2 >= self.first && k < self.first + self.window as u64 => {}
            _ => self.window = 1,
        }
        self.window.max(1)
    }

    fn granted(&mut self, k: Key, n: u32) {
        self.first = k;
        self.next = Some(k + n as u64);
    }
}
