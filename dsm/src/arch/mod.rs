//! What the signal context says about a fault, per ISA.

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "x86_64")]
mod x86_64;

#[cfg(target_arch = "aarch64")]
pub use aarch64::fault_is_write;
#[cfg(target_arch = "x86_64")]
pub use x86_64::fault_is_write;

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
/// # Safety
/// Nothing to uphold: the context is not read on this ISA.
pub unsafe fn fault_is_write(_ctx: *mut libc::c_void) -> Option<bool> {
    None
}
