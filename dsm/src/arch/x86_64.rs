/// Was the faulting access a write? The page-fault error code's bit 1.
///
/// # Safety
/// `ctx` is the `ucontext_t` a SIGSEGV handler was given.
pub unsafe fn fault_is_write(ctx: *mut libc::c_void) -> Option<bool> {
    if ctx.is_null() {
        return None;
    }
    // SAFETY: the kernel passes a valid ucontext_t to an SA_SIGINFO handler.
    let uc = unsafe { &*(ctx as *const libc::ucontext_t) };
    Some(uc.uc_mcontext.gregs[libc::REG_ERR as usize] & 2 != 0)
}
