package io.snapgate.gateway.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A response body as a blocking stream that fails when no byte comes for {@code stall}: the JDK client has no
 * read timeout, and a registry that stops sending mid-blob must not hang a pull (the caller resumes instead).
 * At most {@value #AHEAD} chunks (the client's buffers, 16 KiB or so each) wait to be read, so a slow reader holds
 * back the sender rather than filling the heap, and a fast one rarely waits for the next.
 */
final class TimedBody extends InputStream implements BodySubscriber<InputStream> {
    private static final Object END = new Object();
    private static final int AHEAD = 64;

    private final Duration stall;
    private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(AHEAD + 1);
    private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> current = List.<ByteBuffer>of().iterator();
    private ByteBuffer buffer;
    private boolean ended;

    TimedBody(Duration stall) {
        this.stall = stall;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(AHEAD);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        chunks.offer(item); // never full: one more is asked for only once one is taken
    }

    @Override
    public void onError(Throwable t) {
        chunks.offer(t);
    }

    @Override
    public void onComplete() {
        chunks.offer(END);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return body;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (buffer == null || !buffer.hasRemaining()) {
            if (current.hasNext()) {
                buffer = current.next();
                continue;
            }
            if (ended || !next()) {
                return -1;
            }
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    /** Takes the next chunk; false at the end of the body. */
    @SuppressWarnings("unchecked")
    private boolean next() throws IOException {
        Object item;
        try {
            item = chunks.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while reading a registry response");
        }
        if (item == null) {
            close();
            throw new IOException("the registry sent nothing for " + stall.toSeconds() + " s");
        }
        if (item == END) {
            ended = true;
            return false;
        }
        if (item instanceof Throwable t) {
            ended = true;
            throw t instanceof IOException io ? io : new IOException(t);
        }
        current = ((List<ByteBuffer>) item).iterator();
        subscription.request(1);
        return true;
    }

    @Override
    public void close() {
        ended = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
