package io.snapgate.store.config;

import static io.snapgate.store.config.Names.fail;
import static io.snapgate.store.config.Names.hex;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks {@code memory}: the size, each region, overlaps, and the regions the ABI requires (docs/abi.md). */
final class RegionCheck {
    static final long PAGE_SIZE = 4096;
    static final long MAX_MEMORY = 16L << 30;
    static final int MAX_REGIONS = 1024;
    static final long CONTROL_ADDRESS = 0x1000;
    static final long PAGE_TABLES_ADDRESS = 0x2000;

    static final String CONTROL = "control";
    static final String PAGE_TABLES = "page-tables";
    static final String HEAP = "heap";
    static final String STACK = "stack";
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    private RegionCheck() {
    }

    /** Returns the regions by name. */
    static Map<String, RegionConfig> check(MemoryConfig memory) {
        if (memory == null) {
            throw fail(Problem.CONFIG_FIELD, "memory", "is missing");
        }
        long size = memory.size();
        if (size <= 0) {
            throw fail(Problem.CONFIG_MEMORY, "memory.size", size + " is not positive");
        }
        if (size % PAGE_SIZE != 0) {
            throw fail(Problem.CONFIG_MEMORY, "memory.size", hex(size) + " is not a multiple of 4 KiB");
        }
        if (size > MAX_MEMORY) {
            throw fail(Problem.CONFIG_MEMORY, "memory.size", hex(size) + " exceeds 16 GiB");
        }
        List<RegionConfig> regions = memory.regions();
        if (regions == null || regions.isEmpty() || regions.size() > MAX_REGIONS) {
            throw fail(Problem.CONFIG_REGIONS, "memory.regions", "must list 1 to " + MAX_REGIONS + " regions");
        }
        Map<String, RegionConfig> byName = new HashMap<>();
        for (int i = 0; i < regions.size(); i++) {
            RegionConfig r = regions.get(i);
            String field = "memory.regions[" + i + "]";
            if (r == null) {
                throw fail(Problem.CONFIG_REGIONS, field, "is null");
            }
            Names.check(Problem.CONFIG_REGIONS, field + ".name", r.name());
            checkBounds(field + " (" + r.name() + ")", r, size);
            if (byName.put(r.name(), r) != null) {
                throw fail(Problem.CONFIG_REGIONS, field + ".name", "\"" + r.name() + "\" names two regions");
            }
        }
        checkOverlaps(regions);
        requireAt(byName, CONTROL, CONTROL_ADDRESS, PAGE_SIZE, RegionConfig.READ_WRITE);
        requireAt(byName, PAGE_TABLES, PAGE_TABLES_ADDRESS, pageTablesSize(size), RegionConfig.READ_ONLY);
        for (String name : List.of(HEAP, STACK, INPUT, OUTPUT)) {
            require(byName, name, RegionConfig.READ_WRITE);
        }
        return byName;
    }

    private static void checkBounds(String field, RegionConfig r, long memorySize) {
        if (r.size() <= 0 || ((r.address() | r.size()) & (PAGE_SIZE - 1)) != 0) {
            throw fail(Problem.CONFIG_REGIONS, field, "at " + hex(r.address()) + " size " + hex(r.size())
                    + " is not page aligned with a positive size");
        }
        if (r.address() < PAGE_SIZE) {
            throw fail(Problem.CONFIG_REGIONS, field, "at " + hex(r.address())
                    + " overlaps the null guard page (page 0)");
        }
        if (r.size() > memorySize || r.address() > memorySize - r.size()) {
            throw fail(Problem.CONFIG_REGIONS, field, "at " + hex(r.address()) + " size " + hex(r.size())
                    + " lies outside the memory size " + hex(memorySize));
        }
        if (r.protection() == null || !RegionConfig.PROTECTIONS.contains(r.protection())) {
            throw fail(Problem.CONFIG_REGIONS, field + ".protection", SnapshotFormatException.quote(r.protection())
                    + " is not one of " + RegionConfig.PROTECTIONS);
        }
    }

    private static void checkOverlaps(List<RegionConfig> regions) {
        List<RegionConfig> sorted = new ArrayList<>(regions);
        sorted.sort(Comparator.comparingLong(RegionConfig::address));
        for (int i = 1; i < sorted.size(); i++) {
            RegionConfig before = sorted.get(i - 1);
            RegionConfig r = sorted.get(i);
            if (r.address() < before.end()) {
                throw fail(Problem.CONFIG_REGIONS, "memory region \"" + r.name() + "\"", "at " + hex(r.address())
                        + " overlaps region \"" + before.name() + "\" (" + hex(before.address()) + ".."
                        + hex(before.end()) + ")");
            }
        }
    }

    private static void requireAt(Map<String, RegionConfig> byName, String name, long address, long size,
            String protection) {
        RegionConfig r = require(byName, name, protection);
        if (r.address() != address || r.size() != size) {
            throw fail(Problem.CONFIG_REGIONS, "memory region \"" + name + "\"", "is at " + hex(r.address()) + " size "
                    + hex(r.size()) + ", the ABI puts it at " + hex(address) + " size " + hex(size));
        }
    }

    private static RegionConfig require(Map<String, RegionConfig> byName, String name, String protection) {
        RegionConfig r = byName.get(name);
        if (r == null) {
            throw fail(Problem.CONFIG_REGIONS, "memory.regions", "lacks the required region \"" + name + "\"");
        }
        if (!r.protection().equals(protection)) {
            throw fail(Problem.CONFIG_REGIONS, "memory region \"" + name + "\"", "is " + r.protection() + ", must be "
                    + protection);
        }
        return r;
    }

    /** docs/abi.md: a PML4, a PDPT and one page directory per GiB. */
    static long pageTablesSize(long memorySize) {
        return (2 + (memorySize + (1L << 30) - 1) / (1L << 30)) * PAGE_SIZE;
    }
}
