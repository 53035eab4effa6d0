package io.snapgate.store.impl;

import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import io.snapgate.store.fs.AtomicFiles;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.Descriptor;
import io.snapgate.store.oci.ImageIndex;
import io.snapgate.store.oci.OciLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Map;

/** Reading {@code oci-layout} and {@code index.json} with every check, and replacing the index atomically. */
final class IndexFile {
    private static final int MODE = 0644;

    private IndexFile() {
    }

    /** Checks {@code oci-layout}, then reads and checks the whole index. */
    static ImageIndex read(StorePaths paths) {
        ImageIndex index = parse(paths);
        index.tagged();
        return index;
    }

    /** Like {@link #read}, for a reader of tags: the manifests by tag, the index checked once. */
    static Map<String, Descriptor> readTagged(StorePaths paths) {
        return parse(paths).tagged();
    }

    private static ImageIndex parse(StorePaths paths) {
        checkLayout(paths);
        byte[] json = Documents.read(paths.index(), Problem.MISSING_INDEX, ImageIndex.FILE);
        return StrictJson.readWithOptional(json, ImageIndex.class, ImageIndex.FILE);
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
        StrictJson.read(json, OciLayout.class, OciLayout.FILE).check();
    }

    /** Replaces {@code index.json}: the commit point of every write. */
    static void write(StorePaths paths, ImageIndex index) {
        byte[] json = StrictJson.write(index);
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
