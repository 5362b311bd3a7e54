//! pomp's distributed shared memory: one window of virtual memory that
//! looks the same on every node of a job, kept sequentially consistent per
//! page by a home-based MSI protocol over `pomp-transport`; a shared heap
//! over it; and `share_existing` to make other memory (a program's
//! globals) part of it. See `dsm/README.md`.
//!
//! Use: make a [`Port`], start the transport node with its
//! [`Port::handler`], then [`Dsm::start`] on every node.

mod arch;
mod fault;
pub mod heap;
mod node;
pub mod proto;
mod sys;

pub use heap::Heap;
pub use node::{Config, Dsm, Error, Port, StatsSnapshot, DEFAULT_BASE, DEFAULT_SIZE};

/// The DSM's message kinds on the transport (for tests and tools).
pub mod kinds {
    pub use crate::node::{
        KIND_DONE, KIND_FETCH, KIND_FETCH_ACK, KIND_FREE, KIND_GRANT, KIND_HELLO, KIND_INV,
        KIND_INV_ACK, KIND_REQ, KIND_USABLE,
    };
}
