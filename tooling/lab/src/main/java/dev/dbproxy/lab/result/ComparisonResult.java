package dev.dbproxy.lab.result;

import java.time.Instant;
import java.util.List;

/**
 * Everything one {@code compare} run measured: its settings, the prices used for the cost estimate, and one
 * {@link StrategyRun} per strategy and reclaim mode, in the order they ran. Written as the JSON file whose schema
 * the README documents ({@link #SCHEMA_VERSION} changes whenever a field changes meaning).
 *
 * @param schemaVersion version of this JSON shape
 * @param startedAt     when the comparison started
 * @param settings      the load profile and platform settings every run shared
 * @param pricing       the AWS prices the cost estimate used
 * @param runs          the runs, each on a fresh platform and a fresh database server
 */
public record ComparisonResult(
        int schemaVersion, Instant startedAt, LabSettings settings, Pricing pricing, List<StrategyRun> runs) {

    public static final int SCHEMA_VERSION = 4;

    public ComparisonResult {
        runs = List.copyOf(runs);
    }
}
