package dev.dbproxy.lab.result;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Which configuration to pick, from the figures of one comparison: the run with the fewest connections (its own
 * peak), the run with the lowest cost per million requests, each with its latency, and the requests every run had
 * refused (429 and 503), since a configuration that saves connections by refusing requests has not saved anything.
 *
 * @param fewestConnections the run with the lowest {@code peakConnections} (ties: the cheaper)
 * @param lowestCost        the run with the lowest {@code cost.usdPerMillionRequests} among those that served
 *                          requests (ties: the fewer connections)
 * @param refused           per run, in run order, its requests answered 429 and 503
 */
public record Verdict(Pick fewestConnections, Pick lowestCost, List<Refused> refused) {

    public Verdict {
        refused = List.copyOf(refused);
    }

    /**
     * One run the verdict names.
     *
     * @param run                   the run's label, e.g. {@code lambda-proxy / managed instances (graceful)}; empty
     *                              when the comparison has no run
     * @param peakConnections       its own peak connections
     * @param usdPerMillionRequests its cost per million requests
     * @param p50Millis             its median latency (NaN when none)
     * @param p99Millis             its 99th percentile (NaN when none)
     */
    public record Pick(String run, long peakConnections, double usdPerMillionRequests, double p50Millis,
            double p99Millis) {

        /** No run to pick. */
        public static final Pick NONE = new Pick("", 0, 0, Double.NaN, Double.NaN);

        static Pick of(StrategyRun run) {
            Summary s = run.summary();
            return new Pick(run.label(), s.peakConnections(), s.cost().usdPerMillionRequests(), s.latency().p50(),
                    s.latency().p99());
        }
    }

    /**
     * The requests of one run that the platform refused.
     *
     * @param run         the run's label
     * @param throttled   answered 429
     * @param unavailable answered 503 (and 502/504 from a gateway)
     */
    public record Refused(String run, long throttled, long unavailable) {
    }

    /** The verdict of these runs. */
    public static Verdict of(List<StrategyRun> runs) {
        ToDoubleFunction<StrategyRun> connections = run -> run.summary().peakConnections();
        ToDoubleFunction<StrategyRun> cost = run -> run.summary().cost().usdPerMillionRequests();
        Pick fewest = runs.stream()
                .min(Comparator.comparingDouble(connections).thenComparingDouble(cost))
                .map(Pick::of).orElse(Pick.NONE);
        Pick cheapest = runs.stream().filter(run -> run.summary().requests() > 0)
                .min(Comparator.comparingDouble(cost).thenComparingDouble(connections))
                .map(Pick::of).orElse(Pick.NONE);
        List<Refused> refused = runs.stream().map(run -> new Refused(run.label(),
                run.summary().errors().throttled(), run.summary().errors().unavailable())).toList();
        return new Verdict(fewest, cheapest, refused);
    }
}
