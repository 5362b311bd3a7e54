//! Node 0's manager of cross-node synchronisation: barriers, locks (and
//! with them `critical` and `GOMP_atomic_*`), `single` and `copyprivate`.
//! Pure bookkeeping behind one mutex; it never blocks: a waiter is either a
//! remote request, answered with `Handle::reply` when its turn comes, or a
//! local thread's [`Ticket`].

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;

use pomp_transport::Handle;

use super::kinds;

/// Answer slots of threads waiting for node 0's manager. A slot is claimed
/// by its waiting thread, named in the question as `index | generation <<
/// 32`, and filled by whoever handles the answer (the progress thread, or
/// the manager on node 0) with a store and a futex wake: the filler never
/// waits for the waiter, which may be stopped in a DSM fault.
const SLOTS: usize = 1024;

struct Slot {
    /// 0 free; odd: claimed, waiting; even non-zero: answered. The value
    /// also carries the generation (it only grows).
    state: AtomicU32,
    value: AtomicU64,
}

static TICKETS: [Slot; SLOTS] = [const {
    Slot {
        state: AtomicU32::new(0),
        value: AtomicU64::new(0),
    }
}; SLOTS];
static GEN: AtomicU32 = AtomicU32::new(1);

/// A claimed answer slot.
pub struct Ticket(usize, u32);

impl Ticket {
    /// Claims a free slot (spinning if all are taken, which needs more than
    /// 1024 threads of this node waiting at once).
    pub fn claim() -> Ticket {
        loop {
            for (i, s) in TICKETS.iter().enumerate() {
                if s.state.load(Ordering::Relaxed) == 0 {
                    let g = GEN.fetch_add(2, Ordering::Relaxed) | 1;
                    if s.state
                        .compare_exchange(0, g, Ordering::AcqRel, Ordering::Relaxed)
                        .is_ok()
                    {
                        return Ticket(i, g);
                    }
                }
            }
            std::thread::yield_now();
        }
    }

    /// The slot's name in messages.
    pub fn id(&self) -> u64 {
        self.0 as u64 | (u64::from(self.1) << 32)
    }

    /// Waits for the answer and frees the slot.
    pub fn wait(self) -> u64 {
        let s = &TICKETS[self.0];
        loop {
            let v = s.state.load(Ordering::Acquire);
            if v != self.1 {
                let a = s.value.load(Ordering::Relaxed);
                s.state.store(0, Ordering::Release);
                return a;
            }
            crate::sys::futex_wait(&s.state, v);
        }
    }
}

/// Fills slot `id` with `v`; `false` if no thread waits on it (a stale or
/// forged id).
pub fn give(id: u64, v: u64) -> bool {
    let (i, g) = ((id & 0xffff_ffff) as usize, (id >> 32) as u32);
    let Some(s) = TICKETS.get(i) else {
        return false;
    };
    if g & 1 == 0 || s.state.load(Ordering::Acquire) != g {
        return false;
    }
    s.value.store(v, Ordering::Relaxed);
    if s.state
        .compare_exchange(g, g.wrapping_add(1), Ordering::AcqRel, Ordering::Relaxed)
        .is_err()
    {
        return false;
    }
    crate::sys::futex_wake(&s.state, 1);
    true
}

/// A barrier's answer when its region was cancelled (1 otherwise).
pub const BARRIER_CANCELLED: u64 = 2;

/// Who asked.
pub enum Waiter {
    /// A thread of node `.0` waiting on its slot `.1`.
    Remote(u32, u64),
    /// A node-0 thread's slot.
    Local(u64),
    /// A one-way message: nobody to answer.
    None,
}

fn answer(net: &Handle, w: Waiter, v: u64) {
    match w {
        Waiter::Remote(node, id) => {
            let mut h = id.to_le_bytes().to_vec();
            h.extend_from_slice(&v.to_le_bytes());
            let _ = net.send(node, kinds::ANSWER, &h, &[]);
        }
        Waiter::Local(id) => {
            give(id, v);
        }
        Waiter::None => {}
    }
}

#[derive(Default)]
struct LockState {
    held: bool,
    queue: VecDeque<Waiter>,
}

#[derive(Default)]
struct CopyState {
    data: Option<u64>,
    waiters: Vec<Waiter>,
}

/// A distributed ordered loop's turn: the logical iteration whose chunk
/// may run its ordered regions, chunks done ahead of their turn, and the
/// threads waiting for theirs.
#[derive(Default)]
struct Turn {
    pos: u64,
    passed: HashMap<u64, u64>,
    waiting: HashMap<u64, Vec<Waiter>>,
}

#[derive(Default)]
struct State {
    /// Nodes taking part in the running region.
    nodes: u32,
    barriers: HashMap<u64, Vec<Waiter>>,
    locks: HashMap<u64, LockState>,
    singles: HashMap<u64, ()>,
    copies: HashMap<u64, CopyState>,
    /// Distributed dynamic and guided loops: the next iteration to hand out.
    claims: HashMap<u64, u64>,
    turns: HashMap<u64, Turn>,
    /// Constructs' shared blocks (`WS_MEM`): key to address.
    mems: HashMap<u64, u64>,
    /// Regions cancelled (`cancel parallel`): their barriers return at once.
    cancelled: std::collections::HashSet<u64>,
}

#[derive(Default)]
pub struct Manager {
    st: Mutex<State>,
}

impl Manager {
    /// A region with `nodes` participating nodes starts.
    pub fn begin_region(&self, _seq: u64, nodes: u32) {
        self.st.lock().unwrap().nodes = nodes;
    }

    /// Region `seq` was cancelled: release its barriers' waiters, now and
    /// from now on (the nodes' threads leave every barrier of the region).
    pub fn cancel_region(&self, net: &Handle, seq: u64) {
        let waiters: Vec<Waiter> = {
            let mut st = self.st.lock().unwrap();
            st.cancelled.insert(seq);
            let keys: Vec<u64> = st
                .barriers
                .keys()
                .filter(|k| *k >> 32 == seq)
                .copied()
                .collect();
            keys.iter()
                .flat_map(|k| st.barriers.remove(k).unwrap_or_default())
                .collect()
        };
        for w in waiters {
            answer(net, w, BARRIER_CANCELLED);
        }
    }

    /// Region `seq` ended on every node: forget its constructs.
    pub fn end_region(&self, seq: u64) {
        let mut st = self.st.lock().unwrap();
        st.cancelled.remove(&seq);
        st.barriers.retain(|k, _| k >> 32 != seq);
        st.singles.retain(|k, _| k >> 32 != seq);
        st.copies.retain(|k, _| k >> 32 != seq);
        st.claims.retain(|k, _| k >> 32 != seq);
        st.turns.retain(|k, _| k >> 32 != seq);
        let done: Vec<u64> = st
            .mems
            .iter()
            .filter(|(k, _)| *k >> 32 == seq)
            .map(|(k, _)| *k)
            .collect();
        for k in done {
            if let Some(p) = st.mems.remove(&k) {
                super::ws_mem_free(p);
            }
        }
    }

    /// Serves one request or notice.
    pub fn serve(&self, net: &Handle, kind: u16, key: u64, value: u64, args: &[u64], w: Waiter) {
        let mut out: Vec<(Waiter, u64)> = Vec::new();
        {
            let mut st = self.st.lock().unwrap();
            match kind {
                kinds::BARRIER if st.cancelled.contains(&(key >> 32)) => {
                    out.push((w, BARRIER_CANCELLED));
                }
                kinds::BARRIER => {
                    let nodes = st.nodes.max(1) as usize;
                    let b = st.barriers.entry(key).or_default();
                    b.push(w);
                    if b.len() >= nodes {
                        let all = st.barriers.remove(&key).unwrap_or_default();
                        out.extend(all.into_iter().map(|w| (w, 1)));
                    }
                }
                kinds::LOCK => {
                    let l = st.locks.entry(key).or_default();
                    if l.held {
                        l.queue.push_back(w);
                    } else {
                        l.held = true;
                        out.push((w, 1));
                    }
                }
                kinds::TRYLOCK => {
                    let l = st.locks.entry(key).or_default();
                    let got = !l.held;
                    l.held = true;
                    out.push((w, u64::from(got)));
                }
                kinds::UNLOCK => {
                    if let Some(l) = st.locks.get_mut(&key) {
                        match l.queue.pop_front() {
                            Some(next) => out.push((next, 1)),
                            None => {
                                st.locks.remove(&key);
                            }
                        }
                    }
                }
                kinds::SINGLE => {
                    let first = st.singles.insert(key, ()).is_none();
                    out.push((w, u64::from(first)));
                }
                kinds::COPY_CLAIM => match st.copies.get_mut(&key) {
                    None => {
                        st.copies.insert(key, CopyState::default());
                        out.push((w, 0));
                    }
                    Some(c) => match c.data {
                        Some(p) => out.push((w, p)),
                        None => c.waiters.push(w),
                    },
                },
                kinds::COPY_SET => {
                    let c = st.copies.entry(key).or_default();
                    // A null pointer still releases the waiters (as 1: never
                    // a valid address, never 0 which means "you run it").
                    let v = if value == 0 { 1 } else { value };
                    c.data = Some(v);
                    out.extend(c.waiters.drain(..).map(|w| (w, v)));
                }
                kinds::CLAIM => {
                    let a = match *args {
                        [n, chunk, kind, local, total] => {
                            let next = st.claims.entry(key).or_insert(0);
                            let a = *next;
                            if a < n {
                                let spec = crate::work::LoopSpec {
                                    kind: if kind == 2 {
                                        crate::icv::SchedKind::Guided
                                    } else {
                                        crate::icv::SchedKind::Dynamic
                                    },
                                    chunk,
                                    n,
                                    dist_local: local.min(u32::MAX as u64) as u32,
                                    dist_total: total.min(u32::MAX as u64) as u32,
                                    ..crate::work::LoopSpec::EMPTY
                                };
                                *next = a + crate::loops::claim_size(&spec, n - a);
                                a
                            } else {
                                u64::MAX
                            }
                        }
                        _ => u64::MAX,
                    };
                    out.push((w, a));
                }
                kinds::WS_MEM => {
                    let size = args.first().copied().unwrap_or(0);
                    let p = match st.mems.get(&key) {
                        Some(&p) => p,
                        None => {
                            let p = super::ws_mem_alloc(size);
                            if p != 0 {
                                st.mems.insert(key, p);
                            }
                            p
                        }
                    };
                    out.push((w, p));
                }
                kinds::ORDERED_WAIT => {
                    let a = args.first().copied().unwrap_or(0);
                    let t = st.turns.entry(key).or_default();
                    if t.pos == a {
                        out.push((w, 1));
                    } else {
                        t.waiting.entry(a).or_default().push(w);
                    }
                }
                kinds::ORDERED_PASS => {
                    if let [a, b] = *args {
                        let t = st.turns.entry(key).or_default();
                        if b > a {
                            t.passed.insert(a, b);
                        }
                        while let Some(b) = t.passed.remove(&t.pos) {
                            t.pos = b;
                        }
                        if let Some(ws) = t.waiting.remove(&t.pos) {
                            out.extend(ws.into_iter().map(|w| (w, 1)));
                        }
                    }
                }
                _ => {}
            }
        }
        for (w, v) in out {
            answer(net, w, v);
        }
    }
}
