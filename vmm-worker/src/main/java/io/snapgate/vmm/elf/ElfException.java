package io.snapgate.vmm.elf;

/** A guest ELF the VMM will not load; the message says which check failed. */
public final class ElfException extends RuntimeException {
    public ElfException(String message) {
        super(message, null, false, false);
    }
}
