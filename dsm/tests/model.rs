//! Explicit-state model check of the coherence protocol: the home and cache
//! code of `pomp_dsm::proto` (the code the nodes run), driven by a model of
//! nodes whose threads run programs of reads, writes and atomic increments,
//! over a network that delivers any in-flight message next (no ordering
//! assumed). A node has one request out per page at most, as the DSM's
//! service thread does: a thread that misses on a page another thread of
//! its node asked for (or that a read's prefetch covers) waits for that
//! grant and tries again; requests for other pages go out at once.
//!
//! Checked in every reachable state: at most one writer or any number of
//! readers per page; every read or atomic sees the last value written; no
//! protocol violation; and no deadlock (a state with nothing left to do has
//! every program finished, the network empty and every directory idle).

use pomp_dsm::proto::{
    cache_receive, granted_state, Access, Directory, Entry, Home, Key, Msg, NodeId, Out, Pending,
    State,
};
use stateright::{Checker, Model, Property};

#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
enum Op {
    Read(usize),
    Write(usize, u8),
    Inc(usize),
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, PartialOrd, Ord)]
struct Envelope {
    to: NodeId,
    from: NodeId,
    key: Key,
    msg: Msg,
    corr: u64,
    data: Vec<u8>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct Sys {
    /// [node][page]: the node's cache state and its copy of the value.
    cache: Vec<Vec<(State, u8)>>,
    /// [thread]: the request (its `corr`) the thread waits for.
    pending: Vec<Option<u64>>,
    /// [node]: its requests out, as (first page, pages, corr).
    out: Vec<Vec<(Key, u32, u64)>>,
    /// [thread]: its next operation.
    pc: Vec<usize>,
    /// [page]: the directory entry, kept by the page's home.
    dir: Vec<Entry>,
    /// In flight, sorted (a multiset).
    net: Vec<Envelope>,
    /// The last value written to each page.
    truth: Vec<u8>,
    /// The first violation, stale read or lost update seen.
    error: Option<String>,
}

struct Protocol {
    homes: Vec<NodeId>,
    /// [thread]: its program.
    programs: Vec<Vec<Op>>,
    /// [thread]: the node it runs on.
    node_of: Vec<NodeId>,
    nodes: usize,
}

impl Protocol {
    /// One thread per node.
    fn new(homes: Vec<NodeId>, programs: Vec<Vec<Op>>) -> Protocol {
        let n = programs.len();
        Protocol {
            homes,
            programs,
            node_of: (0..n as NodeId).collect(),
            nodes: n,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Action {
    /// A thread's next operation.
    Step(usize),
    Deliver(usize),
}

/// The model's directory: all pages in one vector; the home code only ever
/// touches the pages it is home of (checked).
struct Dir<'a> {
    me: NodeId,
    homes: &'a [NodeId],
    entries: &'a mut Vec<Entry>,
}

impl Directory for Dir<'_> {
    fn entry(&mut self, key: Key) -> &mut Entry {
        assert_eq!(
            self.homes[key as usize], self.me,
            "home code left its pages"
        );
        &mut self.entries[key as usize]
    }
    fn prefetchable(&self, _first: Key, key: Key) -> bool {
        (key as usize) < self.homes.len() && self.homes[key as usize] == self.me
    }
}

impl Protocol {
    fn nodes(&self) -> usize {
        self.nodes
    }

    fn threads(&self) -> usize {
        self.programs.len()
    }

    fn send(&self, s: &mut Sys, from: NodeId, outs: Vec<Out>) {
        for o in outs {
            match o {
                Out::Local { key, state } => s.cache[from as usize][key as usize].0 = state,
                Out::Send { to, key, msg, corr } => {
                    let data = match msg {
                        Msg::Grant {
                            count, data: true, ..
                        } => (0..count as u64)
                            .map(|i| s.cache[from as usize][(key + i) as usize].1)
                            .collect(),
                        _ => vec![],
                    };
                    s.net.push(Envelope {
                        to,
                        from,
                        key,
                        msg,
                        corr,
                        data,
                    });
                }
            }
        }
        s.net.sort();
    }

    fn step(&self, s: &mut Sys, t: usize) {
        let n = self.node_of[t];
        let me = n as usize;
        let op = self.programs[t][s.pc[t]];
        let (page, access) = match op {
            Op::Read(p) => (p, Access::Read),
            Op::Write(p, _) | Op::Inc(p) => (p, Access::Write),
        };
        let (state, value) = s.cache[me][page];
        if state.allows(access) {
            match op {
                Op::Read(_) | Op::Inc(_) if value != s.truth[page] => {
                    s.error = Some(format!(
                        "node {n} read {value} from page {page}, last written {}",
                        s.truth[page]
                    ));
                }
                Op::Read(_) => {}
                Op::Write(_, v) => {
                    s.cache[me][page].1 = v;
                    s.truth[page] = v;
                }
                Op::Inc(_) => {
                    s.cache[me][page].1 = value + 1;
                    s.truth[page] = value + 1;
                }
            }
            s.pc[t] += 1;
            return;
        }
        // A request of this node covers the page: wait for its grant.
        if let Some(&(_, _, corr)) = s.out[me]
            .iter()
            .find(|(k, c, _)| (page as Key) >= *k && (page as Key) < k + *c as Key)
        {
            s.pending[t] = Some(corr);
            return;
        }
        // Miss: ask the home; a read also asks for the next page when it is
        // homed at the same node and invalid here (the prefetch).
        let home = self.homes[page];
        let count = if access == Access::Read
            && page + 1 < self.homes.len()
            && self.homes[page + 1] == home
            && s.cache[me][page + 1].0 == State::Invalid
            && !s.out[me].iter().any(|(k, _, _)| *k == page as Key + 1)
        {
            2
        } else {
            1
        };
        let corr = t as u64 + 1;
        s.pending[t] = Some(corr);
        s.out[me].push((page as Key, count, corr));
        s.net.push(Envelope {
            to: home,
            from: n,
            key: page as Key,
            msg: Msg::Req { access, count },
            corr,
            data: vec![],
        });
        s.net.sort();
    }

    fn deliver(&self, s: &mut Sys, e: Envelope) {
        let to = e.to as usize;
        let mut outs = vec![];
        let home = Home { me: e.to };
        let mut dir = Dir {
            me: e.to,
            homes: &self.homes,
            entries: &mut s.dir,
        };
        let r = match e.msg {
            Msg::Req { access, count } => home.request(
                &mut dir,
                e.key,
                Pending {
                    from: e.from,
                    access,
                    count,
                    corr: e.corr,
                },
                &mut outs,
            ),
            Msg::FetchAck => {
                if home.expects_fetch_ack(&mut dir, e.key, e.from) {
                    s.cache[to][e.key as usize].1 = e.data[0];
                }
                let mut dir = Dir {
                    me: e.to,
                    homes: &self.homes,
                    entries: &mut s.dir,
                };
                home.receive(&mut dir, e.key, e.from, e.msg, &mut outs)
            }
            Msg::InvAck | Msg::Done { .. } => {
                home.receive(&mut dir, e.key, e.from, e.msg, &mut outs)
            }
            Msg::Inv | Msg::Fetch { .. } => {
                let (state, value) = s.cache[to][e.key as usize];
                match cache_receive(e.to, e.from, e.key, state, e.msg) {
                    Ok((new, answer)) => {
                        s.cache[to][e.key as usize].0 = new;
                        let data = if answer == Msg::FetchAck {
                            vec![value]
                        } else {
                            vec![]
                        };
                        s.net.push(Envelope {
                            to: e.from,
                            from: e.to,
                            key: e.key,
                            msg: answer,
                            corr: 0,
                            data,
                        });
                        Ok(())
                    }
                    Err(v) => Err(v),
                }
            }
            Msg::Grant {
                access,
                count,
                data,
            } => {
                let Some(i) = s.out[to]
                    .iter()
                    .position(|&(k, c, corr)| corr == e.corr && k == e.key && count <= c)
                else {
                    s.error = Some(format!("unexpected grant to node {}", e.to));
                    return;
                };
                s.out[to].remove(i);
                for i in 0..count as usize {
                    let c = &mut s.cache[to][e.key as usize + i];
                    if data {
                        c.1 = e.data[i];
                    } else if c.0 != State::Shared {
                        s.error = Some(format!("node {} upgraded a copy it lost", e.to));
                    }
                    c.0 = granted_state(access);
                }
                for p in s.pending.iter_mut() {
                    if *p == Some(e.corr) {
                        *p = None;
                    }
                }
                s.net.push(Envelope {
                    to: e.from,
                    from: e.to,
                    key: e.key,
                    msg: Msg::Done { count },
                    corr: 0,
                    data: vec![],
                });
                Ok(())
            }
        };
        if let Err(v) = r {
            s.error = Some(v.0);
        }
        self.send(s, e.to, outs);
    }
}

impl Model for Protocol {
    type State = Sys;
    type Action = Action;

    fn init_states(&self) -> Vec<Sys> {
        let pages = self.homes.len();
        let cache = (0..self.nodes())
            .map(|n| {
                (0..pages)
                    .map(|p| {
                        let st = if self.homes[p] == n as NodeId {
                            State::Modified
                        } else {
                            State::Invalid
                        };
                        (st, 0)
                    })
                    .collect()
            })
            .collect();
        vec![Sys {
            cache,
            pending: vec![None; self.threads()],
            out: vec![vec![]; self.nodes()],
            pc: vec![0; self.threads()],
            dir: self.homes.iter().map(|&h| Entry::new(h)).collect(),
            net: vec![],
            truth: vec![0; pages],
            error: None,
        }]
    }

    fn actions(&self, s: &Sys, actions: &mut Vec<Action>) {
        if s.error.is_some() {
            return;
        }
        for t in 0..self.threads() {
            if s.pending[t].is_none() && s.pc[t] < self.programs[t].len() {
                actions.push(Action::Step(t));
            }
        }
        for i in 0..s.net.len() {
            if i == 0 || s.net[i] != s.net[i - 1] {
                actions.push(Action::Deliver(i));
            }
        }
    }

    fn next_state(&self, last: &Sys, action: Action) -> Option<Sys> {
        let mut s = last.clone();
        match action {
            Action::Step(n) => self.step(&mut s, n),
            Action::Deliver(i) => {
                let e = s.net.remove(i);
                self.deliver(&mut s, e);
            }
        }
        Some(s)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always("no violation, stale read or lost update", |_, s: &Sys| {
                s.error.is_none()
            }),
            Property::always("one writer or many readers", |m: &Protocol, s: &Sys| {
                one_writer_or_readers(m.homes.len(), s)
            }),
            Property::always("no deadlock", |m: &Protocol, s: &Sys| {
                let mut a = vec![];
                m.actions(s, &mut a);
                !a.is_empty()
                    || s.error.is_some()
                    || (s.net.is_empty()
                        && s.dir.iter().all(|e| e.idle())
                        && (0..m.threads()).all(|t| s.pc[t] == m.programs[t].len()))
            }),
            Property::sometimes("every program finishes", |m: &Protocol, s: &Sys| {
                (0..m.threads()).all(|t| s.pc[t] == m.programs[t].len()) && s.net.is_empty()
            }),
        ]
    }
}

/// Per page: no node holds it Modified, or exactly one does and none
/// holds it Shared.
fn one_writer_or_readers(pages: usize, s: &Sys) -> bool {
    (0..pages).all(|p| {
        let w = s.cache.iter().filter(|c| c[p].0 == State::Modified).count();
        let r = s.cache.iter().filter(|c| c[p].0 == State::Shared).count();
        w == 0 || (w == 1 && r == 0)
    })
}

fn check(p: Protocol) -> usize {
    let c = p.checker().threads(2).spawn_bfs().join();
    c.assert_properties();
    c.unique_state_count()
}

fn programs() -> Vec<Vec<Op>> {
    vec![
        vec![Op::Inc(0), Op::Read(1), Op::Write(1, 7)],
        vec![Op::Inc(0), Op::Inc(1)],
        vec![Op::Read(0), Op::Inc(1), Op::Read(0)],
    ]
}

/// Three nodes, two pages with different homes (node 2 is home of none):
/// misses, upgrades, invalidations and ownership transfer.
#[test]
fn three_nodes_two_pages_two_homes() {
    let n = check(Protocol::new(vec![0, 1], programs()));
    println!("{n} states");
    assert!(n > 1000, "the model explored only {n} states");
}

/// Three nodes, two pages with one home: reads prefetch the next page.
#[test]
fn three_nodes_two_pages_one_home_with_prefetch() {
    let n = check(Protocol::new(vec![1, 1], programs()));
    println!("{n} states");
    assert!(n > 1000, "the model explored only {n} states");
}

/// Two threads on node 0 with requests out at once, on different pages
/// and on the same one (one waits for the other's grant; a write that
/// waited for a read grant asks again), against a node writing both.
#[test]
fn two_threads_of_a_node_with_requests_out_at_once() {
    for homes in [vec![1, 2], vec![1, 1]] {
        let n = check(Protocol {
            homes,
            programs: vec![
                vec![Op::Read(0), Op::Inc(1)],
                vec![Op::Inc(1), Op::Inc(0)],
                vec![Op::Inc(0), Op::Write(1, 9)],
                vec![Op::Read(1), Op::Read(0)],
            ],
            node_of: vec![0, 0, 1, 2],
            nodes: 3,
        });
        println!("{n} states");
        assert!(n > 1000, "the model explored only {n} states");
    }
}

/// The checker finds a bug when there is one: a protocol that forgot to
/// invalidate sharers (modelled by dropping every `Inv`) must fail.
#[test]
fn the_model_catches_a_broken_protocol() {
    struct Broken(Protocol);
    impl Model for Broken {
        type State = Sys;
        type Action = Action;
        fn init_states(&self) -> Vec<Sys> {
            self.0.init_states()
        }
        fn actions(&self, s: &Sys, a: &mut Vec<Action>) {
            self.0.actions(s, a)
        }
        fn next_state(&self, last: &Sys, action: Action) -> Option<Sys> {
            if let Action::Deliver(i) = action {
                if last.net[i].msg == Msg::Inv {
                    // Acknowledge without dropping the copy.
                    let mut s = last.clone();
                    let e = s.net.remove(i);
                    s.net.push(Envelope {
                        to: e.from,
                        from: e.to,
                        key: e.key,
                        msg: Msg::InvAck,
                        corr: 0,
                        data: vec![],
                    });
                    s.net.sort();
                    return Some(s);
                }
            }
            self.0.next_state(last, action)
        }
        fn properties(&self) -> Vec<Property<Self>> {
            vec![Property::always(
                "one writer or many readers",
                |m: &Broken, s: &Sys| one_writer_or_readers(m.0.homes.len(), s),
            )]
        }
    }
    let c = Broken(Protocol::new(vec![0, 1], programs()))
        .checker()
        .spawn_bfs()
        .join();
    assert!(
        c.discovery("one writer or many readers").is_some(),
        "the broken protocol was not caught"
    );
}
