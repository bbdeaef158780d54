package dev.dbproxy.lab.result;

import java.util.List;

/**
 * One configuration under the load profile, from an empty platform to the end of the idle phase.
 *
 * @param configuration the strategy and where its functions run
 * @param reclaimMode   {@code abandon} (Lambda without extensions: reclaimed environments leave zombie connections) or
 *                      {@code graceful} (handlers are closed before the environment goes; always so on managed
 *                      instances, which scale in gracefully)
 * @param summary       the figures of the whole run
 * @param samples       the time series, one sample per sampling interval
 * @param events        load steps, redeploys and phase changes, for marking charts
 */
public record StrategyRun(
        Configuration configuration, String reclaimMode, Summary summary, List<Sample> samples,
        List<RunEvent> events) {

    public StrategyRun {
        samples = List.copyOf(samples);
        events = List.copyOf(events);
    }

    /** {@code direct} or {@code lambda-proxy}. */
    public String strategy() {
        return configuration.strategy();
    }

    /** A label such as {@code direct (abandon)} or {@code direct / managed instances (graceful)}. */
    public String label() {
        return configuration.label() + " (" + reclaimMode + ")";
    }
}
