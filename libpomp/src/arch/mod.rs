//! Per-ISA facts, one module per architecture.

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "aarch64")]
pub use aarch64::*;
#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;

/// A value on cache lines of its own, so that a line written by one thread
/// is not also the line others spin on (false sharing).
#[derive(Default)]
#[cfg_attr(target_arch = "x86_64", repr(align(128)))]
#[cfg_attr(target_arch = "aarch64", repr(align(128)))]
pub struct CachePadded<T>(pub T);

impl<T> std::ops::Deref for CachePadded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
