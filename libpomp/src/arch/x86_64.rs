//! x86-64.
//!
//! Cache lines are 64 bytes, but Intel's spatial prefetcher pulls lines in
//! pairs (Intel 64 and IA-32 Optimization Reference Manual, "Data Prefetching"
//! on the L2 streamer and adjacent-line prefetch), so [`super::CachePadded`]
//! pads to 128 bytes, as crossbeam's `CachePadded` does for this ISA.

/// Bytes that keep two hot values from sharing a prefetched pair of lines.
pub const FALSE_SHARING_RANGE: usize = 128;
