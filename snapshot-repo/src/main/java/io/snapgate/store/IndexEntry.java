package io.snapgate.store;

/**
 * One entry of a store's {@code index.json}: a snapgate snapshot, or something another tool put in the layout
 * (a container image, a nested index), which snapgate lists as skipped and leaves alone.
 *
 * @param refName its tag ({@code org.opencontainers.image.ref.name}), or null when it has none
 * @param digest the manifest's digest, as the entry writes it
 * @param notSnapshot why it is not a snapgate snapshot, or null when it is one (or says it is, or may be one whose
 *        manifest cannot be read: loading it then says what is wrong)
 */
public record IndexEntry(String refName, String digest, String notSnapshot) {
    public boolean snapshot() {
        return notSnapshot == null;
    }

    /** What to call it: its tag, or the digest of an untagged entry. */
    public String name() {
        return refName != null ? refName : digest;
    }
}
