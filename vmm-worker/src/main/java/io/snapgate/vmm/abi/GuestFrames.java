package io.snapgate.vmm.abi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Parses the frames a guest writes (init, result, host call, abort, log) from their payload bytes. */
public final class GuestFrames {
    /** More functions than any sane guest exports; a bigger table is refused. */
    public static final int MAX_FUNCTIONS = 4096;
    public static final int MAX_PARAMETERS = 64;
    public static final int MAX_NAME_LENGTH = 255;

    private GuestFrames() {
    }

    public static InitFrame init(byte[] payload) {
        PayloadReader in = new PayloadReader(payload, "init");
        in.array(3, "init frame");
        long version = in.integer("abi version");
        if (version != ControlPage.ABI_VERSION) {
            throw new FrameException("init frame: guest ABI version " + version + ", host speaks "
                    + ControlPage.ABI_VERSION);
        }
        long dispatch = (Long) in.value(ValueType.U64, "dispatch address");
        int count = in.arrayHeader("function table");
        if (count > MAX_FUNCTIONS) {
            throw new FrameException("init frame: " + count + " functions, at most " + MAX_FUNCTIONS);
        }
        List<FunctionSignature> functions = new ArrayList<>(count);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            FunctionSignature f = signature(in, "function " + i);
            if (!names.add(f.name())) {
                throw new FrameException("init frame: function " + f.name() + " is registered twice");
            }
            functions.add(f);
        }
        in.finish();
        return new InitFrame((int) version, dispatch, functions);
    }

    private static FunctionSignature signature(PayloadReader in, String what) {
        in.array(3, what);
        String name = in.string(what + " name");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new FrameException("init frame: " + what + " has a name of " + name.length()
                    + " characters (1 to " + MAX_NAME_LENGTH + " allowed)");
        }
        int n = in.arrayHeader(name + " parameters");
        if (n > MAX_PARAMETERS) {
            throw new FrameException("init frame: " + name + " has " + n + " parameters, at most " + MAX_PARAMETERS);
        }
        List<ValueType> params = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            ValueType type = type(in.integer(name + " parameter " + p), name + " parameter " + p);
            if (type == ValueType.VOID) {
                throw new FrameException("init frame: " + name + " parameter " + p + " is void");
            }
            params.add(type);
        }
        ValueType returns = type(in.integer(name + " return type"), name + " return type");
        return new FunctionSignature(name, params, returns);
    }

    private static ValueType type(long code, String what) {
        ValueType type = ValueType.fromCode(code);
        if (type == null) {
            throw new FrameException("init frame: " + what + " has unknown type code " + code);
        }
        return type;
    }

    /** A call's result: {@code [0, value]} or {@code [1, [code, message]]}. */
    public static GuestResult result(byte[] payload, ValueType returns) {
        return outcome(new PayloadReader(payload, "result"), returns);
    }

    private static GuestResult outcome(PayloadReader in, ValueType returns) {
        in.array(2, "result");
        long status = in.integer("status");
        GuestResult result;
        if (status == 0) {
            result = new GuestResult.Returned(in.value(returns, "return value"));
        } else if (status == 1) {
            in.array(2, "error");
            int code = (Integer) in.value(ValueType.I32, "error code");
            result = new GuestResult.Failed(code, in.string("error message"));
        } else {
            throw new FrameException("result frame: status " + status + " (expected 0 or 1)");
        }
        in.finish();
        return result;
    }

    /** A host call {@code [name, [args...]]}; {@code lookup} finds the host function's signature or null. */
    public static HostCall hostCall(byte[] payload, Function<String, FunctionSignature> lookup) {
        PayloadReader in = new PayloadReader(payload, "host call");
        in.array(2, "host call");
        String name = in.string("host function name");
        int count = in.arrayHeader(name + " arguments");
        FunctionSignature signature = lookup.apply(name);
        if (signature == null) {
            skip(in, count, name);
            return new HostCall.Invalid(name, GuestErrorCode.HOST_FUNCTION_ERROR, "host function " + name
                    + " is not registered");
        }
        if (count != signature.parameters().size()) {
            skip(in, count, name);
            return new HostCall.Invalid(name, GuestErrorCode.WRONG_ARGUMENT_COUNT, signature + " takes "
                    + signature.parameters().size() + " arguments, the guest passed " + count);
        }
        Object[] args = new Object[count];
        for (int i = 0; i < count; i++) {
            try {
                args[i] = in.value(signature.parameters().get(i), name + " argument " + i);
            } catch (FrameException e) {
                return new HostCall.Invalid(name, GuestErrorCode.ARGUMENT_TYPE_MISMATCH, e.getMessage());
            }
        }
        in.finish();
        return new HostCall.Valid(signature, args);
    }

    private static void skip(PayloadReader in, int count, String name) {
        for (int i = 0; i < count; i++) {
            in.skip(name + " argument " + i);
        }
        in.finish();
    }

    public static AbortFrame abort(byte[] payload) {
        PayloadReader in = new PayloadReader(payload, "abort");
        in.array(2, "abort");
        int code = (Integer) in.value(ValueType.I32, "abort code");
        String message = in.string("abort message");
        in.finish();
        return new AbortFrame(code, message);
    }

    public static LogFrame log(byte[] payload) {
        PayloadReader in = new PayloadReader(payload, "log");
        in.array(2, "log");
        int level = (Integer) in.value(ValueType.I32, "log level");
        String message = in.string("log message");
        in.finish();
        return new LogFrame(level, message);
    }
}
