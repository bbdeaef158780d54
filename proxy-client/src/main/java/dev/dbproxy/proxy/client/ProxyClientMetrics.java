package dev.dbproxy.proxy.client;

/**
 * What a {@link DbProxyClient} has done since it was built, for a caller to read or publish (as CloudWatch metrics,
 * say). A snapshot: each call of {@link DbProxyClient#metrics()} makes a new one.
 *
 * @param invocations          proxy requests sent (a throttled one sent again counts once: see throttleRetries)
 * @param operations           operations those invocations carried
 * @param coalescedInvocations invocations that carried the operations of more than one call
 * @param largestBatch         the most operations one invocation carried
 * @param throttles            invocations Lambda refused as throttled
 * @param throttleRetries      throttled invocations the client sent again
 * @param resends              calls sent again alone after sharing an invocation left no room for them
 */
public record ProxyClientMetrics(
        long invocations,
        long operations,
        long coalescedInvocations,
        long largestBatch,
        long throttles,
        long throttleRetries,
        long resends) {

    /** The mean number of operations per invocation, 0 before the first. */
    public double operationsPerInvocation() {
        return invocations == 0 ? 0 : (double) operations / invocations;
    }
}
