package dev.dbproxy.lab.report;

import dev.dbproxy.lab.cost.LambdaCostModel;
import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.Configuration;
import dev.dbproxy.lab.result.RunEvent;
import dev.dbproxy.lab.result.Sample;
import dev.dbproxy.lab.result.StrategyRun;
import dev.dbproxy.lab.result.Summary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small hand-made runs for the edge cases of the report; {@link SyntheticComparison} has the realistic ones. */
final class Runs {

    private Runs() {
    }

    static ComparisonResult comparison(StrategyRun... runs) {
        return new ComparisonResult(ComparisonResult.SCHEMA_VERSION, Instant.parse("2026-11-26T10:00:00Z"),
                SyntheticComparison.settings(), LambdaCostModel.US_EAST_1_X86, List.of(runs));
    }

    static Sample sample(double seconds, long connections, double p50, double p99) {
        return new Sample(seconds, 10, connections + 2, connections, Map.of("get-note", connections,
                "notes-lab-gauge", 2L), connections, 100, p50, p99,
                Map.of("get-note", new Sample.EnvironmentCounts(3, 1, 0)));
    }

    /** A run whose summary's peak connections is the samples' highest, with the given requests and median. */
    static StrategyRun run(String strategy, String mode, long requests, double p50, List<Sample> samples) {
        return run(strategy, mode, requests, p50, samples, Summary.Leftovers.NONE);
    }

    /** The same, with connections left by an earlier run when it started. */
    static StrategyRun run(String strategy, String mode, long requests, double p50, List<Sample> samples,
            Summary.Leftovers leftovers) {
        long peak = samples.stream().mapToLong(Sample::ownConnections).max().orElse(0);
        Summary summary = new Summary(requests, new Summary.Errors(1, 2, 3),
                new Summary.Latency(p50, p50 * 2, p50 * 4, p50 * 10), requests / 100.0, peak,
                peak == 0 ? Map.of() : Map.of("get-note", peak), peak + 2, 0, peak, leftovers, 4,
                new Summary.InitDurations(4, 250.5, 410.0), Summary.InitDurations.NONE,
                requests, 0, 0, 0, 3, 0, 0, Summary.ManagedInstances.NONE,
                new Summary.Cost(1.5, 0.001, 0.002, 0, 0, 0, 0.3));
        List<RunEvent> events = new ArrayList<>();
        events.add(new RunEvent(0, "step", "10 users"));
        if (!samples.isEmpty()) {
            events.add(new RunEvent(samples.getLast().seconds(), "end", "end"));
        }
        Configuration onLambda = new Configuration(strategy, strategy, Configuration.LAMBDA,
                strategy.equals("direct") ? Configuration.NONE : Configuration.LAMBDA);
        return new StrategyRun(onLambda, mode, summary, samples, events);
    }

    /** {@code count} samples a quarter of a second apart with the given connections and latencies. */
    static List<Sample> samples(int count, long connections, double p50, double p99) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add(sample(i * 0.25, connections, p50, p99));
        }
        return samples;
    }
}
