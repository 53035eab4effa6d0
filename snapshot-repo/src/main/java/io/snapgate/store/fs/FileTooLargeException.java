package io.snapgate.store.fs;

import java.nio.file.Path;

/** A bounded read refused a file before reading it, because {@code fstat} reported more bytes than allowed. */
public final class FileTooLargeException extends RuntimeException {
    private final long size;
    private final long limit;

    public FileTooLargeException(Path path, long size, long limit) {
        super(path + " holds " + size + " bytes, more than the " + limit + " allowed", null, false, false);
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
