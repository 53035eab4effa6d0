package io.snapgate.store.config;

import static io.snapgate.store.config.Names.fail;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a function table: at most 4096 functions, unique names, known types, no void parameter, at most 64. */
final class FunctionTableCheck {
    static final int MAX_FUNCTIONS = 4096;
    static final int MAX_PARAMETERS = 64;

    private FunctionTableCheck() {
    }

    /** Messages name the place ({@code functions[3] (add).parameters[1]}); built only on failure, not per entry. */
    static void check(String field, List<FunctionConfig> functions) {
        if (functions == null) {
            throw fail(Problem.CONFIG_FUNCTIONS, field, "is missing");
        }
        if (functions.size() > MAX_FUNCTIONS) {
            throw fail(Problem.CONFIG_FUNCTIONS, field, "lists " + functions.size() + " functions, more than "
                    + MAX_FUNCTIONS);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < functions.size(); i++) {
            FunctionConfig f = functions.get(i);
            if (f == null) {
                throw fail(Problem.CONFIG_FUNCTIONS, at(field, i), "is null");
            }
            if (!Names.valid(f.name())) {
                Names.check(Problem.CONFIG_FUNCTIONS, at(field, i) + ".name", f.name());
            }
            if (!names.add(f.name())) {
                throw fail(Problem.CONFIG_FUNCTIONS, at(field, i) + ".name", SnapshotFormatException.quote(f.name())
                        + " is a duplicate function name");
            }
            checkSignature(field, i, f);
        }
    }

    private static String at(String field, int i) {
        return field + "[" + i + "]";
    }

    private static void checkSignature(String field, int i, FunctionConfig f) {
        List<String> parameters = f.parameters();
        if (parameters == null) {
            throw fail(Problem.CONFIG_FUNCTIONS, signature(field, i, f) + ".parameters", "is missing");
        }
        if (parameters.size() > MAX_PARAMETERS) {
            throw fail(Problem.CONFIG_FUNCTIONS, signature(field, i, f) + ".parameters", "lists " + parameters.size()
                    + " parameters, more than " + MAX_PARAMETERS);
        }
        for (int p = 0; p < parameters.size(); p++) {
            String type = parameters.get(p);
            if (!known(type)) {
                throw unknownType(signature(field, i, f) + ".parameters[" + p + "]", type);
            }
            if (FunctionConfig.VOID.equals(type)) {
                throw fail(Problem.CONFIG_FUNCTIONS, signature(field, i, f) + ".parameters[" + p + "]",
                        "is void, which only a return type may be");
            }
        }
        if (!known(f.returns())) {
            throw unknownType(signature(field, i, f) + ".returns", f.returns());
        }
    }

    private static String signature(String field, int i, FunctionConfig f) {
        return at(field, i) + " (" + f.name() + ")";
    }

    private static boolean known(String type) {
        return type != null && FunctionConfig.TYPES.contains(type);
    }

    private static SnapshotFormatException unknownType(String field, String type) {
        return fail(Problem.CONFIG_FUNCTIONS, field, "has unknown type name " + SnapshotFormatException.quote(type)
                + "; the types are " + FunctionConfig.TYPES);
    }
}
