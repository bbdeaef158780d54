package dev.dbproxy.lab.run;

import dev.dbproxy.lab.cost.LambdaCostModel;
import dev.dbproxy.lab.load.LatencyRecorder;
import dev.dbproxy.lab.load.LoadGenerator;
import dev.dbproxy.lab.load.RequestOutcome;
import dev.dbproxy.lab.measure.DatabaseConnections;
import dev.dbproxy.lab.measure.RunConnections;
import dev.dbproxy.lab.result.LoadStep;
import dev.dbproxy.lab.result.RunEvent;
import dev.dbproxy.lab.result.Sample;
import dev.dbproxy.lab.result.StrategyRun;
import dev.dbproxy.lab.result.Summary;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one configuration through a {@link RunPlan}: climbs the staircase of virtual users, redeploys the business
 * functions once, stops the load, watches the idle phase, and samples connections, environments and latency all the
 * while. Before it starts, it waits a bounded time for other clients' connections to close (see
 * {@link RunConnections#settle}); its connection figures are its own functions' ({@link LabTarget#functions()}).
 * Progress lines go to the given consumer about once a second.
 */
public final class StrategyRunner {

    private final LambdaCostModel costModel;
    private final Consumer<String> progress;

    public StrategyRunner(LambdaCostModel costModel, Consumer<String> progress) {
        this.costModel = costModel;
        this.progress = progress;
    }

    /**
     * Runs the plan against the target, whose database the gauge reads.
     *
     * @param createdBeforeDeploy {@code serverStatus.connections.totalCreated} read before the target deployed its
     *                            functions, so that the run's created connections include those its environments
     *                            opened at deployment (managed instances start their minimum then)
     */
    public StrategyRun run(LabTarget target, DatabaseConnections gauge, RunPlan plan, long createdBeforeDeploy)
            throws InterruptedException {
        LatencyRecorder recorder = new LatencyRecorder();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunConnections attribution = RunConnections.settle(gauge, target.functions(), target.connectsAtDeploy(),
                plan.leftoverWait(),
                line -> progress.accept(label(target) + " " + line));
        long started = System.nanoTime();
        Sampler sampler = new Sampler(target, gauge, attribution, recorder, samples, createdBeforeDeploy, started);

        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("lab-sampler").daemon().factory());
        long intervalMillis = plan.sampleInterval().toMillis();
        schedule.scheduleAtFixedRate(sampler::sample, 0, intervalMillis, TimeUnit.MILLISECONDS);
        try (LoadGenerator load = new LoadGenerator(target.baseUrl(), target.readerRoutes(), recorder,
                target.requestSigner())) {
            boolean redeployed = plan.redeployAt().isEmpty() || !target.canRedeploy();
            double stepStart = 0;
            for (LoadStep step : plan.profile().steps()) {
                events.add(new RunEvent(stepStart, "step", step.users() + " users"
                        + (target.readerRoutes().size() > 1 ? " per pair" : "")));
                load.setUsers(step.users());
                sampler.users = load.users();
                double stepEnd = stepStart + step.durationSeconds();
                while (seconds(started) < stepEnd) {
                    if (!redeployed && seconds(started) >= plan.redeployAt().orElseThrow().toMillis() / 1000.0) {
                        events.add(new RunEvent(seconds(started), "redeploy", "redeploy"));
                        progress.accept(label(target) + " redeploying the business functions");
                        target.redeployBusinessFunctions();
                        redeployed = true;
                    }
                    report(target, sampler, samples, started);
                    Thread.sleep(Math.min(250, Math.max(1, (long) ((stepEnd - seconds(started)) * 1000))));
                }
                stepStart = stepEnd;
            }
            sampler.users = 0;
        }
        double loadSeconds = seconds(started);
        target.enterIdlePhase();
        events.add(new RunEvent(loadSeconds, "load-end", "load ends"));
        while (seconds(started) < loadSeconds + plan.idlePhase().toMillis() / 1000.0) {
            report(target, sampler, samples, started);
            Thread.sleep(250);
        }
        schedule.shutdown();
        schedule.awaitTermination(5, TimeUnit.SECONDS);
        sampler.sample();
        events.add(new RunEvent(seconds(started), "end", "end"));
        return new StrategyRun(target.configuration(), target.reclaimMode(),
                summary(target, recorder, samples, sampler, loadSeconds), samples, events);
    }

    private Summary summary(LabTarget target, LatencyRecorder recorder, List<Sample> samples, Sampler sampler,
            double loadSeconds) {
        LabTarget.Totals totals = target.totals();
        long requests = recorder.requests();
        long invocations = totals.businessInvocations() + totals.proxyInvocations();
        long lambdaInvocations = invocations - totals.managedInvocations();
        long peakEnvironments = Math.max(totals.peakEnvironments(), samples.stream()
                .mapToLong(s -> s.environments().values().stream().mapToLong(Sample.EnvironmentCounts::live).sum())
                .max().orElse(0));
        Sample last = samples.isEmpty() ? null : samples.getLast();
        return new Summary(
                requests,
                recorder.errors(),
                recorder.latency(),
                loadSeconds > 0 ? requests / loadSeconds : 0,
                sampler.peakOwnConnections,
                sampler.peakByFunction,
                sampler.peakConnections,
                last == null ? 0 : last.ownConnections(),
                last == null ? 0 : last.connectionsCreated(),
                leftovers(sampler.attribution),
                totals.coldStarts(),
                totals.businessInit(),
                totals.proxyInit(),
                totals.businessInvocations(),
                totals.proxyInvocations(),
                totals.proxyThrottles(),
                adapterRetries(totals, recorder),
                peakEnvironments,
                sampler.peakResidentBytes / (1024.0 * 1024.0),
                target.resourceUsage().cpuTime().toNanos() / 1e9,
                totals.managedInstances(),
                costModel.cost(lambdaInvocations, totals.gbSeconds(), totals.managedInvocations(),
                        totals.managedInstances().vCpuSeconds(), requests).withProxyGbSeconds(totals.proxyGbSeconds()));
    }

    static Summary.Leftovers leftovers(RunConnections attribution) {
        if (attribution.handling() == RunConnections.Handling.NONE) {
            return Summary.Leftovers.NONE;
        }
        return new Summary.Leftovers(attribution.handling().name().toLowerCase(Locale.ROOT),
                attribution.waited().toMillis() / 1000.0, attribution.leftovers());
    }

    /**
     * Throttled proxy invocations the adapter retried: every throttle is followed by a retry except the last one of
     * a call that gave up, which reaches the user as a 429. Targets that count retries themselves take precedence.
     */
    private static long adapterRetries(LabTarget.Totals totals, LatencyRecorder recorder) {
        if (totals.adapterRetries() > 0) {
            return totals.adapterRetries();
        }
        return Math.max(0, totals.proxyThrottles() - recorder.count(RequestOutcome.THROTTLED));
    }

    private long lastReport;

    private void report(LabTarget target, Sampler sampler, List<Sample> samples, long started) {
        long now = System.nanoTime();
        if (now - lastReport < 1_000_000_000L || samples.isEmpty()) {
            return;
        }
        lastReport = now;
        progress.accept(progressLine(label(target), seconds(started), sampler.users, samples.getLast()));
    }

    /**
     * One progress line; a latency of an interval in which no request completed ({@code NaN}) prints as {@code -}.
     */
    static String progressLine(String label, double seconds, int users, Sample last) {
        int live = last.environments().values().stream().mapToInt(Sample.EnvironmentCounts::live).sum();
        int zombie = last.environments().values().stream().mapToInt(Sample.EnvironmentCounts::zombie).sum();
        return String.format("%s t=%5.1fs users=%3d req/s=%7.1f p50=%9s p99=%10s connections=%4d (all clients %4d)"
                        + " environments=%4d zombies=%4d",
                label, seconds, users, last.requestsPerSecond(), millis(last.p50Millis()), millis(last.p99Millis()),
                last.ownConnections(), last.connections(), live, zombie);
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format("%.2fms", value);
    }

    private static String label(LabTarget target) {
        return "[" + target.configuration().label() + "/" + target.reclaimMode() + "]";
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Takes one {@link Sample} per interval on the scheduler's thread. */
    private static final class Sampler {
        private final LabTarget target;
        private final DatabaseConnections gauge;
        private final RunConnections attribution;
        private final LatencyRecorder recorder;
        private final List<Sample> samples;
        private final long baselineCreated;
        private final long started;
        private long previousNanos;
        private volatile int users;
        private volatile long peakConnections;
        private volatile long peakOwnConnections;
        private final Map<String, Long> peakByFunction = new ConcurrentSkipListMap<>();
        private volatile long peakResidentBytes;

        Sampler(LabTarget target, DatabaseConnections gauge, RunConnections attribution, LatencyRecorder recorder,
                List<Sample> samples, long baselineCreated, long started) {
            this.target = target;
            this.gauge = gauge;
            this.attribution = attribution;
            this.recorder = recorder;
            this.samples = samples;
            this.baselineCreated = baselineCreated;
            this.started = started;
            this.previousNanos = started;
        }

        synchronized void sample() {
            long now = System.nanoTime();
            Histogram interval = recorder.takeInterval();
            double elapsed = Math.max(1e-3, (now - previousNanos) / 1e9);
            previousNanos = now;
            DatabaseConnections.Reading reading;
            try {
                reading = gauge.read();
            } catch (RuntimeException unreachable) {
                return;
            }
            peakConnections = Math.max(peakConnections, reading.current());
            long own = attribution.own(reading);
            peakOwnConnections = Math.max(peakOwnConnections, own);
            attribution.perFunction(reading).forEach((function, count) -> peakByFunction.merge(function, count,
                    Math::max));
            peakResidentBytes = Math.max(peakResidentBytes, target.resourceUsage().residentBytes());
            Map<String, Sample.EnvironmentCounts> environments = target.environments();
            boolean any = interval.getTotalCount() > 0;
            samples.add(new Sample(
                    (now - started) / 1e9,
                    users,
                    reading.current(),
                    own,
                    reading.byAppName(),
                    reading.totalCreated() - baselineCreated,
                    interval.getTotalCount() / elapsed,
                    any ? LatencyRecorder.millis(interval.getValueAtPercentile(50)) : Double.NaN,
                    any ? LatencyRecorder.millis(interval.getValueAtPercentile(99)) : Double.NaN,
                    environments));
        }
    }
}
