//! Node 0's manager of cross-node synchronisation: barriers, locks (and
//! with them `critical` and `GOMP_atomic_*`), `single` and `copyprivate`.
//! Pure bookkeeping behind one mutex; it never blocks: a waiter is either a
//! remote request, answered with `Handle::reply` when its turn comes, or a
//! local thread's [`Ticket`].

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex};

use pomp_transport::{Handle, Message};

use super::kinds;

/// A node-0 thread waiting for the manager's answer.
#[derive(Default)]
pub struct Ticket {
    answer: Mutex<Option<u64>>,
    cv: Condvar,
}

impl Ticket {
    pub fn wait(&self) -> u64 {
        let mut a = self.answer.lock().unwrap();
        loop {
            if let Some(v) = *a {
                return v;
            }
            a = self.cv.wait(a).unwrap();
        }
    }
    fn give(&self, v: u64) {
        *self.answer.lock().unwrap() = Some(v);
        self.cv.notify_one();
    }
}

/// Who asked.
pub enum Waiter {
    Remote(Message),
    Local(Arc<Ticket>),
    /// A one-way message: nobody to answer.
    None,
}

fn answer(net: &Handle, w: Waiter, v: u64) {
    match w {
        Waiter::Remote(m) => {
            let _ = net.reply(&m, m.kind, &[], &v.to_le_bytes());
        }
        Waiter::Local(t) => t.give(v),
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

#[derive(Default)]
struct State {
    /// Nodes taking part in the running region.
    nodes: u32,
    barriers: HashMap<u64, Vec<Waiter>>,
    locks: HashMap<u64, LockState>,
    singles: HashMap<u64, ()>,
    copies: HashMap<u64, CopyState>,
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

    /// Region `seq` ended on every node: forget its constructs.
    pub fn end_region(&self, seq: u64) {
        let mut st = self.st.lock().unwrap();
        st.singles.retain(|k, _| k >> 32 != seq);
        st.copies.retain(|k, _| k >> 32 != seq);
    }

    /// Serves one request or notice.
    pub fn serve(&self, net: &Handle, kind: u16, key: u64, value: u64, w: Waiter) {
        let mut out: Vec<(Waiter, u64)> = Vec::new();
        {
            let mut st = self.st.lock().unwrap();
            match kind {
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
                _ => {}
            }
        }
        for (w, v) in out {
            answer(net, w, v);
        }
    }
}
