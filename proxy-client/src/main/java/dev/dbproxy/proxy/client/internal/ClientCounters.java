package dev.dbproxy.proxy.client.internal;

import dev.dbproxy.proxy.client.ProxyClientMetrics;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link ProxyClientMetrics}, safe to update from any thread. */
public final class ClientCounters {

    final LongAdder invocations = new LongAdder();
    final LongAdder operations = new LongAdder();
    final LongAdder coalescedInvocations = new LongAdder();
    final AtomicLong largestBatch = new AtomicLong();
    final LongAdder throttles = new LongAdder();
    final LongAdder throttleRetries = new LongAdder();
    final LongAdder resends = new LongAdder();

    void invoked(int operationCount, int callCount) {
        invocations.increment();
        operations.add(operationCount);
        if (callCount > 1) {
            coalescedInvocations.increment();
        }
        largestBatch.accumulateAndGet(operationCount, Math::max);
    }

    /** A snapshot of the counters. */
    public ProxyClientMetrics snapshot() {
        return new ProxyClientMetrics(invocations.sum(), operations.sum(), coalescedInvocations.sum(),
                largestBatch.get(), throttles.sum(), throttleRetries.sum(), resends.sum());
    }
}
