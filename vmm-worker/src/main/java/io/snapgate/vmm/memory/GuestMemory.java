package io.snapgate.vmm.memory;

import com.sun.jna.Pointer;
import io.snapgate.vmm.vcpu.MemorySlot;
import java.util.List;

/**
 * One sandbox's guest memory, held for the sandbox's whole life: mapped in this process
 * ({@link MappedGuestMemory}), or in the process that runs the sandbox's vCPU (the emulated backend's). Every
 * access takes a guest address and is bounds-checked against the memory size.
 */
public interface GuestMemory extends AutoCloseable {

    /**
     * Maps {@code file} with {@code layout} in this process. {@code shared} maps it {@code MAP_SHARED} so writes
     * land in the file (used only while building an image); otherwise {@code MAP_PRIVATE}.
     */
    static GuestMemory map(MemoryFile file, MemoryLayout layout, boolean shared) {
        return MappedGuestMemory.map(file, layout, shared);
    }

    /** Maps {@code next} in place of the current file, dropping everything the previous mapping held. */
    void remap(MemoryFile next, boolean shared);

    /** Brings every writable page back to the file's content, the way {@code strategy} says. */
    void reset(ResetStrategy strategy);

    /** A new in-memory file holding the memory as it is now. */
    MemoryFile copyToFile(String name);

    /**
     * The vCPU's view: one slot per region, with host addresses where the vCPU's process has them. Code slots
     * point into the file's shared read-only view, the others into the sandbox's own mapping.
     */
    List<MemorySlot> slots();

    MemoryLayout layout();

    MemoryFile file();

    /** The host memory itself, for code that writes a whole image (page tables) into a shared mapping. */
    Pointer pointer();

    int readInt(long address);

    long readLong(long address);

    void writeInt(long address, int value);

    void writeLong(long address, long value);

    byte[] read(long address, int length);

    void write(long address, byte[] bytes);

    /** Writes a frame as the ABI lays one out: its length as a u32, then its bytes. */
    default void writeFrame(long address, byte[] payload) {
        writeInt(address, payload.length);
        write(address + 4, payload);
    }

    /** Whether the process that held this memory is gone (it can then never be used again). */
    default boolean lost() {
        return false;
    }

    @Override
    void close();
}
