package io.snapgate.vmm.abi;

/**
 * The Java value of the {@code json} type: one JSON text (RFC 8259), checked when made, so that a guest's
 * result and a caller's argument are valid JSON in valid Unicode or refused ({@link JsonSyntax}).
 */
public record JsonText(String text) {
    public JsonText {
        String problem = JsonSyntax.problem(text);
        if (problem != null) {
            throw new IllegalArgumentException("not a JSON text: " + problem);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
