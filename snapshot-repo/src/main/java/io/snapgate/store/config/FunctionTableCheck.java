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
            String at = field + "[" + i + "]";
            if (f == null) {
                throw fail(Problem.CONFIG_FUNCTIONS, at, "is null");
            }
            Names.check(Problem.CONFIG_FUNCTIONS, at + ".name", f.name());
            if (!names.add(f.name())) {
                throw fail(Problem.CONFIG_FUNCTIONS, at + ".name", SnapshotFormatException.quote(f.name())
                        + " is a duplicate function name");
            }
            checkSignature(at + " (" + f.name() + ")", f);
        }
    }

    private static void checkSignature(String at, FunctionConfig f) {
        List<String> parameters = f.parameters();
        if (parameters == null) {
            throw fail(Problem.CONFIG_FUNCTIONS, at + ".parameters", "is missing");
        }
        if (parameters.size() > MAX_PARAMETERS) {
            throw fail(Problem.CONFIG_FUNCTIONS, at + ".parameters", "lists " + parameters.size()
                    + " parameters, more than " + MAX_PARAMETERS);
        }
        for (int p = 0; p < parameters.size(); p++) {
            String type = parameters.get(p);
            checkType(at + ".parameters[" + p + "]", type);
            if (FunctionConfig.VOID.equals(type)) {
                throw fail(Problem.CONFIG_FUNCTIONS, at + ".parameters[" + p + "]", "is void, which only a return type may be");
            }
        }
        checkType(at + ".returns", f.returns());
    }

    private static void checkType(String field, String type) {
        if (type == null || !FunctionConfig.TYPES.contains(type)) {
            throw fail(Problem.CONFIG_FUNCTIONS, field, "has unknown type name " + SnapshotFormatException.quote(type)
                    + "; the types are " + FunctionConfig.TYPES);
        }
    }
}
