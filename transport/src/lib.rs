//! pomp-transport: moving messages between the nodes of a pomp job
//! (DESIGN.md sections 3 and 6; the wire format is in `README.md`).
//!
//! - [`wire`]: the frame format and its decoder;
//! - [`auth`]: the job secret and the mutual HMAC handshake;
//! - [`link`]: the byte-mover trait under the protocol;
//! - [`node`]: a node's API (send, broadcast, receive, request/response,
//!   failure events) and its progress thread, shared by every backend;
//! - [`tcp`]: the TCP full mesh and its bootstrap from the launcher;
//! - [`mem`]: every node in one process, for unit tests of the layers above;
//! - `rdma` (cargo feature `rdma`): reliable-connected verbs queue pairs.

pub mod auth;
pub mod link;
pub mod mem;
pub mod node;
#[cfg(feature = "rdma")]
pub mod rdma;
mod sys;
pub mod tcp;
pub mod wire;

pub use auth::Secret;
pub use node::{Config, Error, Event, Handle, Handler, Message, Node, NodeId, Reply};
