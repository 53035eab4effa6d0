/*
 * The guest's entries and its exit (docs/abi.md, "Entering the guest" and
 * "Exits"). The host enters both entries with RSP = stack top (16-byte
 * aligned) and RDI = the control page, so a plain `call` gives C the
 * alignment the System V ABI expects.
 */
#define PORT_DONE 0x100

    .text

/* Init: sg_runtime_init(control) registers the functions and writes the init frame. */
    .globl _start
    .type _start, @function
_start:
    call sg_runtime_init
    jmp exit_done
    .size _start, . - _start

/* Call: sg_runtime_dispatch() runs the call frame's function and writes the result frame. */
    .globl sg_dispatch_entry
    .type sg_dispatch_entry, @function
sg_dispatch_entry:
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
