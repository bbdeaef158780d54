package dev.dbproxy.lab.result;

import java.time.Instant;
import java.util.List;

/**
 * Everything one {@code compare} run measured: its settings, the prices used for the cost estimate, and one
 * {@link StrategyRun} per configuration and reclaim mode, in the order they ran. Written as the JSON file whose schema
 * the README documents ({@link #SCHEMA_VERSION} changes whenever a field changes meaning).
 *
 * @param schemaVersion version of this JSON shape
 * @param startedAt     when the comparison started
 * @param settings      the load profile and platform settings every run shared
 * @param pricing       the AWS prices the cost estimate used
 * @param runs          the runs, each on a fresh platform and a fresh database server
 * @param verdict       which run had the fewest connections, which the lowest cost, and what each refused; always
 *                      {@link Verdict#of(List)} of the runs
 */
public record ComparisonResult(
        int schemaVersion, Instant startedAt, LabSettings settings, Pricing pricing, List<StrategyRun> runs,
        Verdict verdict) {

    public static final int SCHEMA_VERSION = 6;

    public ComparisonResult {
        runs = List.copyOf(runs);
        if (!verdict.equals(Verdict.of(runs))) {
            throw new IllegalArgumentException("the verdict does not follow from the runs: " + verdict);
        }
    }

    /** A result whose verdict is computed from the runs. */
    public ComparisonResult(int schemaVersion, Instant startedAt, LabSettings settings, Pricing pricing,
            List<StrategyRun> runs) {
        this(schemaVersion, startedAt, settings, pricing, runs, Verdict.of(runs));
    }
}
