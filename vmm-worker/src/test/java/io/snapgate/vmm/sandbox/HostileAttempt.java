package io.snapgate.vmm.sandbox;

import io.snapgate.vmm.vcpu.kvm.KvmBackend;
import io.snapgate.vmm.vcpu.unicorn.UnicornBackend;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One call of hostile.c and the answers each backend may give: {@link #HARMLESS} (a result), or a
 * {@link Failure} name (a guest error, a crash of that kind, the deadline). {@code check} is a call whose answer
 * must be the same after the attempt as on a fresh sandbox (state the fingerprint does not cover, such as MSRs).
 */
record HostileAttempt(String function, List<Object> args, Set<String> emulated, Set<String> kvm, Call check) {
    static final String HARMLESS = "HARMLESS";

    /** A function call, printed as {@code name(0x1, true)}. */
    record Call(String function, List<Object> args) {
        Object[] arguments() {
            return args.toArray();
        }

        @Override
        public String toString() {
            return function + "(" + args.stream().map(Call::describe).collect(Collectors.joining(", ")) + ")";
        }

        private static String describe(Object arg) {
            if (arg instanceof Long || arg instanceof Integer) {
                return "0x" + Long.toHexString(((Number) arg).longValue());
            }
            return arg instanceof byte[] bytes ? "b:" + HexFormat.of().formatHex(bytes) : String.valueOf(arg);
        }
    }

    static HostileAttempt of(String function, Object... args) {
        return new HostileAttempt(function, List.of(args), Set.of(), Set.of(), null);
    }

    HostileAttempt both(Object... answers) {
        return emulated(answers).kvm(answers);
    }

    HostileAttempt emulated(Object... answers) {
        return new HostileAttempt(function, args, names(answers), kvm, check);
    }

    HostileAttempt kvm(Object... answers) {
        return new HostileAttempt(function, args, emulated, names(answers), check);
    }

    /** After the attempt, {@code function(args)} must answer as on a fresh sandbox. */
    HostileAttempt then(String checkFunction, Object... checkArgs) {
        return new HostileAttempt(function, args, emulated, kvm, new Call(checkFunction, List.of(checkArgs)));
    }

    private static Set<String> names(Object... answers) {
        return Arrays.stream(answers).map(a -> a instanceof Failure f ? f.name() : (String) a)
                .collect(Collectors.toUnmodifiableSet());
    }

    Call call() {
        return new Call(function, args);
    }

    /** The answers allowed on the backend called {@code backend}. */
    Set<String> answers(String backend) {
        return switch (backend) {
            case UnicornBackend.NAME -> emulated;
            case KvmBackend.NAME -> kvm;
            default -> throw new IllegalArgumentException("no expectations for backend " + backend);
        };
    }

    @Override
    public String toString() {
        return call().toString();
    }
}
