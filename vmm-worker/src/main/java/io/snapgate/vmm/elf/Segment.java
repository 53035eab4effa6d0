package io.snapgate.vmm.elf;

/**
 * One loadable segment: {@code fileSize} bytes of {@code data} at {@code address}, zero-filled up to
 * {@code memorySize}.
 */
public record Segment(long address, long memorySize, byte[] data, boolean readable, boolean writable,
        boolean executable) {

    public long end() {
        return address + memorySize;
    }

    /** {@code r-x}, {@code rw-}, ... */
    public String flags() {
        return (readable ? "r" : "-") + (writable ? "w" : "-") + (executable ? "x" : "-");
    }
}
