package dev.dbproxy.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.LabSettings;
import dev.dbproxy.lab.result.StrategyRun;
import dev.dbproxy.lab.result.Summary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

    private final ComparisonResult result = SyntheticComparison.typical();

    @Test
    void render_whenADeployedApiWasDriven_leavesOutTheLambdaFiguresItDoesNotHave_andStillComparesPeaks() {
        LabSettings local = result.settings();
        LabSettings remote = new LabSettings(local.profile(), local.steps(), local.businessFunctions(),
                local.proxyReservedConcurrency(), -1, local.idleSeconds(), local.idleReclaimSeconds(),
                local.zombieLifetimeSeconds(), local.sampleIntervalMillis(), "external", "https://api.example.com");
        List<StrategyRun> runs = result.runs().stream()
                .filter(run -> run.reclaimMode().equals("abandon"))
                .map(run -> new StrategyRun(run.configuration(), "unknown", run.summary(), run.samples(), run.events()))
                .toList();
        ComparisonResult deployed = new ComparisonResult(result.schemaVersion(), result.startedAt(), remote,
                result.pricing(), runs);

        String table = ConsoleTable.of(deployed).render();

        assertFalse(table.contains("cold starts"), table);
        assertFalse(table.contains("cost per million"), table);
        assertTrue(table.contains("peak connections"), table);
        assertTrue(table.contains("as many connecting directly."), table);
    }

    @Test
    void render_headsAColumnWithEachRun() {
        List<String> lines = ConsoleTable.of(result).render().lines().toList();
        String strategies = lines.get(2);
        String computes = lines.get(3);
        String modes = lines.get(4);

        assertEquals(List.of("direct", "lambda-proxy", "direct", "lambda-proxy", "direct", "/"),
                List.of(strategies.trim().split(" +")));
        assertEquals(List.of("Lambda", "Lambda", "Lambda", "Lambda", "proxy"), List.of(computes.trim().split(" +")));
        assertEquals(List.of("(abandon)", "(abandon)", "(graceful)", "(graceful)", "(abandon)"),
                List.of(modes.trim().split(" +")));
    }

    @Test
    void render_showsEachRunsFiguresInItsColumn() {
        String table = ConsoleTable.of(result).render();

        assertEquals(cells(result, run -> String.format(Locale.ROOT, "%,d", run.summary().requests())),
                figures(table, "requests"));
        assertEquals(cells(result, run -> String.format(Locale.ROOT, "%,.2f", run.summary().latency().p99())),
                figures(table, "latency p99 (ms)").subList(0, 4));
        assertEquals(cells(result, run -> String.format(Locale.ROOT, "%,d", run.summary().proxyThrottles())),
                figures(table, "proxy throttles"));
        assertEquals(cells(result, run -> String.format(Locale.ROOT, "%,.1f",
                run.summary().businessInit().maxMillis())),
                figures(table, "business init max (ms)").subList(0, 4));
        assertEquals(List.of("-", "240.0", "-", "240.0", "-"), figures(table, "proxy init mean (ms)"));
        assertEquals(List.of("-", "600.0", "-", "600.0", "-"), figures(table, "proxy init max (ms)"));
        assertEquals(cells(result, run -> String.format(Locale.ROOT, "%.4f",
                run.summary().cost().usdPerMillionRequests())), figures(table, "cost per million requests (USD)")
                .subList(0, 4));
        assertEquals(List.of("0", "/", "0", "/", "0", "0", "/", "2", "/", "0", "0", "/", "0", "/", "0", "0", "/",
                "0", "/", "0"), figures(table, "errors: throttled / unavailable / other"));
    }

    @Test
    void render_splitsTheBill_intoInvocations_businessDuration_andTheDbProxysDuration() {
        String table = ConsoleTable.of(result).render();
        StrategyRun proxy = result.runs().get(1);
        Summary.Cost cost = proxy.summary().cost();
        double perMillion = 1_000_000.0 / proxy.summary().requests();

        assertEquals("-", figures(table, "per million requests: DB proxy duration (USD)").get(0), "direct has none");
        assertEquals(String.format(Locale.ROOT, "%.4f", cost.requestsUsd() * perMillion),
                figures(table, "per million requests: invocations (USD)").get(1));
        assertEquals(String.format(Locale.ROOT, "%.4f", cost.computeUsd() / 4 * perMillion),
                figures(table, "per million requests: DB proxy duration (USD)").get(1), "the proxy's quarter");
        assertEquals(String.format(Locale.ROOT, "%.4f", cost.computeUsd() * 3 / 4 * perMillion),
                figures(table, "per million requests: business duration (USD)").get(1), "the business functions' rest");
    }

    @Test
    void render_opensWithThePeakConnectionsRatio_asHeadlineAndFirstRow() {
        StrategyRun direct = result.runs().get(0);
        StrategyRun proxy = result.runs().get(1);
        double ratio = (double) direct.summary().peakConnections() / proxy.summary().peakConnections();
        String expected = String.format(Locale.ROOT, "%.1fx", ratio);
        List<String> lines = ConsoleTable.of(result).render().lines().toList();

        assertTrue(ratio > 5, "the fixture shows the proxy's effect");
        assertTrue(lines.getFirst().contains("direct " + direct.summary().peakConnections()), lines.getFirst());
        assertTrue(lines.getFirst().contains(expected), lines.getFirst());
        String firstRow = lines.get(7);
        assertTrue(firstRow.startsWith("  peak connections"), firstRow);
        assertTrue(firstRow.endsWith(expected), firstRow);
    }

    @Test
    void render_listsEachFunctionsOwnPeak_inTheRunsThatHaveIt() {
        String table = ConsoleTable.of(result).render();

        assertEquals(List.of("-", peak(1, "DbProxyFunction"), "-", peak(3, "DbProxyFunction"), "-"),
                figures(table, "  peak, DbProxyFunction"));
        assertEquals(List.of(peak(0, "DirectListNotesFunction"), "-", peak(2, "DirectListNotesFunction"), "-", "-"),
                figures(table, "  peak, DirectListNotesFunction"));
        assertTrue(table.indexOf("peak, DbProxyFunction") < table.indexOf("peak connections, all clients"), table);
        assertFalse(table.contains("open before the run"), "no run had leftovers: " + table);
    }

    @Test
    void render_ofARunThatStartedWithLeftovers_saysWhatWasDoneAboutThem() {
        ComparisonResult afterAnotherRun = Runs.comparison(
                Runs.run("direct", "unknown", 100, 5, Runs.samples(4, 20, 5, 9)),
                Runs.run("lambda-proxy", "unknown", 100, 5, Runs.samples(4, 4, 5, 9), new Summary.Leftovers(
                        "excluded", 30, Map.of("DirectListNotesFunction", 12L, "DirectGetNoteFunction", 8L))));

        String table = ConsoleTable.of(afterAnotherRun).render();

        assertEquals(List.of("none", "20", "excluded", "(waited", "30", "s)"),
                figures(table, "open before the run (other clients)"));
        assertEquals(List.of("20", "4", "5.00x"), figures(table, "peak connections"));
        assertEquals(List.of("22", "6", "3.67x"), figures(table, "peak connections, all clients (serverStatus)"));
    }

    @Test
    void render_isPlainAscii_withEveryTableLineOfTheSameWidth() {
        String table = ConsoleTable.of(result).render();
        List<String> rows = table.lines().skip(2).takeWhile(line -> !line.isEmpty()).toList();

        assertTrue(table.chars().allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f));
        assertEquals(1, rows.stream().mapToInt(String::length).distinct().count(), table);
    }

    @Test
    void render_withoutBothAbandonRuns_hasNoRatioColumnAndNoHeadline() {
        ComparisonResult onlyDirect = Runs.comparison(Runs.run("direct", "abandon", 100, 5,
                Runs.samples(4, 20, 5, 9)));

        String table = ConsoleTable.of(onlyDirect).render();

        assertFalse(table.contains("direct /"), table);
        assertTrue(table.lines().findFirst().orElseThrow().trim().equals("direct"), "no headline: " + table);
        assertEquals(List.of("20"), figures(table, "peak connections"));
    }

    @Test
    void render_ofARunWithoutRequests_printsDashesForItsLatencyAndRatio() {
        ComparisonResult noRequests = Runs.comparison(
                Runs.run("direct", "abandon", 0, Double.NaN, List.of()),
                Runs.run("lambda-proxy", "abandon", 0, Double.NaN, List.of()));

        String table = ConsoleTable.of(noRequests).render();

        assertEquals(List.of("-", "-", "-"), figures(table, "latency p50 (ms)"));
        assertEquals(List.of("0", "0", "-"), figures(table, "peak connections"));
        assertFalse(table.contains("NaN"), table);
    }

    @Test
    void printTo_writesTheTableToAPrintStream() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        ConsoleTable.of(result).printTo(out);

        assertEquals(ConsoleTable.of(result).render(), bytes.toString(StandardCharsets.UTF_8));
    }

    private String peak(int run, String function) {
        return String.format(Locale.ROOT, "%,d", result.runs().get(run).summary().peakConnectionsByFunction()
                .get(function));
    }

    @Test
    void render_withManagedInstances_showsTheFiveConfigurationsSideBySide_andTheirInstanceFigures() {
        ComparisonResult managed = SyntheticComparison.withManagedInstances();
        List<String> lines = ConsoleTable.of(managed).render().lines().toList();

        assertEquals(List.of("direct", "lambda-proxy", "direct", "lambda-proxy", "direct", "lambda-proxy",
                "lambda-proxy", "direct", "/"), List.of(lines.get(2).trim().split(" +")));
        assertEquals(List.of("Lambda", "Lambda", "Lambda", "Lambda", "managed", "managed", "proxy", "managed",
                "proxy"), List.of(lines.get(3).trim().split(" +")));
        String table = String.join("\n", lines);
        assertEquals(List.of("-", "-", "-", "-", "3", "3", "3", "-"), figures(table, "min environments per function"),
                "runs on standard Lambda have no managed-instances figures");
        assertEquals(List.of("-", "-", "-", "-", "120.0", "300.0", "90.0", "-"), figures(table, "vCPU-seconds"));
        assertEquals(List.of("-", "-", "-", "-"), figures(table, "instances + management fee (USD)").subList(0, 4));
        assertEquals(cells(managed, run -> String.format(Locale.ROOT, "%.4f",
                run.summary().cost().usdPerMillionRequests())),
                figures(table, "cost per million requests (USD)").subList(0, 7));
        assertTrue(table.contains("AWS keeps at least 3 instances"), table);
        assertTrue(table.contains("final connections there are those environments' pools"), table);
    }

    @Test
    void render_closesWithTheVerdict_fewestConnectionsLowestCostAndRefusedRequests() {
        ComparisonResult managed = SyntheticComparison.withManagedInstances();
        StrategyRun fewest = managed.runs().stream()
                .min(java.util.Comparator.comparingLong((StrategyRun run) -> run.summary().peakConnections())
                        .thenComparingDouble(run -> run.summary().cost().usdPerMillionRequests()))
                .orElseThrow();
        StrategyRun cheapest = managed.runs().stream()
                .min(java.util.Comparator.comparingDouble(run -> run.summary().cost().usdPerMillionRequests()))
                .orElseThrow();

        String table = ConsoleTable.of(managed).render();

        String fewestLine = line(table, "Fewest connections: ");
        assertTrue(fewestLine.contains(fewest.label() + ", 6 at its peak"), fewestLine);
        assertTrue(fewestLine.contains(String.format(Locale.ROOT, "p99 %.2f ms", fewest.summary().latency().p99())),
                fewestLine);
        String cheapestLine = line(table, "Lowest cost: ");
        assertTrue(cheapestLine.contains(cheapest.label() + String.format(Locale.ROOT, ", $%.4f per million",
                cheapest.summary().cost().usdPerMillionRequests())), cheapestLine);
        String refused = line(table, "Requests answered 429 / 503: ");
        assertTrue(refused.contains("lambda-proxy / proxy on managed instances (graceful) 5 / 0"), refused);
        assertTrue(refused.contains("lambda-proxy (abandon) 0 / 2"), refused);
    }

    private static String line(String table, String start) {
        return table.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(
                "no line starting with " + start + " in\n" + table));
    }

    /** The figures of the row with that label, split on blanks. */
    private static List<String> figures(String table, String label) {
        String row = table.lines().filter(line -> line.startsWith("  " + label + "  ")).findFirst().orElseThrow();
        return List.of(row.substring(2 + label.length()).trim().split(" +"));
    }

    private static List<String> cells(ComparisonResult result, Function<StrategyRun, String> cell) {
        return result.runs().stream().map(cell).toList();
    }
}
