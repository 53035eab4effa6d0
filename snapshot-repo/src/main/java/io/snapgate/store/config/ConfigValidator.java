package io.snapgate.store.config;

import static io.snapgate.store.config.Names.fail;
import static io.snapgate.store.config.Names.hex;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether a {@link SnapshotConfig} describes a snapshot this build can resume. Each refusal is a
 * {@link SnapshotFormatException} whose message names the field; the checks are listed in
 * docs/snapshot-format.md ("What load checks").
 */
public final class ConfigValidator {
    /** The config format this build reads and writes. */
    public static final int FORMAT_VERSION = 1;
    /** The guest ABI version (docs/abi.md); vmm-worker's {@code SG_ABI_VERSION} must equal it. */
    public static final int ABI_VERSION = 1;
    public static final String ARCH = "x86_64";

    private static final long CR0_PE = 1L;
    private static final long CR0_PG = 1L << 31;
    private static final long CR4_PAE = 1L << 5;
    private static final long EFER_LME = 1L << 8;
    private static final long EFER_LMA = 1L << 10;
    private static final long RFLAGS_RESERVED = 1L << 1;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private ConfigValidator() {
    }

    /** Returns normally when {@code config} is valid; otherwise throws naming the first bad field. */
    public static void validate(SnapshotConfig config) {
        if (config == null) {
            throw fail(Problem.CONFIG_FIELD, "config", "is null");
        }
        checkVersions(config);
        Names.check(Problem.CONFIG_FIELD, "createdBy", config.createdBy());
        if (config.generation() < 0) {
            throw fail(Problem.CONFIG_FIELD, "generation", config.generation() + " is negative");
        }
        checkCreated(config.created());
        Map<String, RegionConfig> regions = RegionCheck.check(config.memory());
        checkEntry(config.entry(), regions);
        FunctionTableCheck.check("functions", config.functions());
        FunctionTableCheck.check("hostFunctions", config.hostFunctions());
        if (config.codeDigest() == null || !SHA256_HEX.matcher(config.codeDigest()).matches()) {
            throw fail(Problem.CONFIG_FIELD, "codeDigest", SnapshotFormatException.quote(config.codeDigest())
                    + " is not 64 lowercase hex digits");
        }
    }

    private static void checkVersions(SnapshotConfig config) {
        if (config.formatVersion() != FORMAT_VERSION) {
            throw fail(Problem.CONFIG_VERSION, "formatVersion", config.formatVersion() + " is not the supported "
                    + FORMAT_VERSION);
        }
        if (config.abiVersion() != ABI_VERSION) {
            throw fail(Problem.CONFIG_VERSION, "abiVersion", config.abiVersion() + " is not this build's ABI version "
                    + ABI_VERSION);
        }
        if (!ARCH.equals(config.arch())) {
            throw fail(Problem.CONFIG_VERSION, "arch", SnapshotFormatException.quote(config.arch()) + " is not "
                    + ARCH);
        }
    }

    private static void checkCreated(String created) {
        if (created == null) {
            throw fail(Problem.CONFIG_FIELD, "created", "is missing");
        }
        try {
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(created);
        } catch (DateTimeParseException e) {
            throw fail(Problem.CONFIG_FIELD, "created", SnapshotFormatException.quote(created)
                    + " is not an ISO-8601 date-time with an offset");
        }
    }

    private static void checkEntry(EntryConfig entry, Map<String, RegionConfig> regions) {
        if (entry == null) {
            throw fail(Problem.CONFIG_FIELD, "entry", "is missing");
        }
        long dispatch = entry.dispatchAddress();
        boolean inCode = regions.values().stream().anyMatch(r -> RegionConfig.READ_EXECUTE.equals(r.protection())
                && dispatch >= r.address() && dispatch < r.end());
        if (!inCode) {
            throw fail(Problem.CONFIG_ENTRY, "entry.dispatchAddress", hex(dispatch)
                    + " is outside every read-execute region " + codeRegions(regions));
        }
        long stackTop = entry.stackTop();
        RegionConfig stack = regions.get(RegionCheck.STACK);
        if (stackTop == 0 || stackTop % 16 != 0 || stackTop != stack.end()) {
            throw fail(Problem.CONFIG_ENTRY, "entry.stackTop", hex(stackTop) + (stackTop == 0 ? " is 0"
                    : stackTop % 16 != 0 ? " is not 16-byte aligned" : " is not the end of the stack region "
                    + hex(stack.end())));
        }
        expect("entry.controlPage", entry.controlPage(), RegionCheck.CONTROL_ADDRESS);
        expect("entry.cr3", entry.cr3(), RegionCheck.PAGE_TABLES_ADDRESS);
        if ((entry.rflags() & RFLAGS_RESERVED) == 0) {
            throw fail(Problem.CONFIG_ENTRY, "entry.rflags", hex(entry.rflags()) + " lacks reserved bit 1");
        }
        if ((entry.cr0() & (CR0_PE | CR0_PG)) != (CR0_PE | CR0_PG) || (entry.cr4() & CR4_PAE) == 0
                || (entry.efer() & (EFER_LME | EFER_LMA)) != (EFER_LME | EFER_LMA)) {
            throw fail(Problem.CONFIG_ENTRY, "entry.cr0/cr4/efer", hex(entry.cr0()) + "/" + hex(entry.cr4()) + "/"
                    + hex(entry.efer())
                    + " do not enable 64-bit long mode with paging (CR0.PE|PG, CR4.PAE, EFER.LME|LMA)");
        }
    }

    private static void expect(String field, long actual, long expected) {
        if (actual != expected) {
            throw fail(Problem.CONFIG_ENTRY, field, hex(actual) + " is not the ABI's " + hex(expected));
        }
    }

    private static String codeRegions(Map<String, RegionConfig> regions) {
        return regions.values().stream().filter(r -> RegionConfig.READ_EXECUTE.equals(r.protection()))
                .map(r -> r.name() + " " + hex(r.address()) + ".." + hex(r.end()))
                .sorted().collect(Collectors.joining(", ", "[", "]"));
    }
}
