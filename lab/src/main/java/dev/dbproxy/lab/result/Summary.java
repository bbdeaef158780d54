package dev.dbproxy.lab.result;

/**
 * The figures of one run.
 *
 * @param requests             HTTP requests sent by the virtual users
 * @param errors               failed requests by kind
 * @param latency              client-side latency of all requests
 * @param throughputPerSecond  requests per second over the load phase
 * @param peakConnections      highest {@code serverStatus.connections.current} seen
 * @param finalConnections     connections still open at the end of the idle phase
 * @param connectionsCreated   increase of {@code serverStatus.connections.totalCreated} during the run
 * @param coldStarts           execution environments created (business and proxy functions)
 * @param businessInvocations  invocations of the business functions
 * @param proxyInvocations     invocations of the proxy function (0 for {@code direct})
 * @param proxyThrottles       proxy invocations refused with 429 by its reserved concurrency
 * @param adapterRetries       proxy invocations the adapter retried after a throttle
 * @param peakEnvironments     highest number of live environments, all functions together
 * @param cost                 the estimated AWS Lambda bill
 */
public record Summary(
        long requests,
        Errors errors,
        Latency latency,
        double throughputPerSecond,
        long peakConnections,
        long finalConnections,
        long connectionsCreated,
        long coldStarts,
        long businessInvocations,
        long proxyInvocations,
        long proxyThrottles,
        long adapterRetries,
        long peakEnvironments,
        Cost cost) {

    /**
     * Failed requests by kind.
     *
     * @param throttled   HTTP 429
     * @param unavailable HTTP 503 (and 502/504 from the gateway)
     * @param other       any other failure, including client-side timeouts and connection errors
     */
    public record Errors(long throttled, long unavailable, long other) {
        public long total() {
            return throttled + unavailable + other;
        }
    }

    /**
     * Latency percentiles in milliseconds.
     *
     * @param p50 median
     * @param p90 90th percentile
     * @param p99 99th percentile
     * @param max slowest request
     */
    public record Latency(double p50, double p90, double p99, double max) {
    }

    /**
     * The estimated AWS Lambda bill.
     *
     * @param gbSeconds               billed duration × configured memory, all functions
     * @param requestsUsd             invocation charge for this run
     * @param computeUsd              duration charge for this run
     * @param usdPerMillionRequests   (requests + compute) scaled to one million HTTP requests
     */
    public record Cost(double gbSeconds, double requestsUsd, double computeUsd, double usdPerMillionRequests) {
    }
}
