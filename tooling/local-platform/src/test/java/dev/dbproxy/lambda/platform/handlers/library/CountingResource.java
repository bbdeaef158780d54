package dev.dbproxy.lambda.platform.handlers.library;

import java.util.concurrent.atomic.AtomicInteger;

/** Stands in for a library client (a {@code MongoClient}): counts, in a static field, how many were closed. */
public final class CountingResource implements AutoCloseable {

    private static final AtomicInteger CLOSED = new AtomicInteger();

    /** How many resources of this class (as loaded by the caller's class loader) have been closed. */
    public static int closed() {
        return CLOSED.get();
    }

    @Override
    public void close() {
        CLOSED.incrementAndGet();
    }
}
