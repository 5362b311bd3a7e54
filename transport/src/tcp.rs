//! The TCP backend: a full mesh with one connection per pair of nodes.
//!
//! Who dials whom is fixed by the node list: node `i` connects to every
//! `j < i` and accepts from every `j > i`, so each pair has exactly one
//! connection and no tie-breaking is needed. Every connection runs the
//! handshake of `auth.rs` before it carries a frame; a connection that fails
//! it is dropped and logged and never reaches the node.

use crate::auth::{handshake, Secret};
use crate::link::{Link, StreamLink};
use crate::node::{Config, Error, Handler, Node, NodeId};
use std::collections::HashSet;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Environment variable: this node's id.
pub const ENV_NODE_ID: &str = "POMP_NODE_ID";
/// Environment variable: every node's `host:port`, comma-separated, in id order.
pub const ENV_NODES: &str = "POMP_NODES";

/// What a node is told by the launcher.
#[derive(Clone, Debug)]
pub struct Bootstrap {
    pub me: NodeId,
    pub addrs: Vec<SocketAddr>,
    pub secret: Secret,
}

impl Bootstrap {
    /// Read `POMP_NODE_ID`, `POMP_NODES` and the job secret
    /// (`POMP_JOB_SECRET_FILE` or `POMP_JOB_SECRET`).
    pub fn from_env() -> Result<Bootstrap, String> {
        let id = std::env::var(ENV_NODE_ID).map_err(|_| format!("{ENV_NODE_ID} is not set"))?;
        let nodes = std::env::var(ENV_NODES).map_err(|_| format!("{ENV_NODES} is not set"))?;
        let me = id
            .trim()
            .parse::<NodeId>()
            .map_err(|_| format!("{ENV_NODE_ID}={id:?} is not a node number"))?;
        let addrs = parse_nodes(&nodes).map_err(|e| format!("{ENV_NODES}: {e}"))?;
        if me as usize >= addrs.len() {
            return Err(format!(
                "{ENV_NODE_ID}={me} but {ENV_NODES} lists {} nodes",
                addrs.len()
            ));
        }
        Ok(Bootstrap {
            me,
            addrs,
            secret: Secret::from_env()?,
        })
    }
}

/// Parse a comma-separated node list. A bare port means loopback.
pub fn parse_nodes(s: &str) -> Result<Vec<SocketAddr>, String> {
    let mut out = Vec::new();
    for item in s.split(',').map(str::trim) {
        if item.is_empty() {
            return Err("empty entry in the node list".into());
        }
        let addr = if let Ok(port) = item.parse::<u16>() {
            SocketAddr::from(([127, 0, 0, 1], port))
        } else {
            item.to_socket_addrs()
                .map_err(|e| format!("{item:?}: {e}"))?
                .next()
                .ok_or_else(|| format!("{item:?} resolves to no address"))?
        };
        if addr.port() == 0 {
            return Err(format!("{item:?} has no port"));
        }
        out.push(addr);
    }
    if out.len() > u16::MAX as usize {
        return Err("too many nodes".into());
    }
    Ok(out)
}

/// Bind this node's listener. `None` binds loopback on a free port (the
/// launcher then learns the port and tells the other nodes).
pub fn listen(addr: Option<SocketAddr>) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))))
}

/// Connect node `me` to the job's other nodes and start it.
pub fn connect(
    listener: TcpListener,
    me: NodeId,
    addrs: &[SocketAddr],
    secret: &Secret,
    cfg: Config,
    handler: Option<Handler>,
) -> Result<Node, Error> {
    let streams = establish(listener, me, addrs, secret, &cfg)?;
    let mut table: Vec<Option<Box<dyn Link>>> = Vec::with_capacity(streams.len());
    for (p, s) in streams.into_iter().enumerate() {
        table.push(match s {
            None => None,
            Some(s) => {
                let what = s
                    .peer_addr()
                    .map(|a| a.to_string())
                    .unwrap_or_else(|_| "?".into());
                // A frame stalled half-way for longer than the peer timeout
                // is a failed peer, not a reason to hang.
                let t = Some(cfg.peer_timeout);
                s.set_read_timeout(t)
                    .and_then(|()| s.set_write_timeout(t))
                    .map_err(|e| {
                        Error::Setup(format!("node {me}: socket options for node {p}: {e}"))
                    })?;
                Some(Box::new(StreamLink::new(s, what)))
            }
        });
    }
    Node::start(me, table, cfg, handler)
}

/// Build the authenticated full mesh: one handshaken TCP stream per peer
/// (`None` at `me`). The RDMA backend exchanges its queue-pair data over
/// these before switching to verbs.
pub fn establish(
    listener: TcpListener,
    me: NodeId,
    addrs: &[SocketAddr],
    secret: &Secret,
    cfg: &Config,
) -> Result<Vec<Option<TcpStream>>, Error> {
    let n = addrs.len();
    if me as usize >= n {
        return Err(Error::NoSuchNode(me));
    }
    let deadline = Instant::now() + cfg.setup_timeout;
    let links: Arc<Mutex<Vec<Option<TcpStream>>>> =
        Arc::new(Mutex::new((0..n).map(|_| None).collect()));

    // Accept from every higher node, each handshake on its own thread so a
    // silent or hostile connection cannot hold up the others.
    let acceptor = {
        let links = links.clone();
        let secret = secret.clone();
        let cfg = cfg.clone();
        let want: HashSet<NodeId> = ((me + 1)..n as NodeId).collect();
        thread::Builder::new()
            .name(format!("pomp-accept-{me}"))
            .spawn(move || {
                accept_all(
                    listener, me, n as u32, want, &secret, &cfg, deadline, &links,
                )
            })
            .map_err(|e| Error::Setup(format!("node {me}: {e}")))?
    };

    let mut dial_err = None;
    for j in 0..me {
        match dial(me, j, addrs[j as usize], n as u32, secret, cfg, deadline) {
            Ok(s) => links.lock().unwrap()[j as usize] = Some(s),
            Err(e) => {
                dial_err = Some(e);
                break;
            }
        }
    }
    let accept_result = acceptor
        .join()
        .unwrap_or_else(|_| Err(Error::Setup("acceptor panicked".into())));
    if let Some(e) = dial_err {
        return Err(e);
    }
    accept_result?;
    let streams = std::mem::take(&mut *links.lock().unwrap());
    for (p, s) in streams.iter().enumerate() {
        if s.is_none() && p as NodeId != me {
            return Err(Error::Setup(format!(
                "node {me}: no connection to node {p}"
            )));
        }
    }
    Ok(streams)
}

/// Bootstrap from the environment: bind this node's own address from the
/// list (loopback unless the list says otherwise) and connect.
pub fn connect_from_env(cfg: Config, handler: Option<Handler>) -> Result<Node, Error> {
    let b = Bootstrap::from_env().map_err(Error::Setup)?;
    let own = b.addrs[b.me as usize];
    let l = listen(Some(own))
        .map_err(|e| Error::Setup(format!("node {}: listen on {own}: {e}", b.me)))?;
    connect(l, b.me, &b.addrs, &b.secret, cfg, handler)
}

fn dial(
    me: NodeId,
    j: NodeId,
    addr: SocketAddr,
    n: u32,
    secret: &Secret,
    cfg: &Config,
    deadline: Instant,
) -> Result<TcpStream, Error> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Error::Setup(format!(
                "node {me}: timed out connecting to node {j} at {addr}"
            )));
        }
        let mut s = match TcpStream::connect_timeout(&addr, left.min(Duration::from_secs(1))) {
            Ok(s) => s,
            Err(_) => {
                // Not listening yet (or not reachable yet): try again.
                thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let setup = |e: std::io::Error| {
            Error::Setup(format!("node {me}: connection to node {j} at {addr}: {e}"))
        };
        s.set_nodelay(true).map_err(setup)?;
        s.set_read_timeout(Some(cfg.handshake_timeout))
            .map_err(setup)?;
        s.set_write_timeout(Some(cfg.handshake_timeout))
            .map_err(setup)?;
        return match handshake(&mut s, secret, me, n, |p| p == j) {
            Ok(_) => Ok(s),
            Err(e) => Err(Error::Setup(format!(
                "node {me}: handshake with node {j} at {addr}: {e}"
            ))),
        };
    }
}

#[allow(clippy::too_many_arguments)]
fn accept_all(
    listener: TcpListener,
    me: NodeId,
    n: u32,
    want: HashSet<NodeId>,
    secret: &Secret,
    cfg: &Config,
    deadline: Instant,
    links: &Arc<Mutex<Vec<Option<TcpStream>>>>,
) -> Result<(), Error> {
    let setup = |e: std::io::Error| Error::Setup(format!("node {me}: listener: {e}"));
    listener.set_nonblocking(true).map_err(setup)?;
    let missing = |links: &Arc<Mutex<Vec<Option<TcpStream>>>>| -> Vec<NodeId> {
        let l = links.lock().unwrap();
        let mut m: Vec<NodeId> = want
            .iter()
            .copied()
            .filter(|&p| l[p as usize].is_none())
            .collect();
        m.sort_unstable();
        m
    };
    loop {
        let left = missing(links);
        if left.is_empty() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            let names: Vec<String> = left.iter().map(|p| p.to_string()).collect();
            return Err(Error::Setup(format!(
                "node {me}: timed out waiting for node(s) {} to connect",
                names.join(", ")
            )));
        }
        match listener.accept() {
            Ok((mut s, from)) => {
                let links = links.clone();
                let secret = secret.clone();
                let want = want.clone();
                let hs = cfg.handshake_timeout;
                thread::spawn(move || {
                    let prep = s
                        .set_nonblocking(false)
                        .and_then(|()| s.set_nodelay(true))
                        .and_then(|()| s.set_read_timeout(Some(hs)))
                        .and_then(|()| s.set_write_timeout(Some(hs)));
                    if let Err(e) = prep {
                        eprintln!(
                            "pomp: transport: node {me}: dropped connection from {from}: {e}"
                        );
                        return;
                    }
                    // Only a node still missing is welcome; the slot is taken
                    // after the proof, so an impostor cannot reserve it.
                    let accept = |p: NodeId| {
                        want.contains(&p) && links.lock().unwrap()[p as usize].is_none()
                    };
                    match handshake(&mut s, &secret, me, n, accept) {
                        Ok(p) => {
                            let mut l = links.lock().unwrap();
                            if l[p as usize].is_none() {
                                l[p as usize] = Some(s);
                            } else {
                                eprintln!("pomp: transport: node {me}: dropped a second connection from node {p} ({from})");
                            }
                        }
                        Err(e) => {
                            eprintln!(
                                "pomp: transport: node {me}: dropped connection from {from}: {e}"
                            )
                        }
                    }
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(2))
            }
            Err(e) => {
                eprintln!("pomp: transport: node {me}: accept: {e}");
                thread::sleep(Duration::from_millis(20));
            }
        }
    }
}
