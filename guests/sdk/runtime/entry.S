/*
 * The guest's entries and its exit (docs/abi.md, "Entering the guest" and
 * "Exits"). The host enters both entries with RSP = stack top (16-byte
 * aligned) and RDI = the control page, so a plain `call` gives C the
 * alignment the System V ABI expects.
 */
#define PORT_DONE 0x100
#define MSR_FS_BASE 0xC0000100

    .text

/*
 * FS base = sg_thread, musl's thread block (libc/thread.c): libc reads its
 * stack canary, errno and locale through %fs. The host enters with FS base 0,
 * so both entries set it; `wrmsr` is allowed at the guest's privilege level.
 */
.macro set_thread_pointer
    mov $MSR_FS_BASE, %ecx
    mov $sg_thread, %eax
    xor %edx, %edx
    wrmsr
.endm

/* Init: sg_runtime_init(control) registers the functions and writes the init frame. */
    .globl _start
    .type _start, @function
_start:
    set_thread_pointer
    call sg_runtime_init
    jmp exit_done
    .size _start, . - _start

/* Call: sg_runtime_dispatch() runs the call frame's function and writes the result frame. */
    .globl sg_dispatch_entry
    .type sg_dispatch_entry, @function
sg_dispatch_entry:
    set_thread_pointer
    call sg_runtime_dispatch
exit_done:
    mov $PORT_DONE, %edx
    xor %eax, %eax
    out %eax, %dx
    hlt
    jmp exit_done /* the host never resumes after DONE; if it does, exit again */
    .size sg_dispatch_entry, . - sg_dispatch_entry

/*
 * void sg_exit(uint32_t port, uint32_t value): `out dx, eax; hlt`. Returns
 * when the host resumes the guest after the hlt, registers kept.
 */
    .globl sg_exit
    .type sg_exit, @function
sg_exit:
    mov %edi, %edx
    mov %esi, %eax
    out %eax, %dx
    hlt
    ret
    .size sg_exit, . - sg_exit

    .section .note.GNU-stack, "", @progbits
