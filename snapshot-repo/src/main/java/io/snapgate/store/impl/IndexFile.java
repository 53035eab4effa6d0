package io.snapgate.store.impl;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.fs.AtomicFiles;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.OciLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;

/** Reading {@code oci-layout} and {@code index.json} with every check, and replacing the index atomically. */
final class IndexFile {
    private static final int MODE = 0644;

    private IndexFile() {
    }

    /**
     * Checks {@code oci-layout}, then reads and checks the index as the spec describes it (each entry is checked
     * as a snapshot only when it is used: another tool's entries are not snapgate's to judge).
     */
    static ImageIndex read(StorePaths paths) {
        checkLayout(paths);
        byte[] json = Documents.read(paths.index(), Problem.MISSING_INDEX, ImageIndex.FILE);
        return ImageIndex.parse(json, ImageIndex.FILE);
    }

    static void checkLayout(StorePaths paths) {
        byte[] json;
        try {
            json = Documents.read(paths.ociLayout(), Problem.MISSING_LAYOUT_FILE, OciLayout.FILE);
        } catch (SnapshotFormatException e) {
            if (e.problem() == Problem.MISSING_LAYOUT_FILE
                    && !Files.isDirectory(paths.dir(), LinkOption.NOFOLLOW_LINKS)) {
                throw paths.gone();
            }
            throw e;
        }
        StrictJson.readExtensible(json, OciLayout.class, OciLayout.FILE).check();
    }

    /** Replaces {@code index.json}: the commit point of every write. */
    static void write(StorePaths paths, ImageIndex index) {
        byte[] json = index.toJson();
        if (json.length > StrictJson.MAX_DOCUMENT) {
            throw new SnapshotFormatException(Problem.DOCUMENT_TOO_LARGE, ImageIndex.FILE + " would hold "
                    + json.length + " bytes, more than " + StrictJson.MAX_DOCUMENT + ": too many tags ("
                    + index.manifests().size() + ")");
        }
        AtomicFiles.replace(paths.index(), json, MODE);
    }

    static void writeLayout(StorePaths paths) {
        AtomicFiles.replace(paths.ociLayout(), StrictJson.write(OciLayout.current()), MODE);
    }
}
