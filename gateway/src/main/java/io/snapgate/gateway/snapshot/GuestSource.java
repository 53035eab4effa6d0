package io.snapgate.gateway.snapshot;

import io.snapgate.vmm.memory.LayoutSizes;

/**
 * What a deploy builds a snapshot from: a guest ELF, the init input its init reads (a JavaScript runtime's
 * script; empty for an ELF of its own), and the sizes of the guest's heap, stack and buffers.
 */
public record GuestSource(byte[] elf, byte[] initInput, LayoutSizes sizes) {
    /**
     * What a deploy's body builds: {@code script} (JavaScript source, as the upload's Content-Type or the CLI's
     * file name says) for the JavaScript runtime ({@link JavaScriptGuest}), else an ELF; at {@code sizes}.
     */
    public static GuestSource of(byte[] body, boolean script, GuestSizes sizes) {
        return script ? JavaScriptGuest.source(body, sizes)
                : new GuestSource(body, new byte[0], sizes.over(LayoutSizes.DEFAULT));
    }
}
