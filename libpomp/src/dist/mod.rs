//! Distributed mode (DESIGN.md section 3): one program's parallel regions
//! across the nodes of a `pomp run` job.
//!
//! Started from the library's constructor when `POMP_DIST=1` (set by the
//! launcher, with the transport's `POMP_NODE_ID`, `POMP_NODES` and job
//! secret). Every node starts the transport and the DSM, turns the
//! executable's `.data`/`.bss` and the main thread's stack range into DSM
//! memory whose home is node 0, and registers the DSM heap with the
//! preloaded `libpomp_heap.so`. Node 0 then returns to run `main`; every
//! other node parks its main thread for good and serves regions on a thread
//! whose stack is in the window, until node 0 says the program ended.
//!
//! A region started at level 0 on node 0 is split over the nodes in
//! proportion to their thread counts; each node runs a local team whose
//! thread numbers are contiguous (node 0 has 0 .. n0-1, node 1 the next n1,
//! ...), answering `omp_get_thread_num`/`omp_get_num_threads` with the
//! global values. Node 0 is the manager of everything cross-node: barriers
//! (each node's last arriving thread asks node 0, which answers when every
//! node has arrived), locks, critical sections and `GOMP_atomic_*` (keyed by
//! address or name, queued at node 0, never by bouncing the page that holds
//! the lock word), `single` and `copyprivate` (keyed by region and
//! construct number). Loops need no messages: each node takes the slice of
//! the iteration space that its threads' share of the team gives it, then
//! schedules it locally as the loop asks.

mod manager;
pub mod os;

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use pomp_dsm as dsm;
use pomp_transport::{self as tp, Event, Handle, Message};

use crate::icv::SchedKind;
use crate::loops::{Bounds, Counter, LoopStart, Sched};
use crate::team::Job;
use crate::work::LoopSpec;
use manager::{Manager, Ticket, Waiter};

/// What application threads hand to the outbox thread. Application threads
/// never write to the network themselves, nor to the manager's channel: a
/// thread holding a link's send lock, or the channel's waker lock, could
/// fault on its own stack (another node read it) and the fault needs the
/// progress thread, which may be waiting for that lock (it feeds the
/// manager). The outbox channel has no such user.
enum Out {
    Send {
        to: u32,
        kind: u16,
        header: Vec<u8>,
        payload: Vec<u8>,
    },
    Manager(Job0),
}

static OUTBOX: Mutex<Option<Sender<Out>>> = Mutex::new(None);

thread_local! {
    static OUTBOX_TX: std::cell::OnceCell<Sender<Out>> = const { std::cell::OnceCell::new() };
}

fn outbox(o: Out) {
    OUTBOX_TX.with(|c| {
        let tx = c.get_or_init(|| OUTBOX.lock().unwrap().clone().expect("the outbox runs"));
        let _ = tx.send(o);
    });
}

fn start_outbox(net: Handle) {
    let (tx, rx) = channel::<Out>();
    *OUTBOX.lock().unwrap() = Some(tx);
    let r = std::thread::Builder::new()
        .name("pomp-outbox".into())
        .spawn(move || {
            for o in rx {
                match o {
                    Out::Send {
                        to,
                        kind,
                        header,
                        payload,
                    } => {
                        if let Err(e) = net.send(to, kind, &header, &payload) {
                            lost(&e.to_string());
                        }
                    }
                    Out::Manager(j) => to_manager(j),
                }
            }
        });
    if let Err(e) = r {
        fail_start(&format!("cannot start a thread: {e}"));
    }
}

/// Message kinds of distributed mode (the DSM has 0x04xx).
pub mod kinds {
    /// Node 0 to a worker: run your share of a region.
    pub const REGION: u16 = 0x0500;
    /// A worker to node 0: my share of region `seq` has ended.
    pub const DONE: u16 = 0x0501;
    /// Request to node 0: my threads are at barrier `key`.
    pub const BARRIER: u16 = 0x0502;
    /// Request to node 0: grant me lock `key`.
    pub const LOCK: u16 = 0x0503;
    /// To node 0: I release lock `key`.
    pub const UNLOCK: u16 = 0x0504;
    /// Request to node 0: grant lock `key` if free (reply 1) or not (0).
    pub const TRYLOCK: u16 = 0x0505;
    /// Request to node 0: may my thread run `single` `key`? (1 or 0)
    pub const SINGLE: u16 = 0x0506;
    /// A worker to node 0: set up and serving.
    pub const READY: u16 = 0x0507;
    /// Node 0 to the workers: the program ended.
    pub const EXIT: u16 = 0x0508;
    /// Request to node 0: the executor of copyprivate `key`, or its data.
    pub const COPY_CLAIM: u16 = 0x0509;
    /// To node 0: the executor's copyprivate data for `key`.
    pub const COPY_SET: u16 = 0x050a;
    /// Node 0 to a worker: the answer (header: slot id, value) to one of
    /// BARRIER, LOCK, TRYLOCK, SINGLE, COPY_CLAIM (header: key, slot id),
    /// CLAIM, ORDERED_WAIT.
    pub const ANSWER: u16 = 0x050b;
    /// Request to node 0: the next block of dynamic or guided loop `key`
    /// (header: key, slot, n, chunk, kind, threads here, threads in all);
    /// the answer is its first iteration, or u64::MAX when none is left.
    pub const CLAIM: u16 = 0x050c;
    /// Request to node 0: answer when ordered loop `key`'s turn reaches
    /// iteration `a` (header: key, slot, a).
    pub const ORDERED_WAIT: u16 = 0x050d;
    /// To node 0: the chunk `a..b` of ordered loop `key` is done (header:
    /// key, a, b).
    pub const ORDERED_PASS: u16 = 0x050e;
    /// Request to node 0: the zeroed block of `size` bytes in DSM memory
    /// for construct `key` (GOMP's `mem` argument, a doacross table), the
    /// same for every node (header: key, slot, size); 0 if none.
    pub const WS_MEM: u16 = 0x050f;
    /// To node 0, and from node 0 to the other nodes: `cancel parallel`
    /// of region `key` (header: key, 0).
    pub const CANCEL_PARALLEL: u16 = 0x0510;
    /// As CANCEL_PARALLEL for `cancel for` / `cancel sections`: `key` is
    /// the region and the number of barriers its threads had passed (the
    /// construct's interval; cancelled constructs have no nowait).
    pub const CANCEL_WS: u16 = 0x0511;
}

/// Lock-manager keys for the unnamed critical section and `GOMP_atomic_*`
/// (named ones and OpenMP locks use their address, never this small).
const KEY_CRITICAL: u64 = 1;
const KEY_ATOMIC: u64 = 2;

/// The main thread's block of the executable's TLS (threadprivate
/// variables), if any: node 0 sends it with each region so that `copyin`,
/// which reads the primary thread's variables at their address, finds node
/// 0's values on every node.
static MAIN_TLS: OnceLock<Option<(usize, usize)>> = OnceLock::new();
/// Larger TLS blocks are not sent (copyin across nodes then sees the
/// initial values).
const MAX_TLS: usize = 1 << 20;

/// Whether this process is a node of a distributed job (set once, at start).
static ON: AtomicBool = AtomicBool::new(false);

/// Whether distributed mode is on.
///
/// Every entry point asks this first, so the distributed branch is marked
/// cold: the single-node path then falls through, with no taken jump, as
/// libgomp's entry points do. On the contended `critical` path it is the
/// short stretch between one thread's unlock and its next lock that decides
/// how often the lock changes hands, and each change costs a cache-line
/// transfer.
#[inline]
pub fn on() -> bool {
    if ON.load(Ordering::Relaxed) {
        std::hint::cold_path();
        true
    } else {
        false
    }
}

#[derive(Default)]
struct Stats {
    regions: AtomicU64,
    region_ns: AtomicU64,
    barrier_ns: AtomicU64,
    barriers: AtomicU64,
    locks: AtomicU64,
    /// Blocks of dynamic and guided loops claimed from node 0.
    claims: AtomicU64,
}

struct Dist {
    me: u32,
    nodes: u32,
    net: Handle,
    dsm: dsm::Dsm,
    /// Default threads per node (the team size is their sum unless
    /// `OMP_NUM_THREADS` or `num_threads` says otherwise).
    per_node: OnceLock<Vec<u32>>,
    nthreads_set: bool,
    exe: os::Exe,
    mgr: Manager,
    seq: AtomicU64,
    /// Node 0: DONE counts per region.
    done: Mutex<std::collections::HashMap<u64, u32>>,
    done_cv: Condvar,
    stats: Stats,
    start: Instant,
    /// `POMP_DISPLAY_STATS` (read at start: a worker's environment is gone
    /// by exit time): 0 off, 1 counters, 2 (`verbose`) also the pages that
    /// faulted most.
    show_stats: u8,
    /// Node 0's main-thread stack range in the window.
    main_stack: (usize, usize),
}

static DIST: OnceLock<&'static Dist> = OnceLock::new();

/// Work for node 0's manager thread. The transport's progress thread only
/// forwards here: it must never wait for a lock an application thread
/// holds, because an application thread may fault on a DSM page (its own
/// stack, read by another node) while holding it, and only the progress
/// thread can bring the acknowledgements that end the fault.
struct Job0 {
    kind: u16,
    key: u64,
    value: u64,
    from: u32,
    payload: Vec<u8>,
    waiter: Waiter,
}

static TO_MANAGER: Mutex<Option<Sender<Job0>>> = Mutex::new(None);

thread_local! {
    static MANAGER_TX: std::cell::OnceCell<Sender<Job0>> = const { std::cell::OnceCell::new() };
}

/// Hands a job to the manager thread (node 0).
fn to_manager(j: Job0) {
    MANAGER_TX.with(|c| {
        let tx = c.get_or_init(|| {
            TO_MANAGER
                .lock()
                .unwrap()
                .clone()
                .expect("the manager runs on node 0")
        });
        let _ = tx.send(j);
    });
}

/// Starts node 0's manager thread (before the transport, whose handler
/// feeds it).
fn start_manager() {
    let (tx, rx) = channel::<Job0>();
    *TO_MANAGER.lock().unwrap() = Some(tx);
    let r = std::thread::Builder::new()
        .name("pomp-manager".into())
        .spawn(move || {
            for j in rx {
                match j.kind {
                    kinds::READY => {
                        let l: Vec<u64> = u64s(&j.payload).collect();
                        let mut r = READY.lock().unwrap();
                        if !r.iter().any(|(k, _)| *k == j.from) {
                            r.push((j.from, l));
                        }
                        READY_CV.notify_all();
                    }
                    kinds::DONE => {
                        let dist = d();
                        *dist.done.lock().unwrap().entry(j.key).or_insert(0) += 1;
                        dist.done_cv.notify_all();
                    }
                    kinds::CANCEL_PARALLEL | kinds::CANCEL_WS => {
                        let dist = d();
                        // The other nodes first, on the links that will
                        // carry the barrier answers after it; then here;
                        // then the barrier waiters of a cancelled region.
                        for k in 1..dist.nodes {
                            if k != j.from {
                                let mut h = j.key.to_le_bytes().to_vec();
                                h.extend_from_slice(&0u64.to_le_bytes());
                                if let Err(e) = dist.net.send(k, j.kind, &h, &[]) {
                                    lost(&e.to_string());
                                }
                            }
                        }
                        apply_cancel(j.kind, j.key);
                        if j.kind == kinds::CANCEL_PARALLEL {
                            dist.mgr.cancel_region(&dist.net, j.key);
                        }
                    }
                    _ => {
                        let dist = d();
                        let args: Vec<u64> = u64s(&j.payload).collect();
                        dist.mgr
                            .serve(&dist.net, j.kind, j.key, j.value, &args, j.waiter);
                    }
                }
            }
        });
    if let Err(e) = r {
        fail_start(&format!("cannot start a thread: {e}"));
    }
}

/// Node 0: the workers' READY layouts, by node (kept outside [`Dist`]: a
/// fast worker's READY may arrive before node 0 has finished starting).
static READY: Mutex<Vec<(u32, Vec<u64>)>> = Mutex::new(Vec::new());
static READY_CV: Condvar = Condvar::new();
/// Keeps the transport node alive for the process (never dropped).
static NODE: OnceLock<tp::Node> = OnceLock::new();

impl Dist {
    /// Threads per node (the default team is their sum); set before the
    /// first region.
    fn per_node(&self) -> &[u32] {
        self.per_node.get().map_or(&[], Vec::as_slice)
    }
}

fn d() -> &'static Dist {
    DIST.get().copied().expect("distributed mode is on")
}

/// Fails the start of distributed mode: one line, exit status 1.
fn fail_start(msg: &str) -> ! {
    crate::sys::write_stderr_line(&format!("pomp: distributed start failed: {msg}"));
    os::die(1)
}

/// The description of this node's address layout that every node must
/// agree on: the shared ranges in order.
fn layout(exe: &os::Exe, stack: (usize, usize)) -> Vec<u64> {
    let mut v = Vec::new();
    for &(a, b) in &exe.data {
        v.push(a as u64);
        v.push(b as u64);
    }
    v.push(stack.0 as u64);
    v.push(stack.1 as u64);
    v
}

/// Called from the library's constructor. Does nothing unless `POMP_DIST`
/// is set; on a worker node it never returns.
pub fn init() {
    match std::env::var("POMP_DIST") {
        Ok(v) if v == "1" => {}
        Ok(v) if v.is_empty() || v == "0" => return,
        Ok(v) => {
            crate::sys::write_stderr_line(&format!(
                "pomp: warning: POMP_DIST={v:?} is not 0 or 1; running on one node"
            ));
            return;
        }
        Err(_) => return,
    }
    if let Err(e) = os::fixed_layout() {
        fail_start(&e);
    }
    // The constructor runs on the initial thread.
    MAIN_TID.store(crate::sys::gettid(), Ordering::Relaxed);
    let _ = MAIN_TLS.set(os::exe_tls().filter(|&(_, len)| len <= MAX_TLS));
    let me: u32 = std::env::var(tp::tcp::ENV_NODE_ID)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| fail_start("POMP_NODE_ID is not a node number"));
    if me == 0 {
        start(0);
    } else {
        // The main thread's stack becomes node 0's: serve from another
        // thread and never come back to `main`.
        let t = std::thread::Builder::new()
            .name("pomp-node".into())
            .spawn(move || start(me));
        if let Err(e) = t {
            fail_start(&format!("cannot start a thread: {e}"));
        }
        os::park_forever();
    }
}

/// A threads-per-node list, `a,b,...` with each count in 1..=4096 (the
/// launcher's `--threads-per-node` and `POMP_THREADS_PER_NODE`); None if
/// malformed.
pub fn parse_threads_per_node(s: &str) -> Option<Vec<u32>> {
    s.split(',')
        .map(|x| {
            x.trim()
                .parse::<u32>()
                .ok()
                .filter(|&n| (1..=4096).contains(&n))
        })
        .collect()
}

fn start(me: u32) {
    let per_node: Vec<u32> = match std::env::var("POMP_THREADS_PER_NODE") {
        Ok(s) => parse_threads_per_node(&s).unwrap_or_else(|| {
            fail_start(&format!(
                "POMP_THREADS_PER_NODE={s:?} is not a list of thread counts"
            ))
        }),
        Err(_) => Vec::new(),
    };
    if me == 0 {
        start_manager();
    }
    let port = dsm::Port::new();
    let dsm_handler = port.handler();
    let handler: tp::Handler = Box::new(move |net: &Handle, msg: Message| {
        let msg = dsm_handler(net, msg)?;
        handle(net, msg)
    });
    let node = tp::tcp::connect_from_env(tp::Config::from_env(), Some(handler))
        .unwrap_or_else(|e| fail_start(&format!("node {me}: transport: {e}")));
    let nodes = node.nodes();
    let cpus = crate::sys::available_cpus().max(1);
    // Given by the launcher, or learnt by node 0 from the READYs.
    let told = !per_node.is_empty();
    let per_node = if per_node.is_empty() {
        // Node 0 learns the others' CPUs from their READY.
        vec![cpus; nodes as usize]
    } else if per_node.len() as u32 != nodes {
        fail_start(&format!(
            "POMP_THREADS_PER_NODE lists {} nodes, the job has {nodes}",
            per_node.len()
        ))
    } else {
        per_node
    };
    let net = (*node).clone();
    let _ = NODE.set(node);
    start_outbox(net.clone());
    let dsm = dsm::Dsm::start(&port, net.clone(), dsm::Config::from_env())
        .unwrap_or_else(|e| fail_start(&e.to_string()));
    // Everything is read: the program's own children (system, popen) must
    // not take themselves for nodes of this job.
    os::forget_job_env();
    let exe = os::exe_layout(dsm.page_size()).unwrap_or_else(|e| fail_start(&e));
    if !exe.bind_now || exe.data_unaligned {
        fail_start(
            "the program was not linked with -z now, so its globals share a page with relocation \
             data; build it with `pomp cc` (or gcc -fopenmp -Wl,-z,now)",
        );
    }
    let stack =
        os::main_stack().unwrap_or_else(|| fail_start("cannot find the main thread's stack"));
    let span = os::stack_span().max(stack.1 - stack.0);
    let stack_range = (stack.1 - span, stack.1);
    let dist: &'static Dist = Box::leak(Box::new(Dist {
        me,
        nodes,
        net,
        dsm,
        per_node: OnceLock::new(),
        nthreads_set: std::env::var_os("OMP_NUM_THREADS").is_some(),
        exe,
        mgr: Manager::default(),
        seq: AtomicU64::new(0),
        done: Mutex::default(),
        done_cv: Condvar::new(),
        stats: Stats::default(),
        start: Instant::now(),
        show_stats: stats_level(std::env::var("POMP_DISPLAY_STATS").ok().as_deref()),
        main_stack: stack_range,
    }));
    let _ = DIST.set(dist);
    dist.dsm.track_pages(dist.show_stats >= 2);
    for &(a, b) in &dist.exe.data {
        // SAFETY: the executable's writable data past RELRO: private memory
        // of this process, shared in the same order on every node.
        unsafe { dist.dsm.share_existing(a, b - a, 0) }
            .unwrap_or_else(|e| fail_start(&e.to_string()));
    }
    let share_stack = move || {
        // SAFETY: the main thread's stack range; on node 0 the main thread
        // is parked in a system call meanwhile (`with_caller_parked`), on a
        // worker it is parked for good and never uses it again.
        unsafe { dist.dsm.share_existing_from(stack_range.0, span, 0, stack) }
            .unwrap_or_else(|e| fail_start(&e.to_string()));
    };
    if me == 0 {
        os::with_caller_parked(share_stack);
        os::ensure_altstack();
    } else {
        // The environment strings live at the top of the main stack, which
        // becomes node 0's: keep a node-local copy.
        os::localise_environ();
        share_stack();
    }
    register_heap();
    ON.store(true, Ordering::Release);
    let mine = layout(&dist.exe, stack_range);
    if me == 0 {
        let cpus_of = wait_ready(dist, &mine);
        let _ = dist.per_node.set(if told {
            per_node
        } else {
            (0..nodes)
                .map(|k| if k == 0 { cpus } else { cpus_of[k as usize] })
                .collect()
        });
        spawn_monitor();
        // SAFETY: registering a plain function.
        unsafe { libc::atexit(at_exit) };
    } else {
        let _ = dist.per_node.set(per_node);
        // The layout, then this node's CPUs.
        let bytes: Vec<u8> = mine
            .iter()
            .chain(std::iter::once(&u64::from(cpus)))
            .flat_map(|v| v.to_le_bytes())
            .collect();
        if let Err(e) = dist.net.send(0, kinds::READY, &[], &bytes) {
            fail_start(&format!("node {me}: {e}"));
        }
        serve(dist);
    }
}

/// Node 0 waits for every worker's READY; returns the CPUs of each node
/// (index 0 unused).
fn wait_ready(dist: &Dist, mine: &[u64]) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut r = READY.lock().unwrap();
    loop {
        // A READY is the layout and the node's CPUs.
        if let Some(&(k, _)) = r
            .iter()
            .find(|(_, l)| l.len() != mine.len() + 1 || l[..mine.len()] != *mine)
        {
            fail_start(&format!(
                "node {k}'s address layout differs from node 0's (the same program must run \
                 everywhere, without address randomisation, as `pomp run` starts it)"
            ));
        }
        if (1..dist.nodes).all(|k| r.iter().any(|(j, _)| *j == k)) {
            let mut cpus = vec![1; dist.nodes as usize];
            for (k, l) in r.iter() {
                if let (Some(c), Some(&v)) = (cpus.get_mut(*k as usize), l.last()) {
                    *c = v.clamp(1, 4096) as u32;
                }
            }
            return cpus;
        }
        let now = Instant::now();
        if now >= deadline {
            fail_start("the worker nodes did not finish starting within 60 s");
        }
        r = READY_CV.wait_timeout(r, deadline - now).unwrap().0;
    }
}

// ---------------------------------------------------------------- heap

#[repr(C)]
struct HeapOps {
    version: u32,
    wants: extern "C" fn(usize) -> bool,
    owns: extern "C" fn(usize) -> bool,
    malloc: extern "C" fn(usize) -> *mut c_void,
    memalign: extern "C" fn(usize, usize) -> *mut c_void,
    free: extern "C" fn(*mut c_void),
    usable_size: extern "C" fn(*const c_void) -> usize,
    prepare: extern "C" fn(*const c_void, usize, bool),
    fork: extern "C" fn(usize) -> i32,
}

extern "C" fn heap_wants(caller: usize) -> bool {
    let e = &d().exe;
    caller >= e.lo && caller < e.hi
}
extern "C" fn heap_owns(p: usize) -> bool {
    d().dsm.heap().contains(p)
}
extern "C" fn heap_malloc(size: usize) -> *mut c_void {
    d().dsm.heap().malloc(size).cast()
}
extern "C" fn heap_memalign(align: usize, size: usize) -> *mut c_void {
    d().dsm.heap().memalign(align, size).cast()
}
extern "C" fn heap_free(p: *mut c_void) {
    if let Err(e) = d().dsm.heap().free(p.cast()) {
        crate::fatal(&format!("free({p:p}): {e}"));
    }
}
extern "C" fn heap_usable(p: *const c_void) -> usize {
    d().dsm.heap().malloc_usable_size(p.cast())
}
/// Before the kernel reads `[p, p + len)` (or writes it, `write`): one
/// load per DSM page brings the page here, one atomic no-op store brings it
/// writable (a store the program could race with loses nothing: it is a
/// compare-and-swap of the value it read).
extern "C" fn heap_prepare(p: *const c_void, len: usize, write: bool) {
    let dsm = &d().dsm;
    let page = dsm.page_size();
    let (mut a, end) = (p as usize, (p as usize).saturating_add(len));
    while a < end {
        if dsm.is_shared(a) {
            // SAFETY: `a` lies in the caller's buffer and in a DSM page:
            // program memory that the DSM makes readable and writable on
            // demand (faults are served); byte atomics need no alignment.
            let b = unsafe { std::sync::atomic::AtomicU8::from_ptr(a as *mut u8) };
            let v = b.load(Ordering::Relaxed);
            if write {
                // A compare-and-swap is a write access even when it fails
                // (an idempotent fetch_add may be compiled to a load).
                let _ = b.compare_exchange(v, v, Ordering::Relaxed, Ordering::Relaxed);
            }
        }
        a = (a / page + 1) * page;
    }
}

/// Memory in the DSM window for the runtime's own objects that must be
/// reachable from any node (task argument blocks); null when full.
pub fn shared_alloc(layout: std::alloc::Layout) -> *mut u8 {
    d().dsm.heap().memalign(layout.align(), layout.size())
}

/// Frees a [`shared_alloc`] block.
pub fn shared_free(p: *mut u8) {
    if let Err(e) = d().dsm.heap().free(p) {
        crate::fatal(&format!("freeing a task block {p:p}: {e}"));
    }
}

// In a forked child the DSM heap is the parent's, frozen: blocks already
// there stay readable (a private copy) and are never freed or reused; new
// blocks come from glibc. Nothing here may take a lock another thread of
// the parent held at the fork.
extern "C" fn child_wants(_caller: usize) -> bool {
    false
}
extern "C" fn child_malloc(size: usize) -> *mut c_void {
    // SAFETY: plain malloc (the interposer hands it to glibc: the caller is
    // the runtime, not the program).
    unsafe { libc::malloc(size) }
}
extern "C" fn child_memalign(align: usize, size: usize) -> *mut c_void {
    // SAFETY: as above.
    unsafe { libc::memalign(align, size) }
}
extern "C" fn child_free(_p: *mut c_void) {}
extern "C" fn child_usable(p: *const c_void) -> usize {
    // A large block's size is kept under a lock (or by another node): 0,
    // so a realloc of it copies nothing (a documented limit).
    d().dsm.heap().small_size(p.cast()).unwrap_or(0)
}
extern "C" fn child_prepare(_p: *const c_void, _len: usize, _write: bool) {}
extern "C" fn child_fork(real: usize) -> i32 {
    // SAFETY: glibc's fork (the heap library's look-up), of this signature;
    // this process's memory is private again.
    unsafe { std::mem::transmute::<usize, unsafe extern "C" fn() -> i32>(real)() }
}

/// `fork` in distributed mode: glibc's `real` fork, called on a node-local
/// stack. The child runs on the caller's stack (DSM memory, shared with
/// the parent) from the system call until its fork handler has made that
/// memory private; on a stack of its own it writes nothing there.
extern "C" fn heap_fork(real: usize) -> i32 {
    struct Call {
        real: usize,
        pid: i32,
    }
    extern "C" fn go(arg: *mut c_void) {
        // SAFETY: `arg` is the `Call` below, alive during the call.
        let c = unsafe { &mut *arg.cast::<Call>() };
        let mut fds = [-1i32; 2];
        // SAFETY: a pipe for the child's "copied" signal, close-on-exec.
        let piped = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } == 0;
        FORK_PIPE.store(if piped { fds[1] } else { -1 }, Ordering::Release);
        // SAFETY: glibc's fork, of this signature.
        c.pid = unsafe { std::mem::transmute::<usize, unsafe extern "C" fn() -> i32>(c.real)() };
        if piped && c.pid != 0 {
            // The parent: its stack (and everything else of DSM memory) is
            // the child's too until the child has copied it; wait for that
            // (a byte, or the end of the pipe if the child died first).
            FORK_PIPE.store(-1, Ordering::Release);
            let mut b = 0u8;
            // SAFETY: our own pipe's ends; a one-byte local buffer.
            unsafe {
                libc::close(fds[1]);
                if c.pid > 0 {
                    while libc::read(fds[0], (&mut b as *mut u8).cast(), 1) < 0
                        && *libc::__errno_location() == libc::EINTR
                    {}
                }
                libc::close(fds[0]);
            }
        }
    }
    let mut c = Call { real, pid: -1 };
    // SAFETY: `go` takes a pointer to a live `Call`.
    if !unsafe { os::on_local_stack(go, (&mut c as *mut Call).cast()) } {
        // SAFETY: this thread's errno.
        unsafe { *libc::__errno_location() = libc::ENOMEM };
        return -1;
    }
    c.pid
}

static CHILD_OPS: HeapOps = HeapOps {
    version: 3,
    wants: child_wants,
    owns: heap_owns,
    malloc: child_malloc,
    memalign: child_memalign,
    free: child_free,
    usable_size: child_usable,
    prepare: child_prepare,
    fork: child_fork,
};

/// `pthread_atfork`'s child handler: the child of a node is a process of
/// its own, with a private copy of the node's DSM memory (the parent's is
/// shared memory: writing it would corrupt the parent), no DSM service and
/// no job.
extern "C" fn forked_child() {
    if !on() {
        return;
    }
    ON.store(false, Ordering::Release);
    extern "C" fn privatize(_: *mut c_void) {
        // SAFETY: the child handler runs in the new child, on its only
        // thread, before fork() returns there.
        unsafe { d().dsm.forked_child() };
    }
    // The copy replaces the memory under the caller's stack: it must not
    // change meanwhile, so the copy runs on a stack of its own.
    // SAFETY: `privatize` ignores its argument.
    if !unsafe { os::on_local_stack(privatize, std::ptr::null_mut()) } {
        crate::sys::write_stderr_line("pomp: forked child: no memory for its own stack");
        os::die(127);
    }
    // Tell the parent (waiting in `heap_fork`) that it may go on.
    let w = FORK_PIPE.swap(-1, Ordering::AcqRel);
    if w >= 0 {
        // SAFETY: the pipe's write end, inherited; a one-byte literal.
        unsafe {
            libc::write(w, b"c".as_ptr().cast(), 1);
            libc::close(w);
        }
    }
    let f = HEAP_REGISTER.load(Ordering::Acquire);
    if !f.is_null() {
        type Reg = unsafe extern "C" fn(*const HeapOps) -> u32;
        // SAFETY: libpomp_heap's registration function (looked up at
        // start), of this signature; CHILD_OPS is static.
        unsafe { std::mem::transmute::<*mut c_void, Reg>(f)(&CHILD_OPS) };
    }
}

/// The write end of the pipe on which a forked child tells its parent it
/// has copied the DSM memory (-1: no fork under way).
static FORK_PIPE: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);

/// libpomp_heap's `pomp_heap_register`, once found.
static HEAP_REGISTER: std::sync::atomic::AtomicPtr<c_void> =
    std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());

static OPS: HeapOps = HeapOps {
    version: 3,
    wants: heap_wants,
    owns: heap_owns,
    malloc: heap_malloc,
    memalign: heap_memalign,
    free: heap_free,
    usable_size: heap_usable,
    prepare: heap_prepare,
    fork: heap_fork,
};

fn register_heap() {
    // SAFETY: dlsym with a NUL-terminated name.
    let f = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"pomp_heap_register".as_ptr()) };
    if f.is_null() {
        fail_start("libpomp_heap.so is not preloaded (start the program with `pomp run`)");
    }
    type Reg = unsafe extern "C" fn(*const HeapOps) -> u32;
    // SAFETY: the symbol is libpomp_heap's registration function, of this
    // signature; OPS is static.
    let v = unsafe { std::mem::transmute::<*mut c_void, Reg>(f)(&OPS) };
    if v != OPS.version {
        fail_start(&format!(
            "libpomp_heap.so speaks heap interface {v}, this runtime {}",
            OPS.version
        ));
    }
    HEAP_REGISTER.store(f, Ordering::Release);
    // SAFETY: registering a plain function as the fork child handler.
    unsafe { libc::pthread_atfork(None, None, Some(forked_child)) };
}

// ---------------------------------------------------------------- messages

fn u64s(b: &[u8]) -> impl Iterator<Item = u64> + '_ {
    b.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
}

fn key_of(msg: &Message) -> Option<u64> {
    (msg.header.len() >= 8).then(|| u64::from_le_bytes(msg.header[..8].try_into().unwrap()))
}

fn slot_of(msg: &Message) -> Option<u64> {
    (msg.header.len() == 16).then(|| u64::from_le_bytes(msg.header[8..].try_into().unwrap()))
}

fn refuse(net: &Handle, msg: &Message, why: &str) {
    crate::sys::write_stderr_line(&format!(
        "pomp: node {}: refused a message of kind {:#06x} from node {}: {why}",
        net.id(),
        msg.kind,
        msg.from
    ));
    if msg.is_request() {
        let _ = net.reply_error(msg, why);
    }
}

/// The transport handler for distributed-mode messages (on the progress
/// thread; never blocks).
fn handle(net: &Handle, msg: Message) -> Option<Message> {
    if net.id() != 0 {
        return match msg.kind {
            kinds::ANSWER if msg.from == 0 && msg.header.len() == 16 => {
                let mut w = u64s(&msg.header);
                let (id, v) = (w.next().unwrap_or(0), w.next().unwrap_or(0));
                if !manager::give(id, v) {
                    refuse(net, &msg, "an answer nobody waits for");
                }
                None
            }
            kinds::REGION | kinds::EXIT if msg.from == 0 => Some(msg),
            kinds::CANCEL_PARALLEL | kinds::CANCEL_WS
                if msg.from == 0 && msg.header.len() == 16 =>
            {
                apply_cancel(msg.kind, key_of(&msg).unwrap_or(0));
                None
            }
            _ => {
                refuse(net, &msg, "not a message a worker node serves");
                None
            }
        };
    }
    let key = key_of(&msg);
    let (kind, from, k) = (msg.kind, msg.from, key.unwrap_or(0));
    let job = move |value: u64, payload: Vec<u8>, waiter: Waiter| Job0 {
        kind,
        key: k,
        value,
        from,
        payload,
        waiter,
    };
    match msg.kind {
        kinds::READY => to_manager(Job0 {
            kind: msg.kind,
            key: 0,
            value: 0,
            from: msg.from,
            payload: msg.payload,
            waiter: Waiter::None,
        }),
        kinds::DONE | kinds::CANCEL_PARALLEL | kinds::CANCEL_WS if key.is_some() => {
            to_manager(job(0, Vec::new(), Waiter::None))
        }
        kinds::BARRIER | kinds::LOCK | kinds::TRYLOCK | kinds::SINGLE | kinds::COPY_CLAIM
            if slot_of(&msg).is_some() =>
        {
            let slot = slot_of(&msg).unwrap_or(0);
            to_manager(job(0, Vec::new(), Waiter::Remote(from, slot)))
        }
        kinds::CLAIM | kinds::ORDERED_WAIT | kinds::WS_MEM
            if msg.header.len() == 16 + 8 * args_of(msg.kind) =>
        {
            let slot = u64s(&msg.header[8..16]).next().unwrap_or(0);
            to_manager(job(
                0,
                msg.header[16..].to_vec(),
                Waiter::Remote(from, slot),
            ))
        }
        kinds::ORDERED_PASS if msg.header.len() == 24 => {
            to_manager(job(0, msg.header[8..].to_vec(), Waiter::None))
        }
        kinds::UNLOCK | kinds::COPY_SET if slot_of(&msg).is_some() => {
            to_manager(job(slot_of(&msg).unwrap_or(0), Vec::new(), Waiter::None))
        }
        kinds::DONE
        | kinds::BARRIER
        | kinds::LOCK
        | kinds::TRYLOCK
        | kinds::SINGLE
        | kinds::COPY_CLAIM
        | kinds::UNLOCK
        | kinds::COPY_SET
        | kinds::CLAIM
        | kinds::ORDERED_WAIT
        | kinds::ORDERED_PASS
        | kinds::WS_MEM
        | kinds::CANCEL_PARALLEL
        | kinds::CANCEL_WS => refuse(net, &msg, "malformed"),
        _ => refuse(net, &msg, "not a message node 0 serves"),
    }
    None
}

/// The arguments after key and slot that a request of `kind` carries.
fn args_of(kind: u16) -> usize {
    match kind {
        kinds::CLAIM => 5,
        kinds::ORDERED_WAIT | kinds::WS_MEM => 1,
        _ => 0,
    }
}

/// Asks node 0's manager: through the manager directly on node 0, by a
/// request elsewhere. Returns the answer.
fn ask(kind: u16, key: u64) -> u64 {
    ask_with(kind, key, &[])
}

/// [`ask`] with arguments.
fn ask_with(kind: u16, key: u64, args: &[u64]) -> u64 {
    let dist = d();
    let t = Ticket::claim();
    let bytes = || {
        args.iter()
            .flat_map(|a| a.to_le_bytes())
            .collect::<Vec<u8>>()
    };
    if dist.me == 0 {
        outbox(Out::Manager(Job0 {
            kind,
            key,
            value: 0,
            from: 0,
            payload: bytes(),
            waiter: Waiter::Local(t.id()),
        }));
    } else {
        let mut header = key.to_le_bytes().to_vec();
        header.extend_from_slice(&t.id().to_le_bytes());
        header.extend(bytes());
        outbox(Out::Send {
            to: 0,
            kind,
            header,
            payload: Vec::new(),
        });
    }
    t.wait()
}

/// Tells node 0's manager something that needs no answer.
fn tell(kind: u16, key: u64, value: u64) {
    let dist = d();
    if dist.me == 0 {
        outbox(Out::Manager(Job0 {
            kind,
            key,
            value,
            from: 0,
            payload: Vec::new(),
            waiter: Waiter::None,
        }));
    } else {
        let mut header = key.to_le_bytes().to_vec();
        header.extend_from_slice(&value.to_le_bytes());
        outbox(Out::Send {
            to: 0,
            kind,
            header,
            payload: Vec::new(),
        });
    }
}

/// The job cannot go on: a peer failed while this node needed it.
fn lost(why: &str) -> ! {
    crate::sys::write_stderr_line(&format!("pomp: node {}: {why}; ending the job", d().me));
    os::die(1)
}

// ---------------------------------------------------------------- node 0

/// Node 0 watches for failed peers (the program's threads are busy).
fn spawn_monitor() {
    let r = std::thread::Builder::new()
        .name("pomp-monitor".into())
        .spawn(|| {
            let node = NODE.get().expect("node");
            loop {
                match node.recv() {
                    _ if EXITING.load(Ordering::Acquire) => return,
                    Ok(Event::PeerFailed { node: k, reason }) => {
                        lost(&format!("node {k} failed: {reason}"))
                    }
                    Ok(Event::PeerLeft { node: k }) => {
                        lost(&format!("node {k} left the job early"))
                    }
                    Ok(Event::Message(m)) => refuse(node, &m, "unexpected"),
                    Err(_) => return,
                }
            }
        });
    if let Err(e) = r {
        fail_start(&format!("cannot start a thread: {e}"));
    }
}

/// The program's initial thread (node 0 runs `main` on it).
static MAIN_TID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Node 0 is in `exit`: workers leaving now is the normal end.
static EXITING: AtomicBool = AtomicBool::new(false);

extern "C" fn at_exit() {
    if !on() {
        return;
    }
    EXITING.store(true, Ordering::Release);
    let dist = d();
    print_stats(dist);
    // The workers print their statistics and exit; a failure after this
    // point is not the program's.
    let _ = dist.net.broadcast(kinds::EXIT, &[], &[]);
}

// ---------------------------------------------------------------- regions

/// A team's place in a distributed region (kept in the local team).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DistTeam {
    /// The region's number, equal on every node.
    pub seq: u64,
    /// The global number of this node's first thread.
    pub base: u32,
    /// This node's threads.
    pub local: u32,
    /// The team's size across nodes.
    pub total: u32,
    /// Nodes taking part.
    pub nodes: u32,
    /// The team's construct number before the region's first construct:
    /// constructs are named to node 0 relative to it, equal on every node.
    pub ws_base: u64,
}

impl DistTeam {
    /// Node 0's key of construct `k` of this region.
    pub fn key(&self, k: u64) -> u64 {
        (self.seq << 32) | (k.wrapping_sub(self.ws_base) & 0xffff_ffff)
    }

    /// Loop (or sections) construct `k` as this node runs it: static
    /// schedules over the whole team by global thread number (no
    /// messages); dynamic and guided ones claim blocks from node 0
    /// (`loops::next_claimed`); ordered ones pass the turn through node 0.
    pub fn distribute(&self, spec: LoopSpec, k: u64) -> LoopSpec {
        if self.nodes <= 1 || self.total <= self.local {
            return spec;
        }
        LoopSpec {
            nthreads: self.total,
            tid_base: self.base,
            dist_key: self.key(k),
            dist_local: self.local,
            dist_total: self.total,
            ..spec
        }
    }
}

thread_local! {
    /// A worker's region about to start on this thread.
    static PENDING: std::cell::Cell<Option<DistTeam>> = const { std::cell::Cell::new(None) };
}

fn sched_to(s: Sched) -> u64 {
    match s {
        Sched::Runtime => 0,
        Sched::Static => 1,
        Sched::Dynamic => 2,
        Sched::Guided => 3,
        Sched::Auto => 4,
        Sched::NonmonotonicDynamic => 5,
    }
}

fn sched_from(v: u64) -> Sched {
    match v {
        1 => Sched::Static,
        2 => Sched::Dynamic,
        3 => Sched::Guided,
        4 => Sched::Auto,
        5 => Sched::NonmonotonicDynamic,
        _ => Sched::Runtime,
    }
}

/// A task's ICVs as a worker needs them for a region's implicit tasks:
/// nthreads-var, dyn-var, max-active-levels, thread-limit, run-sched (kind,
/// chunk, monotonic), bind-var, default-device, as little-endian u64s.
/// The length of [`icv_to_bytes`]'s result.
const ICV_BYTES: usize = 9 * 8;

fn icv_to_bytes(icv: &crate::icv::TaskIcv) -> Vec<u8> {
    [
        u64::from(icv.nthreads),
        u64::from(icv.dynamic),
        u64::from(icv.max_active_levels),
        u64::from(icv.thread_limit),
        icv.run_sched.kind as u64,
        icv.run_sched.chunk as u64,
        u64::from(icv.run_sched.monotonic),
        icv.bind as u64,
        icv.default_device as u64,
    ]
    .iter()
    .flat_map(|v| v.to_le_bytes())
    .collect()
}

/// The ICVs node 0 sent with a region over `local` (the rest: this
/// thread's); None if malformed.
fn icv_from_bytes(b: &[u8], local: &crate::icv::TaskIcv) -> Option<crate::icv::TaskIcv> {
    let v: Vec<u64> = u64s(b).collect();
    let [nthreads, dynamic, mal, limit, kind, chunk, mono, bind, dev] = v[..] else {
        return None;
    };
    if nthreads == 0 || nthreads > u64::from(u32::MAX) || dynamic > 1 || mono > 1 {
        return None;
    }
    Some(crate::icv::TaskIcv {
        nthreads: nthreads as u32,
        dynamic: dynamic == 1,
        max_active_levels: mal.min(u64::from(u32::MAX)) as u32,
        thread_limit: limit.min(u64::from(u32::MAX)) as u32,
        run_sched: crate::icv::Schedule {
            kind: SchedKind::from_omp(kind as i32)?,
            chunk: chunk as i64,
            monotonic: mono == 1,
        },
        bind: crate::icv::ProcBind::from_raw(bind as u32)?,
        default_device: dev as i32,
        ..*local
    })
}

/// What a region's preset is, as `parallel::begin` sees it.
pub enum PresetKind<'a> {
    None,
    Loop(&'a LoopStart),
    Sections(u32),
    /// Not distributable (task reductions on `parallel`).
    Other,
}

/// Decides whether a region the calling thread starts is distributed and,
/// on node 0, sends it to the other nodes. Returns this node's part.
pub fn region_begin(
    thr: &crate::thread::Thread,
    job: Job,
    requested: u32,
    proc_bind: u32,
    preset: PresetKind,
) -> Option<DistTeam> {
    if let Some(p) = PENDING.with(|c| c.take()) {
        return Some(p);
    }
    let dist = d();
    if dist.me != 0 || thr.level.get() != 0 || matches!(preset, PresetKind::Other) {
        return None;
    }
    // Only the program's initial thread spreads regions over the nodes (one
    // distributed region at a time); a thread the program started itself
    // has its stack in local memory, which other nodes cannot reach: its
    // regions run on node 0 alone, as do regions whose data is not DSM
    // memory.
    if crate::sys::gettid() != MAIN_TID.load(Ordering::Relaxed)
        || (!job.data.is_null() && !dist.dsm.is_shared(job.data as usize))
    {
        return None;
    }
    if thr.icv.get().max_active_levels == 0 {
        return None;
    }
    let total = if requested > 0 {
        requested
    } else if dist.nthreads_set {
        thr.icv.get().nthreads
    } else {
        dist.per_node().iter().sum()
    }
    // OMP_THREAD_LIMIT bounds the team wherever its threads run.
    .min(thr.icv.get().thread_limit.max(1))
    .clamp(1, crate::team::MAX_TEAM);
    let counts = split(total, dist.per_node());
    let seq = dist.seq.fetch_add(1, Ordering::Relaxed) + 1;
    let nodes = counts.iter().filter(|&&c| c > 0).count() as u32;
    let rs = thr.icv.get().run_sched;
    // The encountering task's ICVs, for the workers' implicit tasks.
    let mut icv_bytes = icv_to_bytes(&thr.icv.get());
    // The primary thread's threadprivate variables, for `copyin`.
    if let Some(Some(block)) = MAIN_TLS.get() {
        icv_bytes.extend_from_slice(&(block.0 as u64).to_le_bytes());
        icv_bytes.extend(os::read_tls(*block));
    }
    // Before any worker can arrive at a barrier of this region.
    dist.mgr.begin_region(seq, nodes);
    let mut base = counts[0];
    for (k, &c) in counts.iter().enumerate().skip(1) {
        if c == 0 {
            continue;
        }
        let mut h: Vec<u64> = vec![
            seq,
            job.func as usize as u64,
            job.data as u64,
            u64::from(total),
            u64::from(base),
            u64::from(c),
            u64::from(nodes),
            u64::from(proc_bind),
            rs.kind as u64,
            rs.chunk as u64,
        ];
        match &preset {
            PresetKind::Loop(req) => h.extend([
                1,
                req.bounds.start,
                req.bounds.end,
                req.bounds.incr,
                match req.bounds.kind {
                    Counter::Long => 0,
                    Counter::Ull { up: true } => 1,
                    Counter::Ull { up: false } => 2,
                },
                sched_to(req.sched),
                req.chunk as u64,
            ]),
            PresetKind::Sections(n) => h.extend([2, u64::from(*n)]),
            _ => h.push(0),
        }
        let bytes: Vec<u8> = h.iter().flat_map(|v| v.to_le_bytes()).collect();
        outbox(Out::Send {
            to: k as u32,
            kind: kinds::REGION,
            header: bytes,
            payload: icv_bytes.clone(),
        });
        base += c;
    }
    dist.stats.regions.fetch_add(1, Ordering::Relaxed);
    // Node 0 opens one distributed region at a time (from its main thread).
    REGION_T0.store(dist.start.elapsed().as_nanos() as u64, Ordering::Relaxed);
    Some(DistTeam {
        seq,
        base: 0,
        local: counts[0],
        total,
        nodes,
        ws_base: 0,
    })
}

/// Ends this node's part of a distributed region: a worker reports, node 0
/// waits for every worker's report.
pub fn region_end(t: DistTeam) {
    CURRENT.lock().unwrap_or_else(|e| e.into_inner()).team = 0;
    let dist = d();
    if dist.me != 0 {
        outbox(Out::Send {
            to: 0,
            kind: kinds::DONE,
            header: t.seq.to_le_bytes().to_vec(),
            payload: Vec::new(),
        });
        return;
    }
    let want = t.nodes - 1;
    let mut done = dist.done.lock().unwrap();
    while done.get(&t.seq).copied().unwrap_or(0) < want {
        done = dist.done_cv.wait(done).unwrap();
    }
    done.remove(&t.seq);
    drop(done);
    dist.mgr.end_region(t.seq);
    let ns =
        (dist.start.elapsed().as_nanos() as u64).saturating_sub(REGION_T0.load(Ordering::Relaxed));
    dist.stats.region_ns.fetch_add(ns, Ordering::Relaxed);
}

/// When node 0 opened the running region (ns since start).
static REGION_T0: AtomicU64 = AtomicU64::new(0);

/// Splits `total` threads over nodes in proportion to `weights`; node 0
/// gets at least one (it runs the primary thread).
fn split(total: u32, weights: &[u32]) -> Vec<u32> {
    let w: u64 = weights.iter().map(|&x| u64::from(x)).sum::<u64>().max(1);
    let mut c: Vec<u32> = weights
        .iter()
        .map(|&x| (u64::from(total) * u64::from(x) / w) as u32)
        .collect();
    let mut left = total - c.iter().sum::<u32>();
    let mut k = 0;
    let len = c.len();
    while left > 0 {
        c[k % len] += 1;
        left -= 1;
        k += 1;
    }
    if c[0] == 0 {
        if let Some(j) = c.iter().rposition(|&x| x > 0) {
            c[j] -= 1;
        }
        c[0] = 1;
    }
    c
}

/// A worker node's life: run regions until node 0 says the program ended.
fn serve(dist: &'static Dist) {
    // Regions run on a thread whose stack is DSM memory.
    let size = crate::sys::default_thread_stack_size().max(1 << 20);
    let stack = dist.dsm.heap().alloc_stack(size);
    if stack.is_null() {
        fail_start("cannot allocate a thread stack in the DSM window");
    }
    let body = Box::new(move || serve_loop(dist));
    // SAFETY: a fresh stack from the DSM heap, never freed.
    if let Err(e) = unsafe { os::spawn_on_stack(stack, size, body) } {
        fail_start(&e);
    }
}

fn serve_loop(dist: &'static Dist) {
    let node = NODE.get().expect("node");
    loop {
        match node.recv() {
            Ok(Event::Message(m)) if m.kind == kinds::REGION => run_region(dist, &m),
            Ok(Event::Message(m)) if m.kind == kinds::EXIT => {
                print_stats(dist);
                // The program's exit handlers belong to node 0 (main ran
                // there); here only this node's output is flushed. Nothing
                // after this may touch DSM memory: node 0 is going away.
                os::flush_and_exit(0)
            }
            Ok(Event::Message(m)) => refuse(node, &m, "unexpected"),
            Ok(Event::PeerFailed { node: k, reason }) => {
                exit_if_ending(node, dist);
                lost(&format!("node {k} failed: {reason}"))
            }
            Ok(Event::PeerLeft { node: k }) => {
                exit_if_ending(node, dist);
                if k == 0 {
                    // Node 0 ended without saying EXIT: it crashed or was
                    // killed between its last region and exit.
                    lost("node 0 left the job")
                }
                lost(&format!("node {k} left the job early"))
            }
            Err(e) => lost(&e.to_string()),
        }
    }
}

/// Another worker ending is normal when node 0 has just said EXIT (the
/// links are independent, so its EXIT may still be on the way): wait a
/// moment for it before calling the job failed.
fn exit_if_ending(node: &tp::Node, dist: &Dist) {
    let until = Instant::now() + Duration::from_millis(1000);
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        match node.recv_timeout(left) {
            Ok(Some(Event::Message(m))) if m.kind == kinds::EXIT => {
                print_stats(dist);
                os::flush_and_exit(0)
            }
            Ok(Some(_)) => continue,
            _ => return,
        }
    }
}

/// The fixed part of a REGION header, checked.
#[derive(Debug, PartialEq, Eq)]
struct RegionHead {
    seq: u64,
    func: usize,
    data: usize,
    total: u32,
    base: u32,
    local: u32,
    nodes: u32,
}

/// Checks a REGION header: a function start of the program (`is_func`),
/// data in DSM memory (`is_dsm`) or null, sane thread counts.
fn check_region(
    h: &[u64],
    is_func: impl Fn(usize) -> bool,
    is_dsm: impl Fn(usize) -> bool,
) -> Result<RegionHead, String> {
    if h.len() < 11 {
        return Err("malformed region".into());
    }
    let (func, data) = (h[1] as usize, h[2] as usize);
    if !is_func(func) {
        return Err(format!("{func:#x} is not a function of the program"));
    }
    if data != 0 && !is_dsm(data) {
        return Err(format!("data address {data:#x} is not DSM memory"));
    }
    let (total, base, local, nodes) = (h[3], h[4], h[5], h[6]);
    if local == 0
        || base.saturating_add(local) > total
        || total > u64::from(crate::team::MAX_TEAM)
        || nodes == 0
        || nodes > u64::from(u32::MAX)
    {
        return Err("bad thread counts".into());
    }
    Ok(RegionHead {
        seq: h[0],
        func,
        data,
        total: total as u32,
        base: base as u32,
        local: local as u32,
        nodes: nodes as u32,
    })
}

fn run_region(dist: &Dist, m: &Message) {
    let h: Vec<u64> = u64s(&m.header).collect();
    let head = check_region(
        &h,
        |f| dist.exe.funcs.binary_search(&f).is_ok(),
        |a| dist.dsm.is_shared(a),
    );
    let RegionHead {
        seq,
        func,
        data,
        total,
        base,
        local,
        nodes,
    } = match head {
        Ok(x) => x,
        // Node 0 would wait for this node's part for ever: end the job.
        Err(why) => lost(&format!("refused a region from node {}: {why}", m.from)),
    };
    // The region's implicit tasks start from node 0's encountering task's
    // ICVs, as they would on one node.
    let thr = crate::thread::current();
    let (icv_part, tls_part) = m.payload.split_at(m.payload.len().min(ICV_BYTES));
    if tls_part.len() > 8 {
        let addr = u64s(&tls_part[..8]).next().unwrap_or(0) as usize;
        os::put_main_tls(MAIN_TLS.get().copied().flatten(), addr, &tls_part[8..]);
    }
    let Some(icv) = icv_from_bytes(icv_part, &thr.icv.get()) else {
        lost(&format!(
            "refused a region from node {}: malformed ICVs",
            m.from
        ))
    };
    thr.icv.set(icv);
    // SAFETY: checked above to be a function start of the program; GCC's
    // outlined region bodies take one pointer argument.
    let func = unsafe { std::mem::transmute::<usize, unsafe extern "C" fn(*mut c_void)>(func) };
    let job = Job {
        func,
        data: data as *mut c_void,
    };
    let t = DistTeam {
        seq,
        base,
        local,
        total,
        nodes,
        ws_base: 0,
    };
    let t0 = Instant::now();
    PENDING.with(|c| c.set(Some(t)));
    let proc_bind = h[7] as u32;
    match h[10] {
        1 if h.len() >= 17 => {
            let kind = match h[14] {
                0 => Counter::Long,
                1 => Counter::Ull { up: true },
                _ => Counter::Ull { up: false },
            };
            let req = LoopStart {
                bounds: Bounds {
                    start: h[11],
                    end: h[12],
                    incr: h[13],
                    kind,
                },
                sched: sched_from(h[15]),
                chunk: h[16] as i64,
                ordered: false,
                doacross: None,
                mem: None,
                reductions: None,
            };
            crate::parallel::run(job, local, proc_bind, crate::parallel::Preset::Loop(&req));
        }
        2 if h.len() >= 12 => {
            crate::parallel::run(
                job,
                local,
                proc_bind,
                crate::parallel::Preset::Sections(h[11] as u32),
            );
        }
        _ => {
            crate::parallel::run(job, local, proc_bind, crate::parallel::Preset::None);
        }
    }
    dist.stats.regions.fetch_add(1, Ordering::Relaxed);
    dist.stats
        .region_ns
        .fetch_add(t0.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

// ---------------------------------------------------------------- sync

/// This node's team of the distributed region running here, and
/// `cancel parallel` notices that came before their region started here.
struct Current {
    seq: u64,
    /// The team's address (0: none).
    team: usize,
    early: Vec<u64>,
}

/// Held only for a few instructions (never while touching DSM memory), so
/// the progress thread may take it.
static CURRENT: Mutex<Current> = Mutex::new(Current {
    seq: 0,
    team: 0,
    early: Vec::new(),
});

/// This node's team of region `seq` starts, set up (`team` stays valid
/// until [`region_end`]); a cancellation that came first applies now.
pub fn set_current(seq: u64, team: &crate::team::Team) {
    let mut c = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
    c.seq = seq;
    c.team = team as *const crate::team::Team as usize;
    if let Some(i) = c.early.iter().position(|&s| s == seq) {
        c.early.swap_remove(i);
        team.bar.cancel();
    }
    c.early.retain(|&s| s > seq);
}

/// The cancelled construct interval of this node's running region (see
/// `CANCEL_WS`), 0 if none.
static WS_CANCELLED: AtomicU64 = AtomicU64::new(0);

/// Cancellation of region `key >> 32` (CANCEL_WS) or `key` (parallel)
/// reached this node: apply it to that region's team here, now or when
/// it starts.
fn apply_cancel(kind: u16, key: u64) {
    if kind == kinds::CANCEL_WS {
        // Keyed by region and construct interval: never stale.
        WS_CANCELLED.store(key, Ordering::Release);
        return;
    }
    let mut c = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
    if c.seq != key || c.team == 0 {
        if key > c.seq && c.early.len() < 64 {
            c.early.push(key);
        }
        return;
    }
    // SAFETY: `CURRENT` names the team only while its region runs here
    // (cleared under this lock before the team is reused).
    let team = unsafe { &*(c.team as *const crate::team::Team) };
    team.bar.cancel();
    team.tasks.ec.notify_all();
}

/// `cancel parallel` in a distributed team: the other nodes' threads.
pub fn cancel_parallel(t: &DistTeam) {
    if t.nodes > 1 {
        tell(kinds::CANCEL_PARALLEL, t.seq, 0);
    }
}

/// `cancel for` / `cancel sections` in a distributed team, by a thread
/// that had passed `bars` barriers of the region.
pub fn cancel_ws(t: &DistTeam, bars: u32) {
    let key = (t.seq << 32) | u64::from(bars);
    WS_CANCELLED.store(key, Ordering::Release);
    if t.nodes > 1 {
        tell(kinds::CANCEL_WS, key, 0);
    }
}

/// Whether the construct interval `bars` of region `t` was cancelled on
/// another node.
pub fn ws_cancelled(t: &DistTeam, bars: u32) -> bool {
    WS_CANCELLED.load(Ordering::Acquire) == (t.seq << 32) | u64::from(bars)
}

/// The node-level half of a barrier of a distributed team: called by the
/// node's last arriving thread before it releases the others. `true` if
/// the region was cancelled instead (on another node).
pub fn barrier(t: &DistTeam, count: u32) -> bool {
    if t.nodes <= 1 {
        return false;
    }
    let t0 = Instant::now();
    let a = ask(kinds::BARRIER, (t.seq << 32) | u64::from(count));
    let s = &d().stats;
    s.barriers.fetch_add(1, Ordering::Relaxed);
    s.barrier_ns
        .fetch_add(t0.elapsed().as_nanos() as u64, Ordering::Relaxed);
    a == manager::BARRIER_CANCELLED
}

/// Takes the job-wide lock `key` (an address, or one of the fixed keys).
pub fn lock(key: u64) {
    d().stats.locks.fetch_add(1, Ordering::Relaxed);
    ask(kinds::LOCK, key);
}

/// Takes lock `key` if free.
pub fn try_lock(key: u64) -> bool {
    d().stats.locks.fetch_add(1, Ordering::Relaxed);
    ask(kinds::TRYLOCK, key) != 0
}

/// Releases lock `key`.
pub fn unlock(key: u64) {
    tell(kinds::UNLOCK, key, 0);
}

/// The nestable locks this node holds: address -> (owner, depth). An owner
/// (a task, or a thread for the OpenMP 2.5 lock) never leaves its node, so
/// the nesting is counted here and node 0 sees the first set and the last
/// unset only, as a plain lock.
static NESTED: Mutex<Option<HashMap<u64, (usize, u32)>>> = Mutex::new(None);

fn nested<R>(f: impl FnOnce(&mut HashMap<u64, (usize, u32)>) -> R) -> R {
    f(NESTED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_or_insert_with(HashMap::new))
}

/// `omp_set_nest_lock` across nodes, by owner `me`.
pub fn nest_set(key: u64, me: usize) {
    let again = nested(|m| match m.get_mut(&key) {
        Some(e) if e.0 == me => {
            e.1 += 1;
            true
        }
        _ => false,
    });
    if !again {
        lock(key);
        nested(|m| m.insert(key, (me, 1)));
    }
}

/// `omp_test_nest_lock` across nodes: the new depth, or 0.
pub fn nest_test(key: u64, me: usize) -> i32 {
    let depth = nested(|m| match m.get_mut(&key) {
        Some(e) if e.0 == me => {
            e.1 += 1;
            e.1
        }
        _ => 0,
    });
    if depth > 0 {
        return depth as i32;
    }
    if try_lock(key) {
        nested(|m| m.insert(key, (me, 1)));
        1
    } else {
        0
    }
}

/// `omp_unset_nest_lock` across nodes (by its owner, as the spec requires).
pub fn nest_unset(key: u64) {
    let last = nested(|m| match m.get_mut(&key) {
        Some(e) if e.1 > 1 => {
            e.1 -= 1;
            false
        }
        Some(_) => {
            m.remove(&key);
            true
        }
        None => false,
    });
    if last {
        unlock(key);
    }
}

pub fn critical_start() {
    lock(KEY_CRITICAL);
}
pub fn critical_end() {
    unlock(KEY_CRITICAL);
}
pub fn atomic_start() {
    lock(KEY_ATOMIC);
}
pub fn atomic_end() {
    unlock(KEY_ATOMIC);
}

/// Whether this node's winner of `single` number `s` of the region runs it.
pub fn single(t: &DistTeam, s: u64) -> bool {
    // `s` counts the region's `single` constructs (from 1 in each region).
    t.nodes <= 1 || ask(kinds::SINGLE, (t.seq << 32) | s) != 0
}

/// `copyprivate`, by this node's first thread at construct `k`: `None` if
/// this node runs the `single`, else the executor's data.
pub fn copy_claim(t: &DistTeam, k: u64) -> Option<*mut c_void> {
    if t.nodes <= 1 {
        return None;
    }
    match ask(kinds::COPY_CLAIM, t.key(k)) {
        0 => None,
        p => Some(p as *mut c_void),
    }
}

/// The executor publishes its copyprivate data.
pub fn copy_set(t: &DistTeam, k: u64, data: *mut c_void) {
    if t.nodes > 1 {
        tell(kinds::COPY_SET, t.key(k), data as u64);
    }
}

/// The next block of a distributed dynamic or guided loop: `a..b`, or
/// None when node 0 has handed out every iteration.
pub fn claim(spec: &LoopSpec) -> Option<(u64, u64)> {
    let kind = match spec.kind {
        SchedKind::Guided => 2,
        _ => 1,
    };
    d().stats.claims.fetch_add(1, Ordering::Relaxed);
    let a = ask_with(
        kinds::CLAIM,
        spec.dist_key,
        &[
            spec.n,
            spec.chunk,
            kind,
            u64::from(spec.dist_local),
            u64::from(spec.dist_total),
        ],
    );
    (a < spec.n).then(|| (a, a + crate::loops::claim_size(spec, spec.n - a)))
}

/// The largest block a construct may ask node 0 for.
const WS_MEM_MAX: u64 = 1 << 30;

/// A construct's shared block across nodes (GOMP's `mem`, a doacross
/// table): zeroed DSM memory of `size` bytes that node 0 hands out once
/// per `key` and frees when the region ends on every node.
pub fn ws_mem(key: u64, size: usize) -> *mut u8 {
    let p = ask_with(kinds::WS_MEM, key, &[size as u64]);
    if p == 0 {
        crate::fatal(&format!(
            "node 0 has no shared block of {size} bytes for a construct"
        ));
    }
    p as *mut u8
}

/// Node 0's manager: a new zeroed block for [`ws_mem`] (0 if it cannot).
pub(crate) fn ws_mem_alloc(size: u64) -> u64 {
    if size == 0 || size > WS_MEM_MAX {
        return 0;
    }
    let Some(dist) = DIST.get() else { return 0 };
    let p = dist.dsm.heap().memalign(64, size as usize);
    if p.is_null() {
        return 0;
    }
    // SAFETY: a fresh block of `size` bytes (a fault here, if another
    // node holds one of its pages from an earlier use, is served like any
    // other).
    unsafe { std::ptr::write_bytes(p, 0, size as usize) };
    p as u64
}

/// Node 0's manager: frees a [`ws_mem_alloc`] block.
pub(crate) fn ws_mem_free(p: u64) {
    if let Some(dist) = DIST.get() {
        let _ = dist.dsm.heap().free(p as *mut u8);
    }
}

/// `ordered` across nodes: waits until the turn of loop `key` reaches
/// logical iteration `a`, the calling thread's chunk.
pub fn ordered_wait(key: u64, a: u64) {
    ask_with(kinds::ORDERED_WAIT, key, &[a]);
}

/// `ordered` across nodes: the chunk `a..b` of loop `key` has passed its
/// turn (node 0 moves the turn past it once it gets there).
pub fn ordered_pass(key: u64, a: u64, b: u64) {
    let dist = d();
    if dist.me == 0 {
        outbox(Out::Manager(Job0 {
            kind: kinds::ORDERED_PASS,
            key,
            value: 0,
            from: 0,
            payload: [a, b].iter().flat_map(|x| x.to_le_bytes()).collect(),
            waiter: Waiter::None,
        }));
    } else {
        let header = [key, a, b].iter().flat_map(|x| x.to_le_bytes()).collect();
        outbox(Out::Send {
            to: 0,
            kind: kinds::ORDERED_PASS,
            header,
            payload: Vec::new(),
        });
    }
}

// ---------------------------------------------------------------- threads

/// Starts a team worker on a stack in the DSM window (distributed mode
/// only): returns `false` to let the caller start it the usual way.
pub fn spawn_worker(size: usize, f: Box<dyn FnOnce() + Send>) -> Result<(), String> {
    let stack = d().dsm.heap().alloc_stack(size);
    if stack.is_null() {
        return Err("no room for a thread stack in the DSM window".into());
    }
    // pthread_create blocks every signal around clone() and writes its own
    // stack variables meanwhile. The caller's stack is DSM memory (node 0's
    // main stack, a team thread's stack): if another node has read that
    // page it is read-only here, the write faults with SIGSEGV blocked, and
    // the kernel kills the process (node 0 died so, about once in 150
    // regions at 3 nodes). So the thread is created from a local stack.
    struct Req {
        stack: *mut u8,
        size: usize,
        f: Option<Box<dyn FnOnce() + Send>>,
        res: Option<Result<(), String>>,
    }
    extern "C" fn go(arg: *mut c_void) {
        // SAFETY: `arg` is the `Req` below, alive until on_local_stack
        // returns, used by this call alone.
        let r = unsafe { &mut *arg.cast::<Req>() };
        if let Some(f) = r.f.take() {
            // SAFETY: a fresh stack from the DSM heap, never freed.
            r.res = Some(unsafe { os::spawn_on_stack(r.stack, r.size, f) });
        }
    }
    let mut req = Req {
        stack,
        size,
        f: Some(f),
        res: None,
    };
    // SAFETY: `go` takes a `Req`, which `req` is.
    let ran = unsafe { os::on_local_stack(go, (&mut req as *mut Req).cast()) };
    match (ran, req.res, req.f.take()) {
        (true, Some(r), _) => r,
        // No local stack could be mapped: create it from here.
        // SAFETY: as in `go`.
        (_, _, Some(f)) => unsafe { os::spawn_on_stack(stack, size, f) },
        _ => Err("cannot start a thread".into()),
    }
}

// ---------------------------------------------------------------- stats

/// `POMP_DISPLAY_STATS`: unset, empty, `0`, `false` off; `verbose` or `2`
/// adds the hot pages; anything else on.
fn stats_level(v: Option<&str>) -> u8 {
    match v {
        None | Some("" | "0") => 0,
        Some(v) if v.eq_ignore_ascii_case("false") => 0,
        Some(v) if v.eq_ignore_ascii_case("verbose") || v == "2" => 2,
        Some(_) => 1,
    }
}

/// What a page of the window holds, for the hot-page list: globals as
/// an offset in the executable (`nm` finds the variable), node 0's main
/// stack, or the heap arena it came from.
fn page_label(dist: &Dist, pg: usize) -> String {
    if dist.exe.data.iter().any(|&(a, b)| (a..b).contains(&pg)) {
        format!("globals exe+{:#x}", pg - dist.exe.lo)
    } else if (dist.main_stack.0..dist.main_stack.1).contains(&pg) {
        format!("main stack top-{:#x}", dist.main_stack.1 - pg)
    } else {
        let (base, size) = dist.dsm.window();
        let arena = dist.dsm.arena().1;
        match pg.checked_sub(base) {
            Some(off) if off < size && arena > 0 => {
                format!("heap/stacks of node {}", off / arena)
            }
            _ => "?".into(),
        }
    }
}

fn print_stats(dist: &Dist) {
    if dist.show_stats == 0 {
        return;
    }
    let s = &dist.stats;
    let ds = dist.dsm.stats();
    let ms = |ns: &AtomicU64| ns.load(Ordering::Relaxed) as f64 / 1e6;
    crate::sys::write_stderr_line(&format!(
        "pomp: stats: node {} threads {} regions {} region-ms {:.1} barriers {} barrier-wait-ms {:.1} \
         faults read {} write {} upgrade {} silent-upgrade {} pages-in {} msgs-out {} bytes-out {} invalidations {} lock-requests {} loop-claims {} uptime-ms {:.0}",
        dist.me,
        dist.per_node().get(dist.me as usize).copied().unwrap_or(0),
        s.regions.load(Ordering::Relaxed),
        ms(&s.region_ns),
        s.barriers.load(Ordering::Relaxed),
        ms(&s.barrier_ns),
        ds.read_faults,
        ds.write_faults,
        ds.upgrades,
        ds.silent_upgrades,
        ds.pages_in,
        ds.msgs_out,
        ds.bytes_out,
        ds.invalidations,
        s.locks.load(Ordering::Relaxed),
        s.claims.load(Ordering::Relaxed),
        dist.start.elapsed().as_secs_f64() * 1e3,
    ));
    if dist.show_stats < 2 {
        return;
    }
    for (pg, [r, w, u]) in dist.dsm.hot_pages(8) {
        crate::sys::write_stderr_line(&format!(
            "pomp: stats: node {} hot page {pg:#x} ({}) faults read {r} write {w} upgrade {u}",
            dist.me,
            page_label(dist, pg),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(func: u64, data: u64, total: u64, base: u64, local: u64) -> Vec<u64> {
        vec![7, func, data, total, base, local, 2, 0, 0, 0, 0]
    }

    #[test]
    fn stats_levels() {
        for (v, l) in [
            (None, 0),
            (Some(""), 0),
            (Some("0"), 0),
            (Some("FALSE"), 0),
            (Some("1"), 1),
            (Some("true"), 1),
            (Some("Verbose"), 2),
            (Some("2"), 2),
        ] {
            assert_eq!(stats_level(v), l, "{v:?}");
        }
    }

    #[test]
    fn regions_are_checked() {
        let is_func = |f: usize| f == 0x1000;
        let is_dsm = |a: usize| (0x10_0000_0000..0x20_0000_0000).contains(&a);
        let ok = check_region(&head(0x1000, 0x10_0000_0040, 4, 2, 2), is_func, is_dsm).unwrap();
        assert_eq!(
            (ok.seq, ok.base, ok.local, ok.total, ok.nodes),
            (7, 2, 2, 4, 2)
        );
        assert!(check_region(&head(0x1000, 0, 4, 0, 1), is_func, is_dsm).is_ok());
        for (h, why) in [
            (head(0x1001, 0, 4, 0, 1), "not a function"),
            (head(0x1000, 0x5000, 4, 0, 1), "not DSM memory"),
            (head(0x1000, 0, 4, 0, 0), "bad thread counts"),
            (head(0x1000, 0, 4, 3, 2), "bad thread counts"),
            (head(0x1000, 0, 4, u64::MAX, 2), "bad thread counts"),
            (head(0x1000, 0, 1 << 40, 0, 1), "bad thread counts"),
            (vec![1, 2, 3], "malformed"),
        ] {
            let e = check_region(&h, is_func, is_dsm).unwrap_err();
            assert!(e.contains(why), "{h:?}: {e}");
        }
    }
}
