//! AArch64.
//!
//! Cortex-A and Neoverse cores have 64-byte lines; Apple's and some server
//! parts use 128-byte lines, so [`super::CachePadded`] pads to 128 bytes.

/// Bytes that keep two hot values from sharing a line on any arm64 part.
pub const FALSE_SHARING_RANGE: usize = 128;
