//! pomp-dsm: page-level distributed shared memory.
//!
//! This crate will hold the shared address window, page states, the
//! coherence protocol, fault capture and the DSM heap (DESIGN.md section 3,
//! "Memory" and "Consistency"). The single-node runtime does not use it; it
//! is empty until the DSM work lands.
