package io.snapgate.vmm.fuzz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Generates programs of 1 to 12 steps, each step from an instruction family chosen by weight. A class whose crash
 * keeps being found again is tried less often ({@link #damp}), so that a long run spends its time looking for new
 * ones rather than restarting emulator processes for an old one.
 */
final class ProgramGenerator {
    private static final Map<Category, Consumer<Step>> FAMILIES = Map.ofEntries(
            Map.entry(Category.CONTROL_REGISTER, SystemInstructions::controlRegister),
            Map.entry(Category.MSR, SystemInstructions::msr),
            Map.entry(Category.DESCRIPTOR_TABLE, SystemInstructions::descriptorTable),
            Map.entry(Category.SEGMENT, SystemInstructions::segment),
            Map.entry(Category.DEBUG_REGISTER, SystemInstructions::debugRegister),
            Map.entry(Category.SYSTEM, SystemInstructions::system),
            Map.entry(Category.PORT_IO, SystemInstructions::portIo),
            Map.entry(Category.FAR_TRANSFER, ControlTransfers::farTransfer),
            Map.entry(Category.MODE_SWITCH, ControlTransfers::modeSwitch),
            Map.entry(Category.FLAGS, ControlTransfers::flags),
            Map.entry(Category.STACK, ControlTransfers::stack),
            Map.entry(Category.CONTROL_FLOW, ControlTransfers::controlFlow),
            Map.entry(Category.MEMORY_OPERAND, MemoryInstructions::memoryOperand),
            Map.entry(Category.STRING_OP, MemoryInstructions::stringOp),
            Map.entry(Category.FPU_SIMD, FloatingPoint::floatingPoint),
            Map.entry(Category.PREFIX_SOUP, RawBytes::prefixSoup),
            Map.entry(Category.RANDOM_BYTES, RawBytes::randomBytes));
    private static final Map<Category, Double> WEIGHTS = Map.ofEntries(Map.entry(Category.CONTROL_REGISTER, 6.0),
            Map.entry(Category.MSR, 6.0), Map.entry(Category.DESCRIPTOR_TABLE, 5.0), Map.entry(Category.SEGMENT, 5.0),
            Map.entry(Category.DEBUG_REGISTER, 4.0), Map.entry(Category.SYSTEM, 6.0), Map.entry(Category.PORT_IO, 2.0),
            Map.entry(Category.FAR_TRANSFER, 5.0), Map.entry(Category.MODE_SWITCH, 4.0), Map.entry(Category.FLAGS, 3.0),
            Map.entry(Category.STACK, 3.0), Map.entry(Category.CONTROL_FLOW, 2.0),
            Map.entry(Category.MEMORY_OPERAND, 8.0), Map.entry(Category.STRING_OP, 4.0),
            Map.entry(Category.FPU_SIMD, 8.0), Map.entry(Category.PREFIX_SOUP, 4.0),
            Map.entry(Category.RANDOM_BYTES, 3.0));
    /** A damped class is still tried this often, relative to its starting weight. */
    private static final double FLOOR = 0.01;

    private final Targets targets;
    private final Map<Category, Double> weights = new EnumMap<>(WEIGHTS);

    ProgramGenerator(Targets targets) {
        this.targets = targets;
    }

    Program next(SplittableRandom random) {
        int steps = 1 + random.nextInt(random.nextBoolean() ? 4 : 12);
        List<Insn> body = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            Step step = new Step(random, targets);
            FAMILIES.get(family(random)).accept(step);
            body.addAll(step.insns());
        }
        return new Program(body);
    }

    private Category family(SplittableRandom random) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double at = random.nextDouble(total);
        for (Map.Entry<Category, Double> entry : weights.entrySet()) {
            at -= entry.getValue();
            if (at < 0) {
                return entry.getKey();
            }
        }
        return Category.MEMORY_OPERAND;
    }

    /** Halves the weight of {@code categories}, down to {@link #FLOOR} of where they started. */
    void damp(Set<Category> categories) {
        for (Category c : categories) {
            weights.computeIfPresent(c, (k, w) -> Math.max(w / 2, WEIGHTS.get(k) * FLOOR));
        }
    }
}
