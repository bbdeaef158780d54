package dev.dbproxy.lab.staircase;

import dev.dbproxy.lab.measure.DatabaseConnections;
import dev.dbproxy.lab.serve.LocalNotesStack;
import dev.dbproxy.lab.staircase.StaircaseReport.DatabaseFigures;
import dev.dbproxy.lab.staircase.StaircaseReport.FunctionFigures;
import dev.dbproxy.lab.staircase.StaircaseReport.ProxyCap;
import dev.dbproxy.lab.staircase.StaircaseReport.StepConnections;
import dev.dbproxy.lambda.platform.EnvironmentKind;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.FunctionMetrics;
import dev.dbproxy.lambda.platform.LambdaEnvironmentVariables;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.proxy.handler.DbProxySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code serve-staircase}: serve's stack in this JVM (embedded MongoDB, the local Lambda platform running every
 * function of {@code sample-notes/template.yaml}, the HTTP API gateway), Apache JMeter as a child process running
 * {@code src/test/jmeter/serve-staircase.jmx} against the gateway (10, 20, 30, 60, 80 users per prefix on
 * {@code /direct} and {@code /proxy}), the database's connections read every 250 ms meanwhile, then a summary per
 * prefix printed and written as {@code summary.json} next to JMeter's {@code results.jtl} and {@code jmeter.log}.
 *
 * <p>A measurement, not a test: 429s and 503s are figures. It exits non-zero only when the run itself failed (JMeter
 * did not start, failed, ended without a staircase request, or the seed notes were not created). JMeter and the
 * stack are stopped however it ends.
 *
 * <p>Usage: {@code ServeStaircaseMain --jmeter-config target/config.json --plan serve-staircase.jmx [--output DIR]
 * [--step-seconds N] [--proxy-concurrency N] [--environments in-process|process]}; the {@code serve-staircase}
 * profile of {@code tooling/lab/pom.xml} passes the first two.
 */
public final class ServeStaircaseMain {

    /** The id of the jmeter-maven-plugin execution in the profile, under which it records the JMeter home. */
    static final String JMETER_EXECUTION = "serve-staircase-jmeter";
    /** Users per prefix in each step, as the thread groups of {@code serve-staircase.jmx} add them up. */
    static final int[] STEP_USERS = {10, 20, 30, 60, 80};
    /** One monitoring connection per environment: the driver detects FaaS and polls, with no extra RTT connection. */
    static final int MONITOR_CONNECTIONS = 1;

    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(250);
    private static final Duration JMETER_SLACK = Duration.ofMinutes(3);

    static final String USAGE = """
            usage: serve-staircase --jmeter-config FILE --plan FILE [--output DIR] [--step-seconds N]
                                   [--proxy-concurrency N] [--environments in-process|process]
              --jmeter-config FILE     target/config.json of jmeter-maven-plugin (the profile passes it)
              --plan FILE              the JMeter plan (the profile passes src/test/jmeter/serve-staircase.jmx)
              --output DIR             where results.jtl, jmeter.log and summary.json go (lab-results/serve-staircase)
              --step-seconds N         seconds per step of the staircase (6)
              --proxy-concurrency N    the DB proxy's reserved concurrency (the template's ProxyReservedConcurrency)
              --environments KIND      in-process (default) or process, as serve's option""";

    private ServeStaircaseMain() {
    }

    /** The parsed command line. {@code proxyConcurrency} 0 keeps the template's value. */
    record Options(Path jmeterConfig, Path plan, Path output, int stepSeconds, int proxyConcurrency,
            EnvironmentKind environments) {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        int status;
        try {
            status = run(options);
        } catch (IllegalStateException e) {
            System.err.println("serve-staircase failed: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    static int run(Options options) throws InterruptedException, IOException {
        JMeterInstallation jmeter = JMeterInstallation.fromPluginConfig(options.jmeterConfig(), JMETER_EXECUTION);
        Files.createDirectories(options.output());
        Path results = options.output().resolve("results.jtl");
        Path log = options.output().resolve("jmeter.log");
        Files.deleteIfExists(results);
        Files.deleteIfExists(log);
        Instant startedAt = Instant.now();
        LocalNotesStack.Builder builder = LocalNotesStack.builder().environments(options.environments());
        if (options.proxyConcurrency() > 0) {
            builder.parameter("ProxyReservedConcurrency", Integer.toString(options.proxyConcurrency()));
        }
        try (LocalNotesStack stack = builder.start();
             DatabaseConnections gauge = new DatabaseConnections(stack.mongoDbUri())) {
            LocalLambdaPlatform platform = stack.platform();
            FunctionDefinition proxy = platform.definition(ConnectionTimeline.DB_PROXY_FUNCTION);
            Map<String, String> proxyEnvironment = new LinkedHashMap<>(proxy.environment());
            proxyEnvironment.put(LambdaEnvironmentVariables.FUNCTION_NAME, proxy.name());
            DbProxySettings proxySettings = DbProxySettings.fromEnv(proxyEnvironment);
            ProxyCap cap = ProxyCap.of(proxy.reservedConcurrency(), proxySettings.maxPoolSize(), MONITOR_CONNECTIONS,
                    DatabaseConnections.OWN_CONNECTIONS);
            System.out.printf("serve staircase: JMeter against %s (plain HTTP: the local gateway checks no signature),"
                            + " users per prefix %s, %d s per step, %s environments%n", stack.baseUrl(),
                    Arrays.stream(STEP_USERS).mapToObj(Integer::toString).collect(Collectors.joining(", ")),
                    options.stepSeconds(), options.environments().option());
            System.out.printf("DB proxy: reserved concurrency %d, pool %d + monitor %d per environment -> cap %d x %d"
                            + " + %d (gauge) = %d connections%n", cap.reservedConcurrency(), cap.poolSize(),
                    cap.monitorConnections(), cap.reservedConcurrency(), cap.poolSize() + cap.monitorConnections(),
                    cap.gaugeConnections(), cap.connections());
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("host", stack.baseUrl().getHost());
            properties.put("port", Integer.toString(stack.baseUrl().getPort()));
            properties.put("stepSeconds", Integer.toString(options.stepSeconds()));
            properties.put("summariser.interval", Integer.toString(Math.max(5, options.stepSeconds())));
            properties.putAll(RESULT_FIELDS);
            Duration staircase = Duration.ofSeconds((long) options.stepSeconds() * STEP_USERS.length);
            int exit;
            ConnectionTimeline timeline = ConnectionTimeline.start(gauge, platform, SAMPLE_INTERVAL,
                    proxySettings.appName());
            try {
                exit = jmeter.run(options.plan(), results, log, properties, staircase.plus(JMETER_SLACK));
            } finally {
                timeline.close();
            }
            if (exit != 0) {
                throw new IllegalStateException("JMeter exited with " + exit + "; see " + log);
            }
            if (!Files.isRegularFile(results)) {
                throw new IllegalStateException("JMeter wrote no " + results + "; see " + log);
            }
            JtlSummary.Summary summary = JtlSummary.read(results, Duration.ofSeconds(options.stepSeconds()),
                    STEP_USERS);
            StaircaseReport report = new StaircaseReport(startedAt.toString(), options.stepSeconds(), STEP_USERS,
                    options.environments().option(), summary.seedRequests(),
                    summary.seedCreated(), summary.prefixes(), cap,
                    database(timeline, cap, summary.startedMillis(), options.stepSeconds()), functions(platform),
                    timeline.readings());
            report.print(System.out);
            Path json = options.output().resolve("summary.json");
            report.writeJson(json);
            System.out.printf("%nwrote %s (JMeter's results: %s, its log: %s)%n", json, results, log);
            if (summary.seedCreated() == 0) {
                throw new IllegalStateException("no seed note was created (" + summary.seedRequests()
                        + " setUp requests); see " + results);
            }
            if (summary.staircaseRequests() == 0) {
                throw new IllegalStateException("JMeter sent no staircase request; see " + log);
            }
            return 0;
        }
    }

    /** The result file's fields: CSV with a header and the URL, without the free-text fields that hold commas. */
    static final Map<String, String> RESULT_FIELDS = Map.ofEntries(
            Map.entry("jmeter.save.saveservice.output_format", "csv"),
            Map.entry("jmeter.save.saveservice.print_field_names", "true"),
            Map.entry("jmeter.save.saveservice.timestamp_format", "ms"),
            Map.entry("jmeter.save.saveservice.url", "true"),
            Map.entry("jmeter.save.saveservice.label", "true"),
            Map.entry("jmeter.save.saveservice.response_code", "true"),
            Map.entry("jmeter.save.saveservice.time", "true"),
            Map.entry("jmeter.save.saveservice.successful", "true"),
            Map.entry("jmeter.save.saveservice.thread_counts", "true"),
            Map.entry("jmeter.save.saveservice.response_message", "false"),
            Map.entry("jmeter.save.saveservice.assertion_results_failure_message", "false"),
            Map.entry("jmeter.save.saveservice.thread_name", "false"),
            Map.entry("jmeter.save.saveservice.data_type", "false"));

    private static DatabaseFigures database(ConnectionTimeline timeline, ProxyCap cap, long staircaseStartMillis,
            int stepSeconds) {
        List<ConnectionTimeline.Reading> readings = timeline.readings();
        ConnectionTimeline.Reading peak = timeline.peak().orElseThrow(() -> new IllegalStateException(
                "the database's connections could not be read once (" + timeline.failedReadings() + " failures)"));
        long[] stepConnections = new long[STEP_USERS.length];
        long[] stepProxyConnections = new long[STEP_USERS.length];
        int[] stepProxyEnvironments = new int[STEP_USERS.length];
        for (ConnectionTimeline.Reading reading : readings) {
            long step = Math.floorDiv(reading.epochMillis() - staircaseStartMillis, stepSeconds * 1000L);
            if (step >= 0 && step < STEP_USERS.length) {
                int i = (int) step;
                stepConnections[i] = Math.max(stepConnections[i], reading.connections());
                stepProxyConnections[i] = Math.max(stepProxyConnections[i], reading.dbProxyConnections());
                stepProxyEnvironments[i] = Math.max(stepProxyEnvironments[i], reading.dbProxyEnvironments());
            }
        }
        List<StepConnections> steps = new ArrayList<>();
        for (int i = 0; i < STEP_USERS.length; i++) {
            steps.add(new StepConnections(i + 1, stepConnections[i], stepProxyConnections[i],
                    stepProxyEnvironments[i]));
        }
        int peakProxy = timeline.peakDbProxyEnvironments();
        boolean attributed = timeline.attributed();
        long peakProxyConnections = attributed ? timeline.peakDbProxyConnections() : 0;
        long checked = attributed ? peakProxyConnections + cap.gaugeConnections() : cap.atMost(peakProxy);
        return new DatabaseFigures(peak.connections(), (peak.epochMillis() - staircaseStartMillis) / 1000.0,
                peak.directEnvironments(), peak.dbProxyEnvironments(), peakProxy, cap.atMost(peakProxy), attributed,
                peakProxyConnections, checked <= cap.connections(), readings.getLast().created(), steps,
                readings.size(), timeline.failedReadings());
    }

    private static Map<String, FunctionFigures> functions(LocalLambdaPlatform platform) {
        Map<String, FunctionFigures> functions = new LinkedHashMap<>();
        for (String name : platform.functionNames().stream().sorted().toList()) {
            FunctionMetrics metrics = platform.metrics(name);
            if (metrics.invocations() + metrics.throttles() > 0) {
                functions.put(name, new FunctionFigures(metrics.invocations(), metrics.throttles(),
                        metrics.timeouts(), metrics.errors(), metrics.coldStarts(), metrics.peak().live(),
                        metrics.duration().p50(), metrics.duration().p99()));
            }
        }
        return functions;
    }

    static Options parse(String[] args) {
        Path jmeterConfig = null;
        Path plan = null;
        Path output = Path.of("lab-results", "serve-staircase");
        int stepSeconds = 6;
        int proxyConcurrency = 0;
        EnvironmentKind environments = EnvironmentKind.IN_PROCESS;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--jmeter-config" -> jmeterConfig = Path.of(value);
                case "--plan" -> plan = Path.of(value);
                case "--output" -> output = Path.of(value);
                case "--step-seconds" -> stepSeconds = positive(option, value);
                case "--proxy-concurrency" -> proxyConcurrency = positive(option, value);
                case "--environments" -> environments = EnvironmentKind.parse(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (jmeterConfig == null || plan == null) {
            throw new IllegalArgumentException("--jmeter-config and --plan are required");
        }
        if (!Files.isRegularFile(plan)) {
            throw new IllegalArgumentException("--plan " + plan + " is not a file");
        }
        return new Options(jmeterConfig, plan, output, stepSeconds, proxyConcurrency, environments);
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, got " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got " + value);
        }
    }
}
