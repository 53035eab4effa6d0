package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.dispatch.JsonArguments;
import io.snapgate.gateway.dispatch.JsonResults;
import io.snapgate.gateway.error.Errors;
import io.snapgate.gateway.snapshot.GatewayHostFunctions;
import io.snapgate.gateway.snapshot.SnapshotEntry;
import io.snapgate.gateway.snapshot.StoreSetup;
import io.snapgate.gateway.worker.SandboxFactory;
import io.snapgate.store.SnapshotStore;
import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.sandbox.GuestLog;
import io.snapgate.vmm.sandbox.Sandbox;
import io.snapgate.vmm.sandbox.Snapshot;
import io.snapgate.vmm.vcpu.VcpuBackend;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code snapgate call REF FUNCTION [ARG...]}: one call without a server, in this process. An argument for a
 * string parameter is taken as is; any other is read as JSON (falling back to a JSON string, so base64 bytes
 * and 64-bit decimal strings work unquoted). Prints the JSON result, or the JSON error on stderr.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Calls a function of a snapshot in the store, without a server, and prints the JSON result.")
public final class CallCommand extends ConfiguredCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REF", description = "snapshot tag or sha256: digest")
    private String ref;

    @Parameters(index = "1", paramLabel = "FUNCTION", description = "the function to call")
    private String function;

    @Parameters(index = "2..*", paramLabel = "ARG", description = "its arguments")
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        GatewayConfig config = config();
        VcpuBackend backend = config.vcpuBackend();
        SnapshotStore store = StoreSetup.openToRead(config, builder(config)); // a store that fails is not a call error
        try {
            try (Snapshot snapshot = Snapshot.load(store, ref)) {
                SnapshotEntry entry = SnapshotEntry.of(store.resolve(ref), snapshot);
                FunctionSignature signature = entry.function(function);
                Object[] values = JsonArguments.coerce(signature, json(signature, args));
                try (Sandbox sandbox = new SandboxFactory(GatewayHostFunctions.all(), backend,
                        config.sandboxConfig(), GuestLog.SLF4J).create(entry)) {
                    Object result = sandbox.call(config.defaultDeadline(), signature.name(), values);
                    out().println(Json.encode(JsonResults.encode(signature.returns(), result)));
                }
            }
            return 0;
        } catch (RuntimeException e) {
            err().println(Errors.answer(e).toBody().encode());
            return Cli.FAILED;
        }
    }

    private static JsonArray json(FunctionSignature signature, List<String> raw) {
        JsonArray array = new JsonArray();
        for (int i = 0; i < raw.size(); i++) {
            boolean string = i < signature.parameters().size() && signature.parameters().get(i) == ValueType.STRING;
            array.add(string ? raw.get(i) : parse(raw.get(i)));
        }
        return array;
    }

    private static Object parse(String text) {
        try {
            return Json.decodeValue(text);
        } catch (DecodeException e) {
            return text;
        }
    }
}
