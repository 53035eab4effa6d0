package io.snapgate.vmm.fuzz;

import io.snapgate.vmm.abi.Ports;
import io.snapgate.vmm.vcpu.MachineCode;
import java.io.ByteArrayOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A generated guest program: its instructions, then the ABI's exit ({@code out dx, eax; hlt} on the DONE port with
 * {@link #EXIT_VALUE}), so that a program that neither crashes nor loops ends at once.
 */
record Program(List<Insn> body) {
    static final int EXIT_VALUE = 0x5AFE;
    private static final byte[] EXIT = new MachineCode().exit(Ports.DONE, EXIT_VALUE).toBytes();

    Program {
        body = List.copyOf(body);
    }

    static Program of(Insn... body) {
        return new Program(List.of(body));
    }

    byte[] code() {
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        body.forEach(insn -> code.writeBytes(insn.bytes()));
        code.writeBytes(EXIT);
        return code.toByteArray();
    }

    /** RIP after the exit's {@code hlt}: where a program that ran to its end stops. */
    long end() {
        return FuzzImage.CODE + code().length;
    }

    /** The instruction classes it uses, set-up aside. */
    Set<Category> categories() {
        Set<Category> categories = EnumSet.noneOf(Category.class);
        body.forEach(insn -> categories.add(insn.category()));
        categories.remove(Category.SETUP);
        return categories;
    }

    /** One instruction a line: bytes and reading. */
    String listing() {
        return body.stream().map(Insn::toString).collect(Collectors.joining("\n"));
    }
}
