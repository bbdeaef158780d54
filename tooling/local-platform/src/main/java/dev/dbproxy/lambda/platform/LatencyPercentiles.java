package dev.dbproxy.lambda.platform;

/**
 * A latency distribution in milliseconds (microsecond resolution); all zero when nothing was recorded.
 *
 * @param count how many values were recorded
 * @param mean  the average; {@code count * mean} is the total time, which the lab bills as GB-seconds
 * @param p50   the median
 * @param p90   the 90th percentile
 * @param p99   the 99th percentile
 * @param max   the largest value
 */
public record LatencyPercentiles(long count, double mean, double p50, double p90, double p99, double max) {
}
