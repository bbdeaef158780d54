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
 * @param businessInit         init phases (cold starts) of the business functions
 * @param proxyInit            init phases of the proxy function (none for {@code direct})
 * @param businessInvocations  invocations of the business functions
 * @param proxyInvocations     invocations of the proxy function (0 for {@code direct})
 * @param proxyThrottles       proxy invocations refused with 429 by its reserved concurrency
 * @param adapterRetries       proxy invocations the adapter retried after a throttle
 * @param peakEnvironments     highest number of live environments, all functions together
 * @param peakEnvironmentMemoryMb highest sum of the environments' resident memory (live and zombies) sampled, MiB;
 *                             0 unless each environment is a process ({@code --environments process})
 * @param environmentCpuSeconds CPU time of all the run's environments, user and system; 0 unless processes
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
        InitDurations businessInit,
        InitDurations proxyInit,
        long businessInvocations,
        long proxyInvocations,
        long proxyThrottles,
        long adapterRetries,
        long peakEnvironments,
        double peakEnvironmentMemoryMb,
        double environmentCpuSeconds,
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
     * How long the init phases of cold starts took: the handler's class loading and construction, where the clients
     * are built.
     *
     * @param count      init phases
     * @param meanMillis their mean in milliseconds; NaN when there were none
     * @param maxMillis  the longest in milliseconds; NaN when there were none
     */
    public record InitDurations(long count, double meanMillis, double maxMillis) {

        /** No init phase seen (or none measurable, as for a deployed API). */
        public static final InitDurations NONE = new InitDurations(0, Double.NaN, Double.NaN);
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
