package io.snapgate.vmm.memory;

/**
 * A vCPU backend whose vCPUs run in another process: it maps guest memory there, since a vCPU can only run on
 * memory its own process maps. Backends that run in this process map with {@link GuestMemory#map}.
 */
public interface MemoryHost {

    /** As {@link GuestMemory#map}, in the backend's process. */
    GuestMemory map(MemoryFile file, MemoryLayout layout, boolean shared);
}
