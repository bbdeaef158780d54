package dev.dbproxy.lab.result;

import java.util.List;

/**
 * One strategy under the load profile, from an empty platform to the end of the idle phase.
 *
 * @param strategy    {@code direct} or {@code lambda-proxy}
 * @param reclaimMode {@code abandon} (Lambda without extensions: reclaimed environments leave zombie connections) or
 *                    {@code graceful} (handlers are closed before the environment goes)
 * @param summary     the figures of the whole run
 * @param samples     the time series, one sample per sampling interval
 * @param events      load steps, redeploys and phase changes, for marking charts
 */
public record StrategyRun(
        String strategy, String reclaimMode, Summary summary, List<Sample> samples, List<RunEvent> events) {

    public StrategyRun {
        samples = List.copyOf(samples);
        events = List.copyOf(events);
    }

    /** A label such as {@code direct (abandon)}. */
    public String label() {
        return strategy + " (" + reclaimMode + ")";
    }
}
