package dev.dbproxy.lab.bench;

import dev.dbproxy.lab.serve.LocalNotesStack;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.FunctionMetrics;
import dev.dbproxy.lambda.platform.InvocationResult;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.lambda.platform.PlatformSettings;
import dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory;
import dev.dbproxy.lambda.platform.template.SamTemplate;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.bson.types.ObjectId;

/**
 * Prints the cold starts of the three deployment jars as Lambda runs them: every measurement a fresh JVM (a process
 * environment under the real runtime interface client, the template's {@code CodeUri}, {@code MemorySize} and
 * {@code JAVA_TOOL_OPTIONS}). Measured: the init phase (process start to the runtime's first
 * {@code /invocation/next}), the first and the second invocation, and the process's peak resident memory (VmHWM).
 * Configurations: the direct and the proxy-strategy {@code GetNoteHandler} without and with the init warm-up
 * ({@code NOTES_WARM_UP}), and the DB proxy; and the same three with the template's {@code SnapStart=PublishedVersions}
 * ({@code *-snapstart}, the business functions warmed up as the template does): their init runs before the
 * invocation (the platform checkpoints one environment ahead, as Lambda does at publish), and what is measured is
 * the restore (the {@code afterRestore} hooks), the first and the second invocation. The restore is modelled in place
 * (the same JVM continues), so a real restore's loading of the snapshot, which Lambda reports in Restore Duration,
 * is not in these figures. The proxy-strategy function calls a separate, warm DB proxy, so its figures are its own. The configurations take turns in a new order each round (shuffled, fixed seed); the first
 * round is discarded. Needs the jars: {@code mvn package}.
 *
 * <p>To compare with other builds of the jars in the same run, pass {@code -Dcold-start.baseline=DIR}: a directory
 * holding copies of the three jars (same file names), measured as {@code *-baseline} configurations side by side.
 * {@code -Dcold-start.jvm-options="..."} adds JVM options to the measured functions' {@code JAVA_TOOL_OPTIONS}
 * (a class-loading log, say). Each configuration's jar size is printed with its figures.
 */
public final class ProcessColdStartMain {

    private static final int ROUNDS = 8;
    private static final String WARM_PROXY = "DbProxyFunction";

    private ProcessColdStartMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : ROUNDS;
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                ProcessEnvironmentFactory factory = ProcessEnvironmentFactory.create()) {
            LocalLambdaPlatform platform = LocalLambdaPlatform.start(PlatformSettings.defaults(), factory);
            try {
                run(platform, db, rounds);
            } finally {
                platform.close();
            }
        }
        System.exit(0);
    }

    private static void run(LocalLambdaPlatform platform, EmbeddedMongoDb db, int rounds) throws Exception {
        SamTemplate template = SamTemplate.load(LocalNotesStack.findTemplate(), Map.of("MongoDbUri", db.connectionString()));
        platform.deploy(fromJar(template, WARM_PROXY, WARM_PROXY, Map.of(), UnaryOperator.identity(), ""));
        check(WARM_PROXY, invoke(platform, WARM_PROXY, countNotes()), "\"ok\"");
        String baseline = System.getProperty("cold-start.baseline", "");
        String jvmOptions = System.getProperty("cold-start.jvm-options", "");
        Map<String, UnaryOperator<Path>> builds = new LinkedHashMap<>();
        builds.put("", UnaryOperator.identity());
        if (!baseline.isBlank()) {
            builds.put("-baseline", jar -> Path.of(baseline).resolve(jar.getFileName()));
        }
        Map<String, Path> jars = new LinkedHashMap<>();
        for (Map.Entry<String, UnaryOperator<Path>> build : builds.entrySet()) {
            String suffix = build.getKey();
            UnaryOperator<Path> jarOf = build.getValue();
            for (String strategy : List.of("Direct", "Proxy")) {
                for (boolean warmUp : List.of(false, true)) {
                    String name = strategy.toLowerCase(java.util.Locale.ROOT) + "-get" + (warmUp ? "-warmed-up" : "")
                            + suffix;
                    FunctionDefinition function = fromJar(template, strategy + "GetNoteFunction", name,
                            Map.of("NOTES_WARM_UP", Boolean.toString(warmUp)), jarOf, jvmOptions);
                    platform.deploy(function);
                    jars.put(name, function.classPath().get(0));
                }
            }
            FunctionDefinition proxy = fromJar(template, WARM_PROXY, "db-proxy" + suffix, Map.of(), jarOf,
                    jvmOptions);
            platform.deploy(proxy);
            jars.put(proxy.name(), proxy.classPath().get(0));
        }
        SamTemplate snapStart = SamTemplate.load(LocalNotesStack.findTemplate(),
                Map.of("MongoDbUri", db.connectionString(), "SnapStart", "PublishedVersions"));
        for (String function : List.of("DirectGetNoteFunction", "ProxyGetNoteFunction", WARM_PROXY)) {
            String name = function.equals(WARM_PROXY) ? "db-proxy-snapstart"
                    : function.replace("GetNoteFunction", "").toLowerCase(java.util.Locale.ROOT) + "-get-snapstart";
            Map<String, String> variables = function.equals(WARM_PROXY) ? Map.of() : Map.of("NOTES_WARM_UP", "true");
            FunctionDefinition restored = fromJar(snapStart, function, name, variables, UnaryOperator.identity(),
                    jvmOptions);
            platform.deploy(restored);
            jars.put(name, restored.classPath().get(0));
        }
        Map<String, List<double[]>> measured = new LinkedHashMap<>();
        jars.keySet().forEach(name -> measured.put(name, new ArrayList<>()));
        System.out.printf("Process-mode cold starts (a fresh JVM each, real runtime interface client, %d rounds, the"
                + " first discarded; ms, MiB)%n", rounds);
        Random orders = new Random(20261207);
        List<String> order = new ArrayList<>(measured.keySet());
        for (int round = 1; round <= rounds; round++) {
            Collections.shuffle(order, orders);
            for (String name : order) {
                platform.redeploy(name);
                platform.tearDownZombies();
                // a SnapStart version is published (initialized and checkpointed) before it is invoked
                platform.snapshotTaken(name).get(60, TimeUnit.SECONDS);
                boolean dbProxy = name.startsWith("db-proxy");
                byte[] payload = dbProxy ? countNotes() : getNote();
                String expected = dbProxy ? "\"ok\"" : "\"statusCode\":404";
                platform.resetMetrics();
                check(name, invoke(platform, name, payload), expected);
                FunctionMetrics cold = platform.metrics(name);
                // the cold start prepared the next snapshot: let its init end before the warm invocation
                platform.snapshotTaken(name).get(60, TimeUnit.SECONDS);
                platform.resetMetrics();
                check(name, invoke(platform, name, payload), expected);
                FunctionMetrics warm = platform.metrics(name);
                double peakMib = platform.resourceUsage(name).peakResidentBytes() / (1024.0 * 1024.0);
                double[] figures = {cold.initDuration().max(), cold.duration().max(), warm.duration().max(), peakMib,
                        cold.restoreDuration().max()};
                if (round > 1) {
                    measured.get(name).add(figures);
                }
                System.out.printf("  round %d%s %-31s init %6.0f  restore %5.1f  first %6.0f  together %6.0f  second %6.1f"
                        + "  peak RSS %4.0f%n", round, round == 1 ? " (discarded)" : "", name, figures[0], figures[4],
                        figures[1], figures[0] + figures[4] + figures[1], figures[2], figures[3]);
            }
        }
        System.out.printf("medians [min-max] over rounds 2 to %d:%n", rounds);
        System.out.println("| function | jar (bytes) | init (ms) | restore (ms) | first invocation (ms) | together (ms) | second invocation (ms) | peak RSS (MiB) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<double[]>> entry : measured.entrySet()) {
            List<double[]> runs = entry.getValue();
            boolean restored = entry.getKey().endsWith("-snapstart");
            System.out.printf(java.util.Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s |%n", entry.getKey(),
                    Files.size(jars.get(entry.getKey())), restored ? "(at publish)" : median(runs, 0, "%.0f"),
                    restored ? median(runs, 4, "%.1f") : "-", median(runs, 1, "%.0f"), together(runs),
                    median(runs, 2, "%.1f"), median(runs, 3, "%.0f"));
        }
        System.out.println("together = init (on demand) or restore (SnapStart) + first invocation. The SnapStart restore"
                + " is modelled in place (the same JVM continues after its checkpoint), so a real restore's loading of the"
                + " snapshot, which Lambda reports and bills as Restore Duration, is not in these figures.");
    }

    /**
     * The template's {@code function} named {@code name}, from the jar {@code jarOf} gives for its own, with
     * {@code jvmOptions} added to its {@code JAVA_TOOL_OPTIONS}.
     */
    private static FunctionDefinition fromJar(SamTemplate template, String function, String name,
            Map<String, String> variables, UnaryOperator<Path> jarOf, String jvmOptions) {
        FunctionDefinition.Builder builder = template.function(function).toBuilder().name(name)
                .classPath(List.of(jarOf.apply(template.codeUri(function))));
        variables.forEach(builder::environmentVariable);
        if (!jvmOptions.isBlank()) {
            String options = template.function(function).environment().getOrDefault("JAVA_TOOL_OPTIONS", "");
            builder.environmentVariable("JAVA_TOOL_OPTIONS", (options + " " + jvmOptions).strip());
        }
        return builder.build();
    }

    private static InvocationResult invoke(LocalLambdaPlatform platform, String name, byte[] payload) throws Exception {
        return platform.invoke(name, payload).get(60, TimeUnit.SECONDS);
    }

    private static void check(String name, InvocationResult result, String expected) {
        if (!(result instanceof InvocationResult.Completed completed)
                || !new String(completed.payload(), StandardCharsets.UTF_8).contains(expected)) {
            throw new IllegalStateException(name + " did not answer " + expected + ": " + (result instanceof
                    InvocationResult.FunctionFailed failed ? new String(failed.errorPayload(), StandardCharsets.UTF_8) : result));
        }
    }

    private static String median(List<double[]> runs, int figure, String format) {
        double[] values = runs.stream().mapToDouble(run -> run[figure]).sorted().toArray();
        return String.format(java.util.Locale.ROOT, format + " [" + format + "-" + format + "]", middle(values),
                values[0], values[values.length - 1]);
    }

    private static String together(List<double[]> runs) {
        double[] values = runs.stream().mapToDouble(run -> run[0] + run[4] + run[1]).sorted().toArray();
        return String.format(java.util.Locale.ROOT, "%.0f [%.0f-%.0f]", middle(values), values[0], values[values.length - 1]);
    }

    private static double middle(double[] sorted) {
        int half = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
    }

    /** A DB proxy request counting the notes. */
    static byte[] countNotes() {
        return ("{\"version\":1,\"requestId\":\"" + new ObjectId().toHexString() + "\",\"deadlineEpochMillis\":"
                + Instant.now().plus(Duration.ofDays(1)).toEpochMilli() + ",\"operations\":[{\"action\":"
                + "\"countDocuments\",\"database\":\"notes\",\"collection\":\"notes\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code GET /notes/{id}} of an id no note has, as API Gateway's HTTP API sends it: the answer is a 404. */
    private static byte[] getNote() {
        String id = new ObjectId().toHexString();
        return ("{\"version\":\"2.0\",\"routeKey\":\"GET /notes/{id}\",\"rawPath\":\"/notes/" + id + "\","
                + "\"rawQueryString\":\"\",\"headers\":{\"accept\":\"application/json\"},\"requestContext\":{\"http\":"
                + "{\"method\":\"GET\",\"path\":\"/notes/" + id + "\"},\"requestId\":\"cold-start\","
                + "\"routeKey\":\"GET /notes/{id}\",\"stage\":\"$default\"},\"pathParameters\":{\"id\":\"" + id + "\"},"
                + "\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8);
    }
}
