//! pomp-transport: moving messages between the nodes of a pomp job.
//!
//! This crate will hold the wire format, the TCP and RDMA byte movers, the
//! in-process transport for unit tests and the authenticated handshake
//! (DESIGN.md section 3, "Transport", and section 6). The single-node
//! runtime does not use it; it is empty until the transport work lands.
