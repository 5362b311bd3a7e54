//! The coherence protocol as a pure state machine: no I/O, no memory, no
//! threads. The node driver (`node.rs`) and the model checker
//! (`tests/model.rs`) run exactly this code; the driver adds the page bytes
//! and the transport, the model adds a nondeterministic network.
//!
//! Home-based MSI with a busy directory: the home of a page serves one
//! transaction on it at a time (later requests queue), and a transaction
//! ends only when the requester says it has installed the grant (`Done`).
//! That makes every other message about the page wait until the
//! requester's state is settled, so no ordering of the network is assumed.
//! See `dsm/README.md` for the state tables.

use std::collections::VecDeque;
use std::fmt;

/// A node of the job.
pub type NodeId = u32;

/// A page, named as the driver numbers them (region in the high bits).
pub type Key = u64;

/// The most nodes a directory entry can name (a sharer bitmask).
pub const MAX_NODES: u32 = 64;

/// The most pages one read request may ask for (the asked-for page and the
/// ones after it, granted only if the home can give them at once).
pub const MAX_PREFETCH: u32 = 64;

/// A cache's state for one page on one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// No access; the local copy is stale.
    Invalid,
    /// Read-only copy; other nodes may hold one too.
    Shared,
    /// The only copy, readable and writable.
    Modified,
}

/// What a faulting access needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    Read,
    Write,
}

impl State {
    /// Does this state allow the access without asking anyone?
    pub fn allows(self, a: Access) -> bool {
        matches!(
            (self, a),
            (State::Shared, Access::Read) | (State::Modified, _)
        )
    }
}

/// Protocol messages. The page key travels beside the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Msg {
    /// Cache to home: wants `access` to `count` pages from the key on
    /// (`count > 1` only for reads: the later pages are a prefetch).
    Req { access: Access, count: u32 },
    /// Home to cache, the answer to `Req`: `count` pages granted; `data`
    /// when the pages' contents travel with it (an upgrade of a copy the
    /// requester still holds does not resend it).
    Grant {
        access: Access,
        count: u32,
        data: bool,
    },
    /// Cache to home: the grant of `count` pages is installed.
    Done { count: u32 },
    /// Home to a sharer: drop your copy.
    Inv,
    /// Sharer to home.
    InvAck,
    /// Home to the owner: send the page back, keeping a read copy or not.
    Fetch { keep: bool },
    /// Owner to home, with the page's contents.
    FetchAck,
}

/// What a step of the protocol asks its driver to do.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Out {
    /// Send `msg` about `key` to `to` (`corr`: the request being answered,
    /// for a `Grant`; zero otherwise).
    Send {
        to: NodeId,
        key: Key,
        msg: Msg,
        corr: u64,
    },
    /// Change this node's own cache state for `key` (the home acting on its
    /// own copy, without a message). Must be applied before the next `Send`
    /// of the same step (a grant's data is read after a downgrade).
    Local { key: Key, state: State },
}

/// A message or state the protocol does not allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad<T>(s: String) -> Result<T, Violation> {
    Err(Violation(s))
}

fn bit(n: NodeId) -> u64 {
    1u64 << n
}

/// A request waiting for, or being served by, the home.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pending {
    pub from: NodeId,
    pub access: Access,
    pub count: u32,
    pub corr: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Phase {
    /// Waiting for `n` InvAcks or one FetchAck.
    Collect {
        acks: u32,
        fetch_from: Option<NodeId>,
    },
    /// Granted `count` pages; waiting for the requester's `Done`.
    Granted { count: u32 },
    /// Granted as a prefetch along with the transaction on `first`.
    HeldBy { first: Key },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Txn {
    req: Pending,
    phase: Phase,
}

/// The home's directory entry for one page.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entry {
    /// The node holding the page `Modified`, if any.
    owner: Option<NodeId>,
    /// Nodes holding it `Shared` (empty while there is an owner).
    sharers: u64,
    busy: Option<Txn>,
    queue: VecDeque<Pending>,
}

impl Entry {
    /// A fresh page: its home holds it `Modified` (its contents, zero or
    /// the shared range's, are the truth).
    pub fn new(home: NodeId) -> Entry {
        Entry {
            owner: Some(home),
            sharers: 0,
            busy: None,
            queue: VecDeque::new(),
        }
    }

    pub fn owner(&self) -> Option<NodeId> {
        self.owner
    }

    /// No transaction in progress and none queued.
    pub fn idle(&self) -> bool {
        self.busy.is_none() && self.queue.is_empty()
    }
}

/// Where the home keeps its entries: a map in the driver, an array in the
/// model.
pub trait Directory {
    /// The entry for `key`, created as [`Entry::new`] on first use.
    fn entry(&mut self, key: Key) -> &mut Entry;
    /// May `key` be granted as a prefetch after `first`: same home (this
    /// node), same region, inside it?
    fn prefetchable(&self, first: Key, key: Key) -> bool;
}

/// The home side: requests, acknowledgements and completions for the pages
/// whose home is `me`.
pub struct Home {
    pub me: NodeId,
}

impl Home {
    /// A cache asks for access to `key` (and maybe the pages after it).
    pub fn request(
        &self,
        dir: &mut impl Directory,
        key: Key,
        p: Pending,
        out: &mut Vec<Out>,
    ) -> Result<(), Violation> {
        if p.count == 0 || p.count > MAX_PREFETCH || (p.access == Access::Write && p.count != 1) {
            return bad(format!(
                "node {} asked for {} pages of {:?} access to page {key:#x}",
                p.from, p.count, p.access
            ));
        }
        let e = dir.entry(key);
        if e.busy.is_some() || !e.queue.is_empty() {
            if e.queue.len() >= MAX_NODES as usize * 2 {
                return bad(format!(
                    "node {} queued too many requests for page {key:#x}",
                    p.from
                ));
            }
            e.queue.push_back(p);
            return Ok(());
        }
        self.start(dir, key, p, out)
    }

    fn start(
        &self,
        dir: &mut impl Directory,
        key: Key,
        p: Pending,
        out: &mut Vec<Out>,
    ) -> Result<(), Violation> {
        let me = self.me;
        let e = dir.entry(key);
        debug_assert!(e.busy.is_none());
        if e.owner == Some(p.from) {
            // A node that holds the page Modified has no reason to ask.
            return bad(format!(
                "node {} asked for page {key:#x}, which it holds modified",
                p.from
            ));
        }
        let access = p.access;
        let from = p.from;
        e.busy = Some(Txn {
            req: p,
            phase: Phase::Collect {
                acks: 0,
                fetch_from: None,
            },
        });
        match (access, e.owner) {
            (Access::Read, Some(o)) if o == me => {
                e.owner = None;
                e.sharers = bit(me);
                out.push(Out::Local {
                    key,
                    state: State::Shared,
                });
            }
            (Access::Write, Some(o)) if o == me => {
                e.owner = None;
                e.sharers = 0;
                out.push(Out::Local {
                    key,
                    state: State::Invalid,
                });
            }
            (_, Some(o)) => {
                e.busy = Some(Txn {
                    phase: Phase::Collect {
                        acks: 0,
                        fetch_from: Some(o),
                    },
                    ..e.busy.take().unwrap()
                });
                out.push(Out::Send {
                    to: o,
                    key,
                    msg: Msg::Fetch {
                        keep: access == Access::Read,
                    },
                    corr: 0,
                });
                return Ok(());
            }
            (Access::Read, None) => {}
            (Access::Write, None) => {
                let mut acks = 0;
                for s in 0..MAX_NODES {
                    if e.sharers & bit(s) == 0 || s == from {
                        continue;
                    }
                    if s == me {
                        e.sharers &= !bit(me);
                        out.push(Out::Local {
                            key,
                            state: State::Invalid,
                        });
                    } else {
                        acks += 1;
                        out.push(Out::Send {
                            to: s,
                            key,
                            msg: Msg::Inv,
                            corr: 0,
                        });
                    }
                }
                if acks > 0 {
                    if let Some(t) = e.busy.as_mut() {
                        t.phase = Phase::Collect {
                            acks,
                            fetch_from: None,
                        };
                    }
                    return Ok(());
                }
            }
        }
        self.grant(dir, key, out);
        Ok(())
    }

    /// Everything collected: give the requester its access.
    fn grant(&self, dir: &mut impl Directory, key: Key, out: &mut Vec<Out>) {
        let me = self.me;
        let e = dir.entry(key);
        let Some(txn) = e.busy.as_mut() else {
            return;
        };
        let req = txn.req.clone();
        let from = req.from;
        match req.access {
            Access::Write => {
                let data = e.sharers & bit(from) == 0;
                e.sharers = 0;
                e.owner = Some(from);
                txn.phase = Phase::Granted { count: 1 };
                out.push(Out::Send {
                    to: from,
                    key,
                    msg: Msg::Grant {
                        access: Access::Write,
                        count: 1,
                        data,
                    },
                    corr: req.corr,
                });
            }
            Access::Read => {
                e.sharers |= bit(from);
                let mut count = 1;
                while count < req.count {
                    let k = key + count as u64;
                    if !dir.prefetchable(key, k) {
                        break;
                    }
                    let e2 = dir.entry(k);
                    let ok = e2.idle()
                        && e2.sharers & bit(from) == 0
                        && (e2.owner.is_none() || e2.owner == Some(me));
                    if !ok {
                        break;
                    }
                    if e2.owner == Some(me) {
                        e2.owner = None;
                        e2.sharers = bit(me);
                        out.push(Out::Local {
                            key: k,
                            state: State::Shared,
                        });
                    }
                    e2.sharers |= bit(from);
                    e2.busy = Some(Txn {
                        req: req.clone(),
                        phase: Phase::HeldBy { first: key },
                    });
                    count += 1;
                }
                let e = dir.entry(key);
                if let Some(t) = e.busy.as_mut() {
                    t.phase = Phase::Granted { count };
                }
                out.push(Out::Send {
                    to: from,
                    key,
                    msg: Msg::Grant {
                        access: Access::Read,
                        count,
                        data: true,
                    },
                    corr: req.corr,
                });
            }
        }
    }

    /// Is a `FetchAck` from `from` for `key` expected now? The driver asks
    /// before it writes the page's contents anywhere.
    pub fn expects_fetch_ack(&self, dir: &mut impl Directory, key: Key, from: NodeId) -> bool {
        matches!(
            &dir.entry(key).busy,
            Some(Txn { phase: Phase::Collect { fetch_from: Some(o), .. }, .. }) if *o == from
        )
    }

    /// Home-side messages: `InvAck`, `FetchAck`, `Done`.
    pub fn receive(
        &self,
        dir: &mut impl Directory,
        key: Key,
        from: NodeId,
        msg: Msg,
        out: &mut Vec<Out>,
    ) -> Result<(), Violation> {
        let me = self.me;
        match msg {
            Msg::InvAck => {
                let e = dir.entry(key);
                let Some(Txn {
                    phase:
                        Phase::Collect {
                            acks,
                            fetch_from: None,
                        },
                    ..
                }) = e.busy.as_mut()
                else {
                    return bad(format!(
                        "node {from} acknowledged an invalidation of page {key:#x} nobody sent"
                    ));
                };
                if *acks == 0 || e.sharers & bit(from) == 0 {
                    return bad(format!(
                        "node {from} acknowledged an invalidation of page {key:#x} it was not sent"
                    ));
                }
                *acks -= 1;
                e.sharers &= !bit(from);
                if *acks == 0 {
                    self.grant(dir, key, out);
                }
                Ok(())
            }
            Msg::FetchAck => {
                if !self.expects_fetch_ack(dir, key, from) {
                    return bad(format!(
                        "node {from} returned page {key:#x}, which was not asked of it"
                    ));
                }
                let e = dir.entry(key);
                let read = matches!(&e.busy, Some(t) if t.req.access == Access::Read);
                e.owner = None;
                if read {
                    // The returned contents are in the home's memory now:
                    // the home keeps a read copy too.
                    e.sharers = bit(from) | bit(me);
                    out.push(Out::Local {
                        key,
                        state: State::Shared,
                    });
                } else {
                    e.sharers = 0;
                }
                self.grant(dir, key, out);
                Ok(())
            }
            Msg::Done { count } => {
                let e = dir.entry(key);
                match &e.busy {
                    Some(Txn {
                        req,
                        phase: Phase::Granted { count: c },
                    }) if req.from == from && *c == count => {}
                    _ => {
                        return bad(format!(
                            "node {from} completed a transaction on page {key:#x} it does not have"
                        ))
                    }
                }
                e.busy = None;
                for i in 1..count as u64 {
                    let e2 = dir.entry(key + i);
                    debug_assert!(
                        matches!(&e2.busy, Some(Txn { phase: Phase::HeldBy { first }, .. }) if *first == key)
                    );
                    e2.busy = None;
                }
                for i in 0..count as u64 {
                    self.next(dir, key + i, out)?;
                }
                Ok(())
            }
            other => bad(format!(
                "node {from} sent {other:?} for page {key:#x} to its home"
            )),
        }
    }

    /// Start the next queued request on `key`, if any. A queued request
    /// that turns out invalid is dropped with its violation reported, and
    /// the one after it is tried.
    fn next(
        &self,
        dir: &mut impl Directory,
        key: Key,
        out: &mut Vec<Out>,
    ) -> Result<(), Violation> {
        let mut first_err = Ok(());
        loop {
            let e = dir.entry(key);
            if e.busy.is_some() {
                return first_err;
            }
            let Some(p) = e.queue.pop_front() else {
                return first_err;
            };
            if let Err(v) = self.start(dir, key, p, out) {
                dir.entry(key).busy = None;
                if first_err.is_ok() {
                    first_err = Err(v);
                }
            }
        }
    }
}

/// The cache side: what a node does with `Inv` and `Fetch` from a page's
/// home, given its current state. Returns the new state and the answer.
pub fn cache_receive(
    me: NodeId,
    home: NodeId,
    key: Key,
    state: State,
    msg: Msg,
) -> Result<(State, Msg), Violation> {
    match (msg, state) {
        (Msg::Inv, State::Shared | State::Invalid) => Ok((State::Invalid, Msg::InvAck)),
        (Msg::Fetch { keep }, State::Modified) => Ok((
            if keep { State::Shared } else { State::Invalid },
            Msg::FetchAck,
        )),
        (m, s) => bad(format!(
            "node {home} sent {m:?} for page {key:#x} to node {me}, which holds it {s:?}"
        )),
    }
}

/// The state a grant installs.
pub fn granted_state(access: Access) -> State {
    match access {
        Access::Read => State::Shared,
        Access::Write => State::Modified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<Key, Entry>, NodeId, u64);
    impl Directory for Map {
        fn entry(&mut self, key: Key) -> &mut Entry {
            let home = self.1;
            self.0.entry(key).or_insert_with(|| Entry::new(home))
        }
        fn prefetchable(&self, _first: Key, key: Key) -> bool {
            key < self.2
        }
    }

    fn req(from: NodeId, access: Access, count: u32, corr: u64) -> Pending {
        Pending {
            from,
            access,
            count,
            corr,
        }
    }

    #[test]
    fn read_of_a_fresh_page_downgrades_the_home_and_prefetches() {
        let h = Home { me: 0 };
        let mut d = Map(HashMap::new(), 0, 4);
        let mut out = vec![];
        h.request(&mut d, 0, req(1, Access::Read, 8, 7), &mut out)
            .unwrap();
        let grants: Vec<_> = out
            .iter()
            .filter(|o| matches!(o, Out::Send { .. }))
            .collect();
        assert_eq!(
            grants,
            [&Out::Send {
                to: 1,
                key: 0,
                msg: Msg::Grant {
                    access: Access::Read,
                    count: 4,
                    data: true
                },
                corr: 7
            }]
        );
        assert_eq!(
            out.iter()
                .filter(|o| matches!(o, Out::Local { .. }))
                .count(),
            4
        );
        // A second request queues until Done.
        let mut out = vec![];
        h.request(&mut d, 2, req(2, Access::Write, 1, 8), &mut out)
            .unwrap();
        assert!(out.is_empty());
        h.receive(&mut d, 0, 1, Msg::Done { count: 4 }, &mut out)
            .unwrap();
        // Page 2's writer invalidates node 1 and the home.
        assert!(out.contains(&Out::Send {
            to: 1,
            key: 2,
            msg: Msg::Inv,
            corr: 0
        }));
        assert!(out.contains(&Out::Local {
            key: 2,
            state: State::Invalid
        }));
        let mut out = vec![];
        h.receive(&mut d, 2, 1, Msg::InvAck, &mut out).unwrap();
        assert_eq!(
            out,
            [Out::Send {
                to: 2,
                key: 2,
                msg: Msg::Grant {
                    access: Access::Write,
                    count: 1,
                    data: true
                },
                corr: 8
            }]
        );
    }

    #[test]
    fn upgrade_of_a_kept_copy_sends_no_data() {
        let h = Home { me: 0 };
        let mut d = Map(HashMap::new(), 0, 1);
        let mut out = vec![];
        h.request(&mut d, 0, req(1, Access::Read, 1, 1), &mut out)
            .unwrap();
        h.receive(&mut d, 0, 1, Msg::Done { count: 1 }, &mut out)
            .unwrap();
        out.clear();
        h.request(&mut d, 0, req(1, Access::Write, 1, 2), &mut out)
            .unwrap();
        assert_eq!(
            out,
            [
                Out::Local {
                    key: 0,
                    state: State::Invalid
                },
                Out::Send {
                    to: 1,
                    key: 0,
                    msg: Msg::Grant {
                        access: Access::Write,
                        count: 1,
                        data: false
                    },
                    corr: 2
                }
            ]
        );
    }

    #[test]
    fn ownership_moves_through_the_home() {
        let h = Home { me: 0 };
        let mut d = Map(HashMap::new(), 0, 1);
        let mut out = vec![];
        h.request(&mut d, 0, req(1, Access::Write, 1, 1), &mut out)
            .unwrap();
        h.receive(&mut d, 0, 1, Msg::Done { count: 1 }, &mut out)
            .unwrap();
        out.clear();
        h.request(&mut d, 0, req(2, Access::Write, 1, 2), &mut out)
            .unwrap();
        assert_eq!(
            out,
            [Out::Send {
                to: 1,
                key: 0,
                msg: Msg::Fetch { keep: false },
                corr: 0
            }]
        );
        assert!(!h.expects_fetch_ack(&mut d, 0, 2));
        out.clear();
        h.receive(&mut d, 0, 1, Msg::FetchAck, &mut out).unwrap();
        assert_eq!(d.entry(0).owner(), Some(2));
    }

    #[test]
    fn violations_are_refused_not_applied() {
        let h = Home { me: 0 };
        let mut d = Map(HashMap::new(), 0, 1);
        let mut out = vec![];
        assert!(h.receive(&mut d, 0, 1, Msg::InvAck, &mut out).is_err());
        assert!(h.receive(&mut d, 0, 1, Msg::FetchAck, &mut out).is_err());
        assert!(h
            .receive(&mut d, 0, 1, Msg::Done { count: 1 }, &mut out)
            .is_err());
        assert!(h.receive(&mut d, 0, 1, Msg::Inv, &mut out).is_err());
        assert!(h
            .request(&mut d, 0, req(1, Access::Write, 2, 1), &mut out)
            .is_err());
        assert!(h
            .request(&mut d, 0, req(0, Access::Read, 1, 1), &mut out)
            .is_err());
        assert!(out.is_empty());
        assert_eq!(d.entry(0), &Entry::new(0));
        assert!(cache_receive(1, 0, 0, State::Modified, Msg::Inv).is_err());
        assert!(cache_receive(1, 0, 0, State::Shared, Msg::Fetch { keep: true }).is_err());
    }
}
