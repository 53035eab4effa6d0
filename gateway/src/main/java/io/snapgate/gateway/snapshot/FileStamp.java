package io.snapgate.gateway.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Tells whether a file may have changed, with one stat: a new inode, modification time or size. The store
 * replaces {@code index.json} atomically on every write (so a new stamp means new tags), and never rewrites a
 * blob in place (so an unchanged stamp means an unchanged blob).
 */
public final class FileStamp {
    private FileStamp() {
    }

    /** A value equal to an earlier one only while the file is unchanged. */
    public static Object of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return new Object(); // equal to nothing: the next lookup goes to the store and reports the problem
        }
    }
}
