package dev.dbproxy.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lab.measure.DatabaseConnections;
import dev.dbproxy.lab.report.ResultJson;
import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.Configuration;
import dev.dbproxy.lab.result.RunEvent;
import dev.dbproxy.lab.result.Sample;
import dev.dbproxy.lab.result.StrategyRun;
import dev.dbproxy.lab.result.Summary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} with a tiny profile: the JSON's structure and the invariants the default run must show, on Lambda
 * and on managed instances.
 */
class CompareCommandIT {

    private static final int PROXY_CONCURRENCY = 1;
    private static final int CONNECTIONS_PER_PROXY_ENVIRONMENT = 2;

    /** Both strategies on Lambda with one reader pair, and what {@code compare} printed while running them. */
    private static ComparisonResult standard;
    private static String standardProgress;
    /** All five configurations with two reader pairs. */
    private static ComparisonResult all;

    @BeforeAll
    static void runTheComparisons() throws InterruptedException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        standard = CompareCommand.run(CompareCommand.Options.parse(new String[] {
            "--profile", "tiny", "--no-graceful", "--idle-seconds", "3", "--warm-up-seconds", "1",
            "--configurations", "standard", "--proxy-concurrency", Integer.toString(PROXY_CONCURRENCY)}),
                null, new PrintStream(progress, true, StandardCharsets.UTF_8));
        standardProgress = progress.toString(StandardCharsets.UTF_8);
        all = CompareCommand.run(CompareCommand.Options.parse(new String[] {
            "--profile", "tiny", "--no-graceful", "--idle-seconds", "1", "--warm-up-seconds", "0",
            "--functions", "4", "--configurations", "all",
            "--proxy-concurrency", Integer.toString(PROXY_CONCURRENCY)}),
                null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void tinyComparison_showsTheProxyCapsConnections_andTheRedeployCostsOnlyTheDirectStrategy(@TempDir Path out)
            throws Exception {
        ComparisonResult result = standard;
        Path json = out.resolve("compare.json");
        ResultJson.create().writeTo(result, json);

        JsonNode tree = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(ComparisonResult.SCHEMA_VERSION, tree.get("schemaVersion").asInt());
        assertEquals(2, tree.get("runs").size());
        assertEquals(result, ResultJson.create().readFrom(json));
        StrategyRun direct = result.runs().get(0);
        StrategyRun proxy = result.runs().get(1);
        assertEquals("direct", direct.strategy());
        assertEquals("lambda-proxy", proxy.strategy());
        assertTrue(standardProgress.contains("[lambda-proxy/abandon] t="), standardProgress);

        for (StrategyRun run : result.runs()) {
            assertTrue(run.summary().requests() > 0, run.label() + " served requests");
            assertEquals(0, run.summary().errors().other(), run.label() + " has no unexplained errors");
            assertTrue(run.samples().size() >= 10, run.label() + " sampled every 250 ms");
            assertTrue(run.events().stream().anyMatch(e -> e.kind().equals("redeploy")));
        }
        long proxyCap = (long) PROXY_CONCURRENCY * CONNECTIONS_PER_PROXY_ENVIRONMENT;
        assertTrue(proxy.summary().peakConnections() <= proxyCap,
                "proxy peak " + proxy.summary().peakConnections() + " <= " + proxyCap);
        assertTrue(direct.summary().peakConnections() > proxy.summary().peakConnections());
        assertEquals(Set.of("DbProxyFunction"), proxy.summary().peakConnectionsByFunction().keySet(),
                "only the DB proxy connects in a lambda-proxy run");
        assertTrue(direct.summary().peakConnectionsByFunction().keySet().stream()
                        .allMatch(function -> function.startsWith("Direct")),
                direct.summary().peakConnectionsByFunction().toString());
        for (StrategyRun run : result.runs()) {
            assertEquals("none", run.summary().leftovers().handling(), run.label() + " ran on a fresh server");
            assertTrue(run.summary().peakConnections() <= run.summary().peakServerConnections()
                    - DatabaseConnections.OWN_CONNECTIONS, run.label() + ": the gauge's connections are not the run's");
            assertTrue(run.samples().stream().allMatch(s -> s.connectionsByApp().get(DatabaseConnections.APP_NAME)
                    == DatabaseConnections.OWN_CONNECTIONS), run.label() + ": every sample names the gauge");
        }
        assertTrue(proxy.summary().proxyInvocations() > 0);
        assertEquals(0, direct.summary().proxyInvocations());
        for (StrategyRun run : result.runs()) {
            Summary.InitDurations init = run.summary().businessInit();
            assertTrue(init.count() > 0 && init.meanMillis() > 0 && init.maxMillis() >= init.meanMillis(),
                    run.label() + " business init " + init);
            assertTrue(init.count() + run.summary().proxyInit().count() <= run.summary().coldStarts(),
                    run.label() + ": init phases are those of cold starts");
        }
        assertEquals(Summary.InitDurations.NONE, direct.summary().proxyInit());
        assertTrue(proxy.summary().proxyInit().count() > 0 && proxy.summary().proxyInit().meanMillis() > 0,
                "proxy init " + proxy.summary().proxyInit());

        assertTrue(createdAfterRedeploy(direct) > 0, "the redeploy opened new direct connections");
        // The proxy is not redeployed with the business functions: over the whole run, only its one environment
        // ever connected, whenever its first cold start happened.
        assertTrue(proxy.summary().connectionsCreated() <= (long) PROXY_CONCURRENCY * CONNECTIONS_PER_PROXY_ENVIRONMENT,
                "connections created through the proxy: " + proxy.summary().connectionsCreated());
        assertFalse(direct.summary().cost().usdPerMillionRequests() <= 0);
        Summary.Cost proxyBill = proxy.summary().cost();
        assertTrue(proxyBill.proxyGbSeconds() > 0 && proxyBill.proxyGbSeconds() < proxyBill.gbSeconds(),
                "the DB proxy's part of the duration: " + proxyBill);
        assertEquals(0, direct.summary().cost().proxyGbSeconds());
    }

    @Test
    void moreBusinessFunctions_raiseTheDirectPeakWhileTheProxyStaysUnderItsCap() {
        long proxyCap = (long) PROXY_CONCURRENCY * CONNECTIONS_PER_PROXY_ENVIRONMENT;
        long directTwo = standard.runs().get(0).summary().peakConnections();
        long directFour = all.runs().get(0).summary().peakConnections();
        assertTrue(directFour > directTwo, "direct peak with 4 functions " + directFour + " > with 2 " + directTwo);
        assertTrue(all.runs().get(1).summary().peakConnections() <= proxyCap,
                "proxy peak with 4 functions " + all.runs().get(1).summary().peakConnections() + " <= " + proxyCap);
    }

    /**
     * The three configurations with managed instances beside today's two, with two reader pairs: every function on
     * managed instances keeps its 3 environments, one pool each, and serves without a cold start; the DB proxy's
     * connections are its own; nothing is refused at this load; the verdict names runs of the comparison.
     */
    @Test
    void allConfigurations_runOnManagedInstancesWithTheirTwins_andTheVerdictNamesTheirRuns() {
        ComparisonResult result = all;

        assertEquals(List.of(Configuration.DIRECT, Configuration.LAMBDA_PROXY, Configuration.DIRECT_MANAGED,
                Configuration.LAMBDA_PROXY_MANAGED, Configuration.PROXY_ON_MANAGED),
                result.runs().stream().map(StrategyRun::configuration).toList());
        assertEquals(result, ResultJson.create().fromJson(ResultJson.create().toJson(result)));
        for (StrategyRun run : result.runs().subList(2, 5)) {
            Summary s = run.summary();
            assertEquals("graceful", run.reclaimMode());
            assertTrue(s.requests() > 0, run.label() + " served requests");
            assertEquals(0, s.errors().total(), run.label() + " refused nothing: " + s.errors());
            assertEquals(3, s.managedInstances().minEnvironments());
            assertTrue(s.managedInstances().environmentsStarted() >= 3, run.label() + " " + s.managedInstances());
            assertTrue(s.managedInstances().vCpuSeconds() > 0, run.label() + " " + s.managedInstances());
            assertTrue(s.cost().instancesUsd() > 0 && s.cost().managementFeeUsd() > 0, run.label() + " " + s.cost());
            assertEquals(s.cost().instancesUsd() * 0.15, s.cost().managementFeeUsd(), 1e-12);
        }
        StrategyRun directManaged = result.runs().get(2);
        assertEquals(Set.of("DirectListNotesManagedFunction", "DirectGetNoteManagedFunction",
                "DirectListNotesManagedFunction2", "DirectGetNoteManagedFunction2"),
                directManaged.summary().peakConnectionsByFunction().keySet());
        assertEquals(0, directManaged.summary().cost().gbSeconds(), "no duration charge on managed instances");
        assertEquals(0, directManaged.summary().coldStarts(), "managed instances start environments ahead");
        for (StrategyRun run : result.runs().subList(3, 5)) {
            assertEquals(Set.of("DbProxyManagedFunction"), run.summary().peakConnectionsByFunction().keySet(),
                    run.label() + ": only the DB proxy on managed instances connects");
            assertTrue(run.summary().proxyInvocations() > 0, run.label());
        }
        assertTrue(result.runs().get(4).summary().cost().gbSeconds() > 0,
                "the business functions on Lambda are billed by duration");
        Set<String> labels = result.runs().stream().map(StrategyRun::label).collect(Collectors.toSet());
        assertTrue(labels.contains(result.verdict().fewestConnections().run()), result.verdict().toString());
        assertTrue(labels.contains(result.verdict().lowestCost().run()), result.verdict().toString());
        assertEquals(5, result.verdict().refused().size());
    }

    /** Connections created between the redeploy and the end of the run. */
    private static long createdAfterRedeploy(StrategyRun run) {
        double redeployAt = run.events().stream().filter(e -> e.kind().equals("redeploy"))
                .mapToDouble(RunEvent::seconds).findFirst().orElseThrow();
        long before = run.samples().stream().filter(s -> s.seconds() <= redeployAt)
                .mapToLong(Sample::connectionsCreated).max().orElse(0);
        long after = run.samples().getLast().connectionsCreated();
        return after - before;
    }
}
