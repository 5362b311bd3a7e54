//! Operating-system services the runtime needs, one module per OS.
//!
//! Everything here is a thin, documented wrapper over a system call; the rest
//! of the runtime never calls `libc` directly.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::*;
#[cfg(target_os = "linux")]
pub mod topology;
