package io.snapgate.gateway.snapshot;

import io.snapgate.client.ErrorCode;
import io.snapgate.gateway.config.ByteSize;
import io.snapgate.gateway.error.GatewayException;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.MemoryLayout;
import java.util.List;
import java.util.function.Function;

/**
 * The heap, stack, input and output sizes a deploy asks for (query parameters {@code heap=16MiB} and so on, or the
 * CLI's options), each checked: a positive multiple of 4 KiB, at most the node's {@code maxGuestMemory}, the
 * stack at least 16 KiB. A size not given keeps the guest kind's default (null here).
 */
public record GuestSizes(Long heap, Long stack, Long input, Long output) {
    public static final GuestSizes DEFAULTS = new GuestSizes(null, null, null, null);
    /** The query parameters (and CLI options) that set them, in the order of the record's components. */
    public static final List<String> NAMES = List.of("heap", "stack", "input", "output");
    private static final long MIN_STACK = 16 << 10;

    /** The sizes among {@link #NAMES} that {@code given} names. */
    public static GuestSizes parse(Function<String, String> given, long maxGuestMemory) {
        Long[] sizes = NAMES.stream().map(name -> size(name, given.apply(name), maxGuestMemory)).toArray(Long[]::new);
        return new GuestSizes(sizes[0], sizes[1], sizes[2], sizes[3]);
    }

    private static Long size(String name, String text, long max) {
        if (text == null) {
            return null;
        }
        long bytes = ByteSize.parse(text);
        if (bytes < 1) {
            throw bad(name + "=" + text + ": expected a size such as 65536, 64KiB or 16MiB");
        }
        if (bytes % MemoryLayout.PAGE_SIZE != 0) {
            throw bad(name + "=" + text + ": a size must be a multiple of 4KiB (4096 bytes)");
        }
        if (bytes > max) {
            throw bad(name + "=" + text + ": more than this node's maxGuestMemory of " + ByteSize.describe(max));
        }
        if (name.equals("stack") && bytes < MIN_STACK) {
            throw bad("stack=" + text + ": a stack needs at least 16KiB");
        }
        return bytes;
    }

    /** These sizes over {@code defaults}. */
    public LayoutSizes over(LayoutSizes defaults) {
        return new LayoutSizes(heap != null ? heap : defaults.heap(), stack != null ? stack : defaults.stack(),
                input != null ? input : defaults.input(), output != null ? output : defaults.output());
    }

    static GatewayException bad(String message) {
        return new GatewayException(ErrorCode.BAD_REQUEST, message);
    }
}
