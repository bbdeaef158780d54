package dev.dbproxy.lambda.platform;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** The counters of one function; cheap to update from many threads at once. */
final class FunctionStatistics {

    private final LongAdder invocations = new LongAdder();
    private final LongAdder coldStarts = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder throttles = new LongAdder();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger zombie = new AtomicInteger();
    private final AtomicInteger peakLive = new AtomicInteger();
    private final AtomicInteger peakBusy = new AtomicInteger();
    private final AtomicInteger peakZombie = new AtomicInteger();
    private final Histogram durationMicros = new ConcurrentHistogram(3);
    private final Histogram initDurationMicros = new ConcurrentHistogram(3);
    private final Histogram restoreDurationMicros = new ConcurrentHistogram(3);

    void invoked() {
        invocations.increment();
    }

    void coldStarted() {
        coldStarts.increment();
    }

    void failed() {
        errors.increment();
    }

    void timedOut() {
        timeouts.increment();
    }

    void throttled() {
        throttles.increment();
    }

    void environmentCreated() {
        raise(live, peakLive, 1);
    }

    void environmentGone() {
        live.decrementAndGet();
    }

    void busy() {
        raise(busy, peakBusy, 1);
    }

    void idle() {
        busy.decrementAndGet();
    }

    void zombieCreated() {
        raise(zombie, peakZombie, 1);
    }

    void zombieGone() {
        zombie.decrementAndGet();
    }

    void recordDuration(long nanos) {
        durationMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    void recordInitDuration(long nanos) {
        initDurationMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    void recordRestoreDuration(long nanos) {
        restoreDurationMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    EnvironmentCounts environments() {
        return new EnvironmentCounts(live.get(), busy.get(), zombie.get());
    }

    FunctionMetrics snapshot(String functionName, ManagedInstancesUsage managedInstances) {
        return new FunctionMetrics(functionName, invocations.sum(), coldStarts.sum(), errors.sum(), timeouts.sum(),
                throttles.sum(), environments(), new EnvironmentCounts(peakLive.get(), peakBusy.get(), peakZombie.get()),
                percentiles(durationMicros), percentiles(initDurationMicros), managedInstances,
                percentiles(restoreDurationMicros));
    }

    /** Zeroes the counters and histograms; the peaks restart from the current counts. */
    void reset() {
        invocations.reset();
        coldStarts.reset();
        errors.reset();
        timeouts.reset();
        throttles.reset();
        peakLive.set(live.get());
        peakBusy.set(busy.get());
        peakZombie.set(zombie.get());
        durationMicros.reset();
        initDurationMicros.reset();
        restoreDurationMicros.reset();
    }

    private static void raise(AtomicInteger count, AtomicInteger peak, int delta) {
        int now = count.addAndGet(delta);
        peak.accumulateAndGet(now, Math::max);
    }

    private static LatencyPercentiles percentiles(Histogram histogram) {
        Histogram copy = histogram.copy();
        if (copy.getTotalCount() == 0) {
            return new LatencyPercentiles(0, 0, 0, 0, 0, 0);
        }
        return new LatencyPercentiles(copy.getTotalCount(), copy.getMean() / 1000.0, millis(copy.getValueAtPercentile(50)),
                millis(copy.getValueAtPercentile(90)), millis(copy.getValueAtPercentile(99)), millis(copy.getMaxValue()));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
