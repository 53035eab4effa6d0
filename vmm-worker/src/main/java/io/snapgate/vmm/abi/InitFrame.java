package io.snapgate.vmm.abi;

import java.util.List;

/** What a guest reports when its init is done: where calls enter, and the functions it exports. */
public record InitFrame(int abiVersion, long dispatchAddress, List<FunctionSignature> functions) {
    public InitFrame {
        functions = List.copyOf(functions);
    }
}
