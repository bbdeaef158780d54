package dev.dbproxy.lab.report;

import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.StrategyRun;
import dev.dbproxy.lab.result.Summary;
import dev.dbproxy.lab.result.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The summary figures of every run, formatted once so that the terminal table and the HTML table always show the
 * same thing. Database connections come first: they are the point of the experiment.
 *
 * @param runs     the runs, one column each, in the order they ran
 * @param hasRatio whether there is a {@code direct / proxy} column (both abandon runs are present)
 * @param headline one sentence comparing the peak connections of the abandon runs, empty without both of them
 * @param sections the rows, in groups
 * @param verdict  the verdict's sentences: fewest connections, lowest cost, refused requests; empty without runs
 */
record SummaryTable(List<StrategyRun> runs, boolean hasRatio, String headline, List<Section> sections,
        List<String> verdict) {

    static final String RATIO_HEADER = "direct / proxy";
    /** How the managed-instances figures are billed, printed wherever they are. */
    static final String MANAGED_INSTANCES_COST_NOTE = "Managed instances are billed as AWS bills them: requests, the"
            + " instances' EC2 on-demand price and a management fee on it, no duration. The lab bills the"
            + " environments' vCPU time over the run (perfect packing): a lower bound, since AWS keeps at least 3"
            + " instances (one per Availability Zone) whatever the load.";
    /** Why managed-instances runs end with connections open, printed with the billing note. */
    static final String MANAGED_INSTANCES_CONNECTIONS_NOTE = "Managed-instances environments are never frozen and"
            + " stay up at their minimum (MinExecutionEnvironments) after the load, so their pools stay open: a run's"
            + " final connections there are those environments' pools, not zombies.";
    static final String DIRECT = "direct";
    static final String PROXY = "lambda-proxy";
    static final String ABANDON = "abandon";

    SummaryTable {
        runs = List.copyOf(runs);
        sections = List.copyOf(sections);
        verdict = List.copyOf(verdict);
    }

    /**
     * A group of rows.
     *
     * @param title what the rows are about
     * @param rows  the rows
     */
    record Section(String title, List<Row> rows) {
        Section {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One figure for every run.
     *
     * @param label    the figure and its unit
     * @param cells    the formatted figure, one per run
     * @param ratio    direct divided by proxy, formatted; empty when there is no ratio column or it means nothing
     * @param headline whether this is the headline figure
     */
    record Row(String label, List<String> cells, String ratio, boolean headline) {
        Row {
            cells = List.copyOf(cells);
        }
    }

    static SummaryTable of(ComparisonResult result) {
        List<StrategyRun> runs = result.runs();
        StrategyRun direct = find(runs, DIRECT);
        StrategyRun proxy = find(runs, PROXY);
        Rows rows = new Rows(runs, direct, proxy);

        List<Section> sections = new ArrayList<>(List.of(
                new Section("Database", database(runs, rows)),
                new Section("Load", List.of(
                        rows.count("requests", Summary::requests, false, false),
                        rows.text("errors: throttled / unavailable / other", s -> String.format(Locale.ROOT,
                                "%,d / %,d / %,d", s.errors().throttled(), s.errors().unavailable(),
                                s.errors().other())),
                        rows.decimal("latency p50 (ms)", s -> s.latency().p50(), 2),
                        rows.decimal("latency p90 (ms)", s -> s.latency().p90(), 2),
                        rows.decimal("latency p99 (ms)", s -> s.latency().p99(), 2),
                        rows.decimal("latency max (ms)", s -> s.latency().max(), 1),
                        rows.decimal("throughput (req/s)", Summary::throughputPerSecond, 1)))));
        if (result.settings().onLocalPlatform()) {
            // A deployed API's Lambda figures live in CloudWatch, not here: leave them out rather than print zeros.
            sections.add(new Section("Lambda", List.of(
                        rows.count("cold starts", Summary::coldStarts, true, false),
                        rows.decimal("business init mean (ms)", s -> s.businessInit().meanMillis(), 1),
                        rows.decimal("business init max (ms)", s -> s.businessInit().maxMillis(), 1),
                        rows.decimal("proxy init mean (ms)", s -> s.proxyInit().meanMillis(), 1),
                        rows.decimal("proxy init max (ms)", s -> s.proxyInit().maxMillis(), 1),
                        rows.count("peak environments", Summary::peakEnvironments, true, false),
                        rows.count("business invocations", Summary::businessInvocations, true, false),
                        rows.count("proxy invocations", Summary::proxyInvocations, false, false),
                        rows.count("proxy throttles", Summary::proxyThrottles, false, false),
                        rows.count("adapter retries", Summary::adapterRetries, false, false))));
            if (runs.stream().anyMatch(run -> run.summary().environmentCpuSeconds() > 0)) {
                // Only process environments have their own memory and CPU time; in-process ones would print zeros.
                sections.add(new Section("Environments (processes)", List.of(
                        rows.decimal("peak memory, all environments (MiB)", Summary::peakEnvironmentMemoryMb, 0),
                        rows.decimal("CPU time, all environments (s)", Summary::environmentCpuSeconds, 1))));
            }
            boolean anyManaged = runs.stream().anyMatch(run -> run.configuration().anyOnManagedInstances());
            if (anyManaged) {
                sections.add(new Section("Managed instances", List.of(
                        rows.decimal("min environments per function",
                                managed(s -> s.managedInstances().minEnvironments()), 0),
                        rows.decimal("capacity provider MaxVCpuCount",
                                managed(s -> s.managedInstances().maxVCpuCount()), 0),
                        rows.decimal("environments started",
                                managed(s -> s.managedInstances().environmentsStarted()), 0),
                        rows.decimal("peak concurrent invocations per environment",
                                managed(s -> s.managedInstances().peakConcurrentInvocationsPerEnvironment()), 0),
                        rows.decimal("environment-seconds", managed(s -> s.managedInstances().environmentSeconds()),
                                1),
                        rows.decimal("vCPU-seconds", managed(s -> s.managedInstances().vCpuSeconds()), 1))));
            }
            List<Row> cost = new ArrayList<>();
            cost.add(rows.decimal("GB-seconds", s -> s.cost().gbSeconds(), 2));
            cost.add(rows.decimal("  of which the DB proxy's", s -> s.proxyInvocations() == 0 ? Double.NaN
                    : s.cost().proxyGbSeconds(), 2));
            cost.add(rows.decimal("per million requests: invocations (USD)",
                    s -> perMillionRequests(s, s.cost().requestsUsd()), 4));
            cost.add(rows.decimal("per million requests: business duration (USD)", s -> perMillionRequests(s,
                    s.cost().computeUsd() * (1 - proxyShare(s.cost()))), 4));
            cost.add(rows.decimal("per million requests: DB proxy duration (USD)", s -> s.proxyInvocations() == 0
                    ? Double.NaN : perMillionRequests(s, s.cost().computeUsd() * proxyShare(s.cost())), 4));
            if (anyManaged) {
                cost.add(rows.decimal("instance-seconds (vCPU-s / instance vCPUs)",
                        managed(s -> s.cost().instanceSeconds()), 1));
                cost.add(rows.decimal("instances + management fee (USD)",
                        managed(s -> s.cost().instancesUsd() + s.cost().managementFeeUsd()), 6));
            }
            cost.add(rows.decimal("cost per million requests (USD)", s -> s.cost().usdPerMillionRequests(), 4));
            sections.add(new Section("Cost", cost));
        }
        return new SummaryTable(runs, direct != null && proxy != null, headline(direct, proxy), sections,
                verdict(result.verdict()));
    }

    /** {@code usd} of the run scaled to one million of its HTTP requests; NaN when it served none. */
    private static double perMillionRequests(Summary summary, double usd) {
        return summary.requests() == 0 ? Double.NaN : usd / summary.requests() * 1_000_000.0;
    }

    /** The DB proxy's part of the duration charge. */
    private static double proxyShare(Summary.Cost cost) {
        return cost.gbSeconds() == 0 ? 0 : cost.proxyGbSeconds() / cost.gbSeconds();
    }

    /** A managed-instances figure; NaN (printed {@code -}) for a run with nothing on managed instances. */
    private static ToDoubleFunction<Summary> managed(ToDoubleFunction<Summary> figure) {
        return s -> s.managedInstances().equals(Summary.ManagedInstances.NONE) ? Double.NaN : figure.applyAsDouble(s);
    }

    /** The verdict as sentences: the run with the fewest connections, the cheapest, and every run's refusals. */
    static List<String> verdict(Verdict verdict) {
        if (verdict.fewestConnections().run().isEmpty()) {
            return List.of();
        }
        Verdict.Pick fewest = verdict.fewestConnections();
        Verdict.Pick cheapest = verdict.lowestCost();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Fewest connections: %s, %,d at its peak (p50 %s, p99 %s, $%.4f per"
                        + " million requests).", fewest.run(), fewest.peakConnections(), millis(fewest.p50Millis()),
                millis(fewest.p99Millis()), fewest.usdPerMillionRequests()));
        if (!cheapest.run().isEmpty()) {
            lines.add(String.format(Locale.ROOT, "Lowest cost: %s, $%.4f per million requests (p50 %s, p99 %s, %,d"
                            + " connections at its peak).", cheapest.run(), cheapest.usdPerMillionRequests(),
                    millis(cheapest.p50Millis()), millis(cheapest.p99Millis()), cheapest.peakConnections()));
        }
        lines.add("Requests answered 429 / 503: " + String.join("; ", verdict.refused().stream()
                .map(r -> String.format(Locale.ROOT, "%s %,d / %,d", r.run(), r.throttled(), r.unavailable()))
                .toList()) + ".");
        return lines;
    }

    private static String millis(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f ms", value) : "-";
    }

    /**
     * The run's own connections first (its functions' appNames, the lab's gauge and other clients left out), one row
     * per function that connected in any run, then what the server saw of every client.
     */
    private static List<Row> database(List<StrategyRun> runs, Rows rows) {
        List<Row> database = new ArrayList<>();
        database.add(rows.count("peak connections", Summary::peakConnections, true, true));
        runs.stream().flatMap(run -> run.summary().peakConnectionsByFunction().keySet().stream())
                .distinct().sorted()
                .forEach(function -> database.add(rows.decimal("  peak, " + function,
                        s -> peakOf(s, function), 0)));
        database.add(rows.count("final connections (after idle)", Summary::finalConnections, true, false));
        database.add(rows.count("peak connections, all clients (serverStatus)", Summary::peakServerConnections,
                true, false));
        database.add(rows.count("connections created, all clients", Summary::connectionsCreated, true, false));
        if (runs.stream().anyMatch(run -> !run.summary().leftovers().equals(Summary.Leftovers.NONE))) {
            database.add(rows.text("open before the run (other clients)", s -> leftovers(s.leftovers())));
        }
        return database;
    }

    /** A function's peak in a run; NaN (printed {@code -}) when it is not the run's or never connected. */
    private static double peakOf(Summary summary, String function) {
        Long peak = summary.peakConnectionsByFunction().get(function);
        return peak == null ? Double.NaN : peak;
    }

    /** {@code none}, or the leftover connections and what was done: {@code 20 excluded (waited 30 s)}. */
    static String leftovers(Summary.Leftovers leftovers) {
        long count = leftovers.connectionsByApp().values().stream().mapToLong(Long::longValue).sum();
        return switch (leftovers.handling()) {
            case "none" -> "none";
            case "gone" -> String.format(Locale.ROOT, "closed within %.0f s", leftovers.waitedSeconds());
            case "unattributed" -> "unknown (no $currentOp)";
            default -> String.format(Locale.ROOT, "%,d %s (waited %.0f s)", count, leftovers.handling(),
                    leftovers.waitedSeconds());
        };
    }

    private static String headline(StrategyRun direct, StrategyRun proxy) {
        if (direct == null || proxy == null) {
            return "";
        }
        long directPeak = direct.summary().peakConnections();
        long proxyPeak = proxy.summary().peakConnections();
        String figures = String.format(Locale.ROOT, "Peak database connections: direct %,d, lambda-proxy %,d",
                directPeak, proxyPeak);
        String runs = direct.reclaimMode().equals(ABANDON) ? " (abandon runs)." : ".";
        if (proxyPeak == 0) {
            return figures + runs;
        }
        return figures + String.format(Locale.ROOT, ", %s as many connecting directly", ratio((double) directPeak / proxyPeak))
                + runs;
    }

    /**
     * The strategy's abandon run on Lambda, or its only run on Lambda when the target has no reclaim modes (a deployed
     * API).
     */
    private static StrategyRun find(List<StrategyRun> runs, String strategy) {
        List<StrategyRun> onLambda = runs.stream()
                .filter(run -> run.strategy().equals(strategy) && !run.configuration().anyOnManagedInstances())
                .toList();
        return onLambda.stream().filter(run -> run.reclaimMode().equals(ABANDON)).findFirst()
                .orElseGet(() -> onLambda.stream().findFirst().orElse(null));
    }

    static String ratio(double ratio) {
        return String.format(Locale.ROOT, ratio >= 10 ? "%.1fx" : "%.2fx", ratio);
    }

    /** Builds rows over the runs; knows which runs the ratio compares. */
    private record Rows(List<StrategyRun> runs, StrategyRun direct, StrategyRun proxy) {

        Row count(String label, ToDoubleFunction<Summary> figure, boolean withRatio, boolean headline) {
            return row(label, figure, s -> String.format(Locale.ROOT, "%,d", (long) figure.applyAsDouble(s)),
                    withRatio, headline);
        }

        Row decimal(String label, ToDoubleFunction<Summary> figure, int decimals) {
            return row(label, figure, s -> {
                double value = figure.applyAsDouble(s);
                return Double.isFinite(value) ? String.format(Locale.ROOT, "%,." + decimals + "f", value) : "-";
            }, true, false);
        }

        Row text(String label, Function<Summary, String> figure) {
            return new Row(label, runs.stream().map(run -> figure.apply(run.summary())).toList(), "", false);
        }

        private Row row(String label, ToDoubleFunction<Summary> figure,
                Function<Summary, String> format, boolean withRatio, boolean headline) {
            List<String> cells = new ArrayList<>();
            for (StrategyRun run : runs) {
                cells.add(format.apply(run.summary()));
            }
            String ratio = "";
            if (withRatio && direct != null && proxy != null) {
                double numerator = figure.applyAsDouble(direct.summary());
                double denominator = figure.applyAsDouble(proxy.summary());
                ratio = Double.isFinite(numerator) && Double.isFinite(denominator) && denominator != 0
                        ? ratio(numerator / denominator)
                        : "-";
            }
            return new Row(label, cells, ratio, headline);
        }
    }
}
