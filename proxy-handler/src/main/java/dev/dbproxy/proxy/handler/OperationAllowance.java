package dev.dbproxy.proxy.handler;

import java.time.Duration;
import org.bson.json.JsonWriterSettings;

/**
 * What one operation may use: time before the caller's deadline (the driver's client-side operation timeout, from
 * which it derives the {@code maxTimeMS} it sends), response bytes for its result (those reserved for its outcome
 * and those still free), and how to write BSON values.
 */
record OperationAllowance(Duration time, long responseBytes, JsonWriterSettings writerSettings) {

    /** The time left in whole milliseconds, at least 1: MongoDB reads {@code maxTimeMS} 0 as "no limit". */
    long maxTimeMillis() {
        return Math.max(1, time.toMillis());
    }
}
