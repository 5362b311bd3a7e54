//! The in-process backend: every node of a job inside one process, each
//! pair joined by a Unix socket pair. It exists for unit tests of the layers
//! above (the DSM, the distributed runtime): no ports, no launcher, no
//! secret, and the same protocol code as TCP on top.

use crate::link::{Link, StreamLink};
use crate::node::{Config, Error, Handler, Node, NodeId};
use std::os::unix::net::UnixStream;

/// Start `n` connected nodes in this process. `handler(id)` gives each
/// node's handler (or `None` to queue everything for `recv`).
pub fn mesh(
    n: u32,
    cfg: Config,
    mut handler: impl FnMut(NodeId) -> Option<Handler>,
) -> Result<Vec<Node>, Error> {
    let mut tables: Vec<Vec<Option<Box<dyn Link>>>> =
        (0..n).map(|_| (0..n).map(|_| None).collect()).collect();
    for i in 0..n {
        for j in (i + 1)..n {
            let (a, b) =
                UnixStream::pair().map_err(|e| Error::Setup(format!("socketpair: {e}")))?;
            for s in [&a, &b] {
                let t = Some(cfg.peer_timeout);
                s.set_read_timeout(t)
                    .and_then(|()| s.set_write_timeout(t))
                    .map_err(|e| Error::Setup(format!("socketpair: {e}")))?;
            }
            tables[i as usize][j as usize] =
                Some(Box::new(StreamLink::new(a, format!("in-process node {j}"))));
            tables[j as usize][i as usize] =
                Some(Box::new(StreamLink::new(b, format!("in-process node {i}"))));
        }
    }
    tables
        .into_iter()
        .enumerate()
        .map(|(i, t)| Node::start(i as NodeId, t, cfg.clone(), handler(i as NodeId)))
        .collect()
}
