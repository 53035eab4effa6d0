package io.snapgate.store.config;

/**
 * Where every call enters the guest and the registers it enters with (docs/abi.md, "Entering the guest");
 * every general register not named here is zero.
 *
 * @param dispatchAddress RIP for a call: the address the guest's init reported
 * @param stackTop RSP: the end of the stack region, 16-byte aligned
 * @param controlPage RDI: the control page's address, 0x1000
 * @param cr3 the page tables' address, 0x2000
 */
public record EntryConfig(long dispatchAddress, long stackTop, long controlPage, long rflags, long cr0, long cr3,
        long cr4, long efer) {
}
