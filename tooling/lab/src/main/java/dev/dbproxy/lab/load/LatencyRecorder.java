package dev.dbproxy.lab.load;

import dev.dbproxy.lab.result.Summary;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records every request's latency and outcome from many threads: the whole run in one histogram, and an interval
 * histogram that the sampler swaps out every sampling period for latency over time.
 */
public final class LatencyRecorder {

    private static final long MAX_TRACKED_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final Recorder interval = new Recorder(MAX_TRACKED_NANOS, 3);
    private final Histogram total = new Histogram(MAX_TRACKED_NANOS, 3);
    private final Map<RequestOutcome, AtomicLong> outcomes = new EnumMap<>(RequestOutcome.class);
    private Histogram recycled;

    public LatencyRecorder() {
        for (RequestOutcome outcome : RequestOutcome.values()) {
            outcomes.put(outcome, new AtomicLong());
        }
    }

    /** Records one completed request. */
    public void record(long latencyNanos, RequestOutcome outcome) {
        long bounded = Math.min(Math.max(latencyNanos, 1), MAX_TRACKED_NANOS);
        interval.recordValue(bounded);
        outcomes.get(outcome).incrementAndGet();
    }

    /** The requests completed since the previous call; also folds them into the run's total. */
    public synchronized Histogram takeInterval() {
        Histogram histogram = interval.getIntervalHistogram(recycled);
        total.add(histogram);
        recycled = histogram;
        return histogram.copy();
    }

    /** Requests recorded with this outcome so far. */
    public long count(RequestOutcome outcome) {
        return outcomes.get(outcome).get();
    }

    /** All requests recorded so far. */
    public long requests() {
        return outcomes.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Latency of the whole run so far, in milliseconds. */
    public synchronized Summary.Latency latency() {
        takeInterval();
        if (total.getTotalCount() == 0) {
            return new Summary.Latency(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Summary.Latency(
                millis(total.getValueAtPercentile(50)),
                millis(total.getValueAtPercentile(90)),
                millis(total.getValueAtPercentile(99)),
                millis(total.getMaxValue()));
    }

    /** Errors by kind so far. */
    public Summary.Errors errors() {
        return new Summary.Errors(count(RequestOutcome.THROTTLED), count(RequestOutcome.UNAVAILABLE),
                count(RequestOutcome.OTHER));
    }

    /** Converts a histogram value in nanoseconds to milliseconds. */
    public static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
