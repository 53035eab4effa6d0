package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.abi.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host functions a sandbox offers, by name. Every set starts with two built-ins: {@code print(string) ->
 * i32}, which logs the guest's text at info level and returns its length in bytes (through the sandbox's
 * {@link GuestLog}, within the call's log limits, once the sandbox has {@linkplain #printingTo bound it}), and
 * {@code clock_ns(i32) -> i64}, the host's clocks for the guest C library ({@link HostClock}). Registering a
 * function of the same name replaces a built-in.
 */
public final class HostFunctions {
    /** The built-in print before a sandbox binds it to its log: straight to {@link GuestLog#SLF4J}. */
    private static final HostFunction PRINT = print(GuestLog.SLF4J);

    private final Map<String, HostFunction> byName;

    private HostFunctions(Map<String, HostFunction> byName) {
        this.byName = byName;
    }

    public static HostFunctions of(Collection<HostFunction> functions) {
        Map<String, HostFunction> map = new LinkedHashMap<>();
        map.put(PRINT.name(), PRINT);
        map.put(HostClock.NAME, HostClock.function());
        for (HostFunction f : functions) {
            map.put(f.name(), f);
        }
        return new HostFunctions(Map.copyOf(map));
    }

    private static HostFunction print(GuestLog log) {
        return HostFunction.of("print", ValueType.I32, args -> {
            String text = (String) args[0];
            log.log(2, text);
            return text.getBytes(StandardCharsets.UTF_8).length;
        }, ValueType.STRING);
    }

    /** This set with the built-in print (unless replaced) writing to {@code log}. */
    HostFunctions printingTo(GuestLog log) {
        if (byName.get(PRINT.name()) != PRINT) {
            return this;
        }
        Map<String, HostFunction> map = new LinkedHashMap<>(byName);
        map.put(PRINT.name(), print(log));
        return new HostFunctions(Map.copyOf(map));
    }

    public HostFunction get(String name) {
        return byName.get(name);
    }

    FunctionSignature signature(String name) {
        HostFunction f = byName.get(name);
        return f == null ? null : f.signature();
    }

    public List<FunctionSignature> signatures() {
        return byName.values().stream().map(HostFunction::signature).toList();
    }

    /** This set plus {@code more}, later names replacing earlier ones. */
    public HostFunctions with(Collection<HostFunction> more) {
        List<HostFunction> all = new ArrayList<>(byName.values());
        all.addAll(more);
        return of(all);
    }

    /**
     * Every way this set fails to cover {@code required} (missing names and signature mismatches), one per
     * line; empty when it covers them.
     */
    public List<String> gaps(Collection<FunctionSignature> required) {
        List<String> gaps = new ArrayList<>();
        for (FunctionSignature need : required) {
            HostFunction have = byName.get(need.name());
            if (have == null) {
                gaps.add("missing host function " + need);
            } else if (!have.signature().equals(need)) {
                gaps.add("host function " + need.name() + " is " + have.signature() + ", the snapshot needs " + need);
            }
        }
        return gaps;
    }
}
