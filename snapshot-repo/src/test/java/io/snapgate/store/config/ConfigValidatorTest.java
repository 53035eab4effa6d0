package io.snapgate.store.config;

import static io.snapgate.store.testing.Fixtures.config;
import static io.snapgate.store.testing.Fixtures.entry;
import static io.snapgate.store.testing.Fixtures.functions;
import static io.snapgate.store.testing.Fixtures.regions;
import static io.snapgate.store.testing.Fixtures.replacing;
import static io.snapgate.store.testing.Fixtures.withRegions;
import static io.snapgate.store.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.snapgate.store.Problem;
import io.snapgate.store.testing.Fixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValidatorTest {
    @Test
    void theFixtureIsValid() {
        assertThatCode(() -> ConfigValidator.validate(config())).doesNotThrowAnyException();
    }

    @Test
    void formatVersion() {
        SnapshotConfig c = config();
        refused(new SnapshotConfig(2, c.abiVersion(), c.arch(), c.createdBy(), c.generation(), c.created(),
                c.memory(), c.entry(), c.functions(), c.hostFunctions(), c.codeDigest()), Problem.CONFIG_VERSION,
                "formatVersion 2");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "not a date", "2025-01-31T12:00:00"})
    void created(String created) {
        SnapshotConfig c = config();
        refused(new SnapshotConfig(1, 1, "x86_64", c.createdBy(), 0, created, c.memory(), c.entry(), c.functions(),
                c.hostFunctions(), c.codeDigest()), Problem.CONFIG_FIELD, "created");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "0123", "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"})
    void codeDigest(String digest) {
        SnapshotConfig c = config();
        refused(new SnapshotConfig(1, 1, "x86_64", c.createdBy(), 0, c.created(), c.memory(), c.entry(), c.functions(),
                c.hostFunctions(), digest), Problem.CONFIG_FIELD, "codeDigest");
    }

    @Test
    void backendName() {
        SnapshotConfig c = config();
        refused(new SnapshotConfig(1, 1, "x86_64", "kvm\n", 0, c.created(), c.memory(), c.entry(), c.functions(),
                c.hostFunctions(), c.codeDigest()), Problem.CONFIG_FIELD, "createdBy", "control character");
    }

    @ParameterizedTest(name = "size={0}")
    @ValueSource(longs = {0, -4096, 0x125001, (16L << 30) + 4096})
    void memorySize(long size) {
        SnapshotConfig c = config();
        refused(withMemory(c, new MemoryConfig(size, c.memory().regions())), Problem.CONFIG_MEMORY, "memory.size");
    }

    @Test
    void memoryOfSixteenGibibytesIsAllowed() {
        long size = 16L << 30;
        List<RegionConfig> regions = replacing("page-tables", new RegionConfig("page-tables", 0x2000,
                RegionCheck.pageTablesSize(size), RegionConfig.READ_ONLY));
        assertThatCode(() -> ConfigValidator.validate(withMemory(config(), new MemoryConfig(size, regions))))
                .doesNotThrowAnyException();
    }

    @Test
    void regionNotPageAligned() {
        refused(withRegions(replacing("heap", new RegionConfig("heap", 0x104800, 0x10000, "read-write"))),
                Problem.CONFIG_REGIONS, "heap", "not page aligned");
    }

    @Test
    void emptyRegion() {
        refused(withRegions(replacing("heap", new RegionConfig("heap", 0x104000, 0, "read-write"))),
                Problem.CONFIG_REGIONS, "heap", "positive size");
    }

    @Test
    void overlappingRegions() {
        refused(withRegions(replacing("heap", new RegionConfig("heap", 0x103000, 0x10000, "read-write"))),
                Problem.CONFIG_REGIONS, "overlaps");
    }

    @Test
    void regionOnPageZero() {
        List<RegionConfig> regions = new ArrayList<>(regions());
        regions.add(new RegionConfig("low", 0, 0x1000, "read-only"));
        refused(withRegions(regions), Problem.CONFIG_REGIONS, "low", "null guard");
    }

    @Test
    void regionWhoseEndOverflows() {
        List<RegionConfig> regions = new ArrayList<>(regions());
        regions.add(new RegionConfig("huge", 0x7fff_ffff_ffff_f000L, 0x7fff_ffff_ffff_f000L, "read-only"));
        refused(withRegions(regions), Problem.CONFIG_REGIONS, "huge", "outside the memory size");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"control", "page-tables", "heap", "stack", "input", "output"})
    void requiredRegionMissing(String name) {
        List<RegionConfig> regions = new ArrayList<>(regions());
        regions.removeIf(r -> r.name().equals(name));
        refused(withRegions(regions), Problem.CONFIG_REGIONS, "lacks the required region \"" + name + "\"");
    }

    @Test
    void controlPageElsewhere() {
        refused(withRegions(replacing("control", new RegionConfig("control", 0x5000, 0x1000, "read-write"))),
                Problem.CONFIG_REGIONS, "\"control\"", "0x1000");
    }

    @Test
    void pageTablesOfTheWrongSize() {
        refused(withRegions(replacing("page-tables", new RegionConfig("page-tables", 0x2000, 0x2000, "read-only"))),
                Problem.CONFIG_REGIONS, "page-tables");
    }

    @Test
    void writableRequiredRegionMadeReadOnly() {
        refused(withRegions(replacing("input", new RegionConfig("input", 0x11d000, 0x4000, "read-only"))),
                Problem.CONFIG_REGIONS, "\"input\"", "read-write");
    }

    @Test
    void unknownProtection() {
        refused(withRegions(replacing("heap", new RegionConfig("heap", 0x104000, 0x10000, "rwx"))),
                Problem.CONFIG_REGIONS, "protection", "\"rwx\"");
    }

    @Test
    void duplicateRegionName() {
        refused(withRegions(replacing("image r-- @0x102000", new RegionConfig("heap", 0x102000, 0x1000, "read-only"))),
                Problem.CONFIG_REGIONS, "\"heap\" names two regions");
    }

    @Test
    void dispatchOutsideCode() {
        EntryConfig e = entry();
        refused(withEntry(new EntryConfig(0x102000, e.stackTop(), e.controlPage(), e.rflags(), e.cr0(), e.cr3(),
                e.cr4(), e.efer())), Problem.CONFIG_ENTRY, "dispatchAddress", "0x102000");
    }

    @ParameterizedTest(name = "stackTop={0}")
    @ValueSource(longs = {0, 0x11cff0, 0x11d008})
    void stackTop(long stackTop) {
        EntryConfig e = entry();
        refused(withEntry(new EntryConfig(e.dispatchAddress(), stackTop, e.controlPage(), e.rflags(), e.cr0(), e.cr3(),
                e.cr4(), e.efer())), Problem.CONFIG_ENTRY, "entry.stackTop");
    }

    @Test
    void controlPageRegister() {
        EntryConfig e = entry();
        refused(withEntry(new EntryConfig(e.dispatchAddress(), e.stackTop(), 0x2000, e.rflags(), e.cr0(), e.cr3(),
                e.cr4(), e.efer())), Problem.CONFIG_ENTRY, "entry.controlPage");
    }

    @Test
    void notLongMode() {
        EntryConfig e = entry();
        refused(withEntry(new EntryConfig(e.dispatchAddress(), e.stackTop(), e.controlPage(), e.rflags(), e.cr0(),
                e.cr3(), e.cr4(), 0)), Problem.CONFIG_ENTRY, "long mode");
    }

    @Test
    void duplicateFunctionName() {
        List<FunctionConfig> fs = new ArrayList<>(functions());
        fs.add(new FunctionConfig("Add", List.of(), "void"));
        refused(withFunctions(fs), Problem.CONFIG_FUNCTIONS, "\"Add\"", "duplicate");
    }

    @Test
    void voidParameter() {
        refused(withFunctions(List.of(new FunctionConfig("f", List.of("i32", "void"), "i32"))),
                Problem.CONFIG_FUNCTIONS, "functions[0] (f).parameters[1]", "void");
    }

    @Test
    void unknownReturnType() {
        refused(withFunctions(List.of(new FunctionConfig("f", List.of(), "I32"))), Problem.CONFIG_FUNCTIONS,
                "returns", "\"I32\"");
    }

    @Test
    void tooManyFunctions() {
        List<FunctionConfig> fs = IntStream.range(0, 4097).mapToObj(i -> new FunctionConfig("f" + i, List.of(), "void"))
                .toList();
        refused(withFunctions(fs), Problem.CONFIG_FUNCTIONS, "4097 functions");
        assertThatCode(() -> ConfigValidator.validate(withFunctions(fs.subList(0, 4096)))).doesNotThrowAnyException();
    }

    @Test
    void tooManyParameters() {
        List<String> params = Collections.nCopies(65, "i64");
        refused(withFunctions(List.of(new FunctionConfig("f", params, "void"))), Problem.CONFIG_FUNCTIONS,
                "65 parameters");
        assertThatCode(() -> ConfigValidator.validate(withFunctions(List.of(new FunctionConfig("f",
                params.subList(0, 64), "void"))))).doesNotThrowAnyException();
    }

    @Test
    void nameLongerThan255Characters() {
        refused(withFunctions(List.of(new FunctionConfig("f".repeat(256), List.of(), "void"))),
                Problem.CONFIG_FUNCTIONS, "256 characters");
    }

    @Test
    void nullsAreNamedNotThrown() {
        List<FunctionConfig> withNull = new ArrayList<>();
        withNull.add(null);
        refused(withFunctions(withNull), Problem.CONFIG_FUNCTIONS, "functions[0] is null");
        refused(withFunctions(List.of(new FunctionConfig(null, List.of(), "void"))), Problem.CONFIG_FUNCTIONS, "name");
        refused(withFunctions(List.of(new FunctionConfig("f", null, "void"))), Problem.CONFIG_FUNCTIONS, "parameters");
        refused(withEntry(null), Problem.CONFIG_FIELD, "entry");
        refused(withMemory(config(), null), Problem.CONFIG_FIELD, "memory");
        refused(withMemory(config(), new MemoryConfig(Fixtures.MEMORY_SIZE, null)), Problem.CONFIG_REGIONS,
                "memory.regions");
        refused(withFunctions(List.of(new FunctionConfig("f", List.of(), null))), Problem.CONFIG_FUNCTIONS,
                "functions[0] (f).returns has unknown type name null");
        List<String> nullParameter = new ArrayList<>();
        nullParameter.add(null);
        refused(withFunctions(List.of(new FunctionConfig("f", nullParameter, "void"))), Problem.CONFIG_FUNCTIONS,
                "has unknown type name null");
        List<RegionConfig> nullProtection = new ArrayList<>(regions());
        RegionConfig first = nullProtection.get(0);
        nullProtection.set(0, new RegionConfig(first.name(), first.address(), first.size(), null));
        refused(withMemory(config(), new MemoryConfig(Fixtures.MEMORY_SIZE, nullProtection)), Problem.CONFIG_REGIONS,
                ".protection null is not one of");
    }

    @Test
    void hostFunctionsAreCheckedToo() {
        SnapshotConfig c = config();
        refused(new SnapshotConfig(1, 1, "x86_64", c.createdBy(), 0, c.created(), c.memory(), c.entry(), c.functions(),
                List.of(new FunctionConfig("h", List.of("str"), "void")), c.codeDigest()), Problem.CONFIG_FUNCTIONS,
                "hostFunctions[0]");
    }

    private static SnapshotConfig withMemory(SnapshotConfig c, MemoryConfig memory) {
        return new SnapshotConfig(c.formatVersion(), c.abiVersion(), c.arch(), c.createdBy(), c.generation(),
                c.created(), memory, c.entry(), c.functions(), c.hostFunctions(), c.codeDigest());
    }

    private static SnapshotConfig withEntry(EntryConfig entry) {
        return config(regions(), entry, functions());
    }

    private static SnapshotConfig withFunctions(List<FunctionConfig> functions) {
        return config(regions(), entry(), functions);
    }

    private static void refused(SnapshotConfig config, Problem problem, String... mentions) {
        assertRefused(() -> ConfigValidator.validate(config), problem, mentions);
    }
}
