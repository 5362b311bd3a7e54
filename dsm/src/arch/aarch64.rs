const ESR_MAGIC: u32 = 0x4553_5201;
/// Offset of `__reserved` in the kernel's `struct sigcontext`: fault
/// address, 31 registers, sp, pc, pstate (35 x 8 bytes), then 16-aligned.
const RESERVED_OFFSET: usize = 288;
const RESERVED_LEN: usize = 4096;

/// Was the faulting access a write? The ESR record's WnR bit, if the
/// kernel wrote one (qemu-user may not: then `None`, and the DSM asks for a
/// read first and upgrades on the next fault).
///
/// # Safety
/// `ctx` is the `ucontext_t` a SIGSEGV handler was given.
pub unsafe fn fault_is_write(ctx: *mut libc::c_void) -> Option<bool> {
    if ctx.is_null() {
        return None;
    }
    // SAFETY: the kernel passes a valid ucontext_t to an SA_SIGINFO handler;
    // its mcontext is the kernel's sigcontext, whose __reserved area is a
    // list of {magic, size} records ending with a zero magic.
    unsafe {
        let uc = ctx as *const libc::ucontext_t;
        let mc = std::ptr::addr_of!((*uc).uc_mcontext) as *const u8;
        let area = mc.add(RESERVED_OFFSET);
        let mut off = 0usize;
        while off + 8 <= RESERVED_LEN {
            let magic = (area.add(off) as *const u32).read_unaligned();
            let size = (area.add(off + 4) as *const u32).read_unaligned() as usize;
            if magic == 0 || size < 8 || off + size > RESERVED_LEN {
                return None;
            }
            if magic == ESR_MAGIC && size >= 16 {
                let esr = (area.add(off + 8) as *const u64).read_unaligned();
                let ec = esr >> 26;
                // Data abort from a lower exception level; WnR is bit 6.
                return if ec == 0x24 {
                    Some(esr & (1 << 6) != 0)
                } else {
                    None
                };
            }
            off += size;
        }
        None
    }
}
