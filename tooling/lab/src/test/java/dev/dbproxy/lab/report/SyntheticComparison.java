package dev.dbproxy.lab.report;

import dev.dbproxy.lab.cost.LambdaCostModel;
import dev.dbproxy.lab.measure.DatabaseConnections;
import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.Configuration;
import dev.dbproxy.lab.result.LabSettings;
import dev.dbproxy.lab.result.LoadStep;
import dev.dbproxy.lab.result.RunEvent;
import dev.dbproxy.lab.result.Sample;
import dev.dbproxy.lab.result.StrategyRun;
import dev.dbproxy.lab.result.Summary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A made-up comparison shaped like a real one, for tests and for previewing the report: direct connections climb
 * with the staircase to about 150 and jump at the redeploy, the proxy stays flat at about 12, and reclaimed
 * environments linger as zombies in the idle phase of the abandon runs. The figures are invented; never publish
 * them as measurements.
 */
final class SyntheticComparison {

    static final List<LoadStep> STEPS = List.of(
            new LoadStep(10, 20), new LoadStep(20, 20), new LoadStep(30, 20), new LoadStep(60, 20),
            new LoadStep(80, 20));
    static final double REDEPLOY_AT = 50;
    static final double IDLE = 45;
    static final double IDLE_RECLAIM = 10;
    static final double ZOMBIE_LIFETIME = 20;
    static final int RESERVED_CONCURRENCY = 6;
    static final double INTERVAL = 0.25;

    private SyntheticComparison() {
    }

    static LabSettings settings() {
        return settings(1);
    }

    private static LabSettings settings(double timeScale) {
        return new LabSettings(timeScale == 1 ? "default" : "custom", steps(timeScale), 2, RESERVED_CONCURRENCY,
                REDEPLOY_AT * timeScale, IDLE * timeScale, IDLE_RECLAIM * timeScale, ZOMBIE_LIFETIME * timeScale,
                (long) (INTERVAL * 1000), "embedded", "local-platform");
    }

    private static List<LoadStep> steps(double timeScale) {
        return STEPS.stream().map(step -> new LoadStep(step.users(), step.durationSeconds() * timeScale)).toList();
    }

    /** Four runs: direct and proxy, each abandoning and then gracefully closing reclaimed environments. */
    static ComparisonResult typical() {
        return typical(1);
    }

    /** The same with every duration multiplied, still sampled every 250 ms: a long run such as the seed's. */
    static ComparisonResult typical(double timeScale) {
        return new ComparisonResult(ComparisonResult.SCHEMA_VERSION, Instant.parse("2026-11-26T17:54:00Z"),
                settings(timeScale), LambdaCostModel.US_EAST_1_X86, List.of(
                        run("direct", "abandon", 1, timeScale), run("lambda-proxy", "abandon", 2, timeScale),
                        run("direct", "graceful", 3, timeScale), run("lambda-proxy", "graceful", 4, timeScale)));
    }

    private static StrategyRun run(String strategy, String mode, long seed, double timeScale) {
        List<LoadStep> steps = steps(timeScale);
        double redeployAt = REDEPLOY_AT * timeScale;
        double idleReclaim = IDLE_RECLAIM * timeScale;
        double zombieLifetime = ZOMBIE_LIFETIME * timeScale;
        double stepLength = steps.getFirst().durationSeconds();
        Random random = new Random(seed);
        boolean proxy = strategy.equals("lambda-proxy");
        boolean abandon = mode.equals("abandon");
        double loadEnd = steps.stream().mapToDouble(LoadStep::durationSeconds).sum();
        double end = loadEnd + IDLE * timeScale;

        List<Sample> samples = new ArrayList<>();
        List<RunEvent> events = new ArrayList<>();
        double at = 0;
        for (LoadStep step : steps) {
            events.add(new RunEvent(at + 0.002 * seed, "step", step.users() + " users"));
            at += step.durationSeconds();
        }
        events.add(new RunEvent(redeployAt + 0.01 * seed, "redeploy", "redeploy"));
        events.add(new RunEvent(loadEnd + 0.01, "load-end", "load ends"));

        // Business environments: warm ones stay until reclaimed; the redeploy retires the whole generation.
        double generationPeak = 0;
        double retiredAt = Double.NaN;
        double retiredCount = 0;
        double created = 0;
        double coldStarts = 0;
        double lastLive = 0;
        double proxyLive = 0;
        long requests = 0;
        double latencyWeighted = 0;
        long throttles = 0;
        double maxLatency = 0;
        long peakConnections = 0;
        long peakServerConnections = 0;
        Map<String, Long> peakByFunction = new HashMap<>();
        long peakEnvironments = 0;
        for (double t = 0; t <= end + 1e-9; t += INTERVAL) {
            int users = users(steps, t, loadEnd);
            if (Double.isNaN(retiredAt) && t >= redeployAt) {
                retiredAt = t;
                retiredCount = generationPeak;
                generationPeak = 0;
            }
            double wanted = users * 0.92;
            double live = t < loadEnd ? Math.max(generationPeak, Math.min(wanted, generationPeak + 6)) : generationPeak;
            if (live > lastLive) {
                coldStarts += live - lastLive;
                created += proxy ? 0 : 2 * (live - lastLive);
            }
            generationPeak = Math.max(generationPeak, live);
            lastLive = live;

            double reclaimedFraction = t < loadEnd + idleReclaim ? 0 : Math.min(1, (t - loadEnd - idleReclaim) / 5);
            double businessLive = live * (1 - reclaimedFraction);
            double businessReclaimed = live * reclaimedFraction;
            double businessBusy = t < loadEnd ? Math.min(businessLive, users * 0.85) : 0;
            boolean retiredLinger = !Double.isNaN(retiredAt) && t < retiredAt + zombieLifetime;
            double retiredZombies = abandon && retiredLinger ? retiredCount : 0;
            double reclaimedLinger = t < loadEnd + idleReclaim + 5 + zombieLifetime
                    ? Math.min(1, Math.max(0, (loadEnd + idleReclaim + 5 + zombieLifetime - t) / 5)) : 0;
            double businessZombies = abandon ? businessReclaimed * reclaimedLinger : 0;

            double proxyWanted = Math.min(RESERVED_CONCURRENCY, Math.ceil(users * 0.12));
            if (proxy && t < loadEnd && proxyWanted > proxyLive) {
                coldStarts += proxyWanted - proxyLive;
                created += 2 * (proxyWanted - proxyLive);
                proxyLive = proxyWanted;
            }
            double proxyUp = proxy ? proxyLive * (1 - reclaimedFraction) : 0;
            double proxyZombies = proxy && abandon ? proxyLive * reclaimedFraction * reclaimedLinger : 0;
            double proxyBusy = proxy && t < loadEnd ? Math.min(proxyUp, users * 0.08) : 0;

            long own = proxy
                    ? Math.round(2 * (proxyUp + proxyZombies))
                    : Math.round(2 * (businessLive + businessZombies + retiredZombies));
            Map<String, Long> byApp = new HashMap<>();
            byApp.put(DatabaseConnections.APP_NAME, (long) DatabaseConnections.OWN_CONNECTIONS);
            if (proxy) {
                byApp.put("DbProxyFunction", own);
            } else {
                byApp.put("DirectListNotesFunction", own / 2 + own % 2);
                byApp.put("DirectGetNoteFunction", own / 2);
            }
            byApp.values().removeIf(count -> count == 0);
            byApp.forEach((app, count) -> {
                if (!app.equals(DatabaseConnections.APP_NAME)) {
                    peakByFunction.merge(app, count, Math::max);
                }
            });
            long connections = own + DatabaseConnections.OWN_CONNECTIONS;
            peakConnections = Math.max(peakConnections, own);
            peakServerConnections = Math.max(peakServerConnections, connections);

            boolean coldStep = t < loadEnd && (t % stepLength < 1.5 || (t >= redeployAt && t < redeployAt + 2));
            double rps = t < loadEnd ? users * (proxy ? 19 : 26) * (0.93 + 0.14 * random.nextDouble()) : 0;
            double p50 = (proxy ? 11 + users * 0.11 : 6 + users * 0.05) * (0.9 + 0.2 * random.nextDouble());
            double p99 = p50 * (3 + random.nextDouble())
                    + (coldStep ? 600 + 500 * random.nextDouble() : 0)
                    + (proxy && users >= 80 ? 120 + 80 * random.nextDouble() : 0);
            if (t >= loadEnd) {
                p50 = Double.NaN;
                p99 = Double.NaN;
            } else {
                requests += Math.round(rps * INTERVAL);
                latencyWeighted += p50 * rps * INTERVAL;
                maxLatency = Math.max(maxLatency, p99 * 1.4);
                throttles += proxy && users >= 80 ? Math.round(rps * INTERVAL * 0.01) : 0;
            }

            Map<String, Sample.EnvironmentCounts> environments = new HashMap<>();
            double retiredShown = abandon && retiredLinger ? retiredCount : 0;
            environments.put("list-notes", counts(businessLive / 2, businessBusy / 2,
                    (businessZombies + retiredShown) / 2));
            environments.put("get-note", counts(businessLive / 2, businessBusy / 2,
                    (businessZombies + retiredShown) / 2));
            if (proxy) {
                environments.put("notes-proxy", counts(proxyUp, proxyBusy, proxyZombies));
            }
            peakEnvironments = Math.max(peakEnvironments, Math.round(businessLive + proxyUp));
            samples.add(new Sample(t, users, connections, own, byApp, Math.round(created), rps, p50, p99,
                    environments));
        }
        events.add(new RunEvent(end, "end", "end"));

        Sample last = samples.getLast();
        double p50 = latencyWeighted / requests;
        double gbSeconds = requests * (proxy ? 2 : 1) * (proxy ? 0.009 : 0.012) * 0.5;
        long invocations = requests * (proxy ? 2 : 1);
        Summary summary = new Summary(
                requests,
                new Summary.Errors(0, proxy && abandon ? 2 : 0, 0),
                new Summary.Latency(p50, p50 * 1.9, p50 * 4.2, maxLatency),
                requests / loadEnd,
                peakConnections,
                peakByFunction,
                peakServerConnections,
                last.ownConnections(),
                last.connectionsCreated(),
                Summary.Leftovers.NONE,
                Math.round(coldStarts),
                new Summary.InitDurations(Math.round(coldStarts) - (proxy ? 10 : 0), proxy ? 310.0 : 180.0,
                        proxy ? 905.0 : 520.0),
                proxy ? new Summary.InitDurations(10, 240.0, 600.0) : Summary.InitDurations.NONE,
                requests,
                proxy ? requests + throttles : 0,
                proxy ? throttles : 0,
                proxy ? throttles : 0,
                peakEnvironments,
                0,
                0,
                Summary.ManagedInstances.NONE,
                new LambdaCostModel(LambdaCostModel.US_EAST_1_X86).cost(invocations, gbSeconds, requests)
                        .withProxyGbSeconds(proxy ? gbSeconds / 4 : 0));
        return new StrategyRun(proxy ? Configuration.LAMBDA_PROXY : Configuration.DIRECT, mode, summary, samples,
                events);
    }

    /**
     * The four typical runs and the three with managed instances after them: each a copy of the graceful run of its
     * strategy on Lambda with fewer connections (3 environments per function hold the pools), the given
     * vCPU-seconds billed as instances instead of GB-seconds, and, for the proxy on managed instances, 5 requests
     * answered 429.
     */
    static ComparisonResult withManagedInstances() {
        ComparisonResult typical = typical();
        List<StrategyRun> runs = new ArrayList<>(typical.runs());
        runs.add(managed(typical.runs().get(2), Configuration.DIRECT_MANAGED, 14, 120, 0));
        runs.add(managed(typical.runs().get(3), Configuration.LAMBDA_PROXY_MANAGED, 6, 300, 0));
        runs.add(managed(typical.runs().get(3), Configuration.PROXY_ON_MANAGED, 6, 90, 5));
        return new ComparisonResult(typical.schemaVersion(), typical.startedAt(), typical.settings(),
                typical.pricing(), runs);
    }

    private static StrategyRun managed(StrategyRun base, Configuration configuration, long peak, double vCpuSeconds,
            long throttled) {
        Summary s = base.summary();
        long invocations = s.businessInvocations() + s.proxyInvocations();
        long managedInvocations = (configuration.businessOnManagedInstances() ? s.businessInvocations() : 0)
                + (configuration.proxyOnManagedInstances() ? s.proxyInvocations() : 0);
        double lambdaShare = invocations == 0 ? 0 : (invocations - managedInvocations) / (double) invocations;
        Summary summary = new Summary(s.requests(), new Summary.Errors(throttled, 0, 0), s.latency(),
                s.throughputPerSecond(), peak, Map.of(configuration.proxyOnManagedInstances()
                        ? "DbProxyManagedFunction" : "DirectGetNoteManagedFunction", peak), peak + 2, 0,
                peak + 4, s.leftovers(), 0, s.businessInit(), s.proxyInit(), s.businessInvocations(),
                s.proxyInvocations(), s.proxyThrottles(), s.adapterRetries(), 9, 0, 0,
                new Summary.ManagedInstances(3, 40, 9, 12, vCpuSeconds, vCpuSeconds),
                new LambdaCostModel(LambdaCostModel.US_EAST_1_X86).cost(invocations - managedInvocations,
                        s.cost().gbSeconds() * lambdaShare, managedInvocations, vCpuSeconds, s.requests()));
        return new StrategyRun(configuration, "graceful", summary, base.samples(), base.events());
    }

    private static Sample.EnvironmentCounts counts(double live, double busy, double zombie) {
        return new Sample.EnvironmentCounts((int) Math.round(live), (int) Math.round(busy), (int) Math.round(zombie));
    }

    private static int users(List<LoadStep> steps, double t, double loadEnd) {
        if (t >= loadEnd) {
            return 0;
        }
        double at = 0;
        for (LoadStep step : steps) {
            at += step.durationSeconds();
            if (t < at) {
                return step.users();
            }
        }
        return 0;
    }
}
