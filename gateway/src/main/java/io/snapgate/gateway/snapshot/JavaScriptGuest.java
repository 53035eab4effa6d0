package io.snapgate.gateway.snapshot;

import io.snapgate.gateway.config.ByteSize;
import io.snapgate.vmm.abi.Utf8;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.memory.MemoryLayout;
import java.util.Locale;

/**
 * JavaScript deployed as source: the runtime guest {@code guests/js.elf} (Duktape) with the script as its init
 * input, which the guest evaluates at init, registering the script's exports. The engine needs megabytes of heap
 * and a deep C stack where a small C guest needs neither, so a script gets sizes of its own; the input buffer
 * grows to hold the script.
 */
public final class JavaScriptGuest {
    /** 16 MiB of heap, 1 MiB of stack, 256 KiB buffers (docs/api.md, "JavaScript functions"). */
    public static final LayoutSizes SIZES = new LayoutSizes(16 << 20, 1 << 20, 256 << 10, 256 << 10);
    private static final String ELF = "js";

    private JavaScriptGuest() {
    }

    /** Whether a request's {@code Content-Type} says its body is JavaScript source. */
    public static boolean isJavaScript(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return media.equals("application/javascript") || media.equals("text/javascript");
    }

    /** The runtime with {@code script} as its init input, at the sizes asked for over the script's defaults. */
    public static GuestSource source(byte[] script, GuestSizes sizes) {
        if (script.length == 0) {
            throw GuestSizes.bad("the body must be a JavaScript script");
        }
        String problem = Utf8.problem(script);
        if (problem != null) {
            throw GuestSizes.bad("script: " + problem);
        }
        long needed = script.length + 4L; // the init input's length comes first
        if (sizes.input() != null && sizes.input() < needed) {
            throw GuestSizes.bad("input=" + ByteSize.describe(sizes.input()) + " is too small for the script of "
                    + script.length + " bytes: the input buffer holds it at init, with 4 bytes of length");
        }
        long input = Math.max(SIZES.input(), (needed + MemoryLayout.PAGE_SIZE - 1) & -MemoryLayout.PAGE_SIZE);
        LayoutSizes defaults = new LayoutSizes(SIZES.heap(), SIZES.stack(), input, SIZES.output());
        return new GuestSource(ExampleGuests.elf(ELF), script, sizes.over(defaults));
    }
}
