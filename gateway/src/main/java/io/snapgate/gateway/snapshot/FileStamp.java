package io.snapgate.gateway.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Tells whether a store's {@code index.json} may have changed, with one stat: the store replaces the file
 * atomically on every write, so a new inode, time or size means new tags. Any process may write the store.
 */
final class IndexStamp {
    private IndexStamp() {
    }

    /** A value equal to an earlier one only while the index is unchanged. */
    static Object of(Path index) {
        try {
            BasicFileAttributes a = Files.readAttributes(index, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return new Object(); // equal to nothing: the next lookup goes to the store and reports the problem
        }
    }
}
