package dev.dbproxy.lab;

import dev.dbproxy.lab.cost.LambdaCostModel;
import dev.dbproxy.lab.load.LoadProfile;
import dev.dbproxy.lab.load.RequestSigner;
import dev.dbproxy.lab.measure.DatabaseConnections;
import dev.dbproxy.lab.report.ConsoleTable;
import dev.dbproxy.lab.report.HtmlReport;
import dev.dbproxy.lab.report.ResultJson;
import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.Configuration;
import dev.dbproxy.lab.result.LabSettings;
import dev.dbproxy.lab.result.LoadStep;
import dev.dbproxy.lab.result.StrategyRun;
import dev.dbproxy.lab.run.LabTarget;
import dev.dbproxy.lab.run.LocalPlatformTarget;
import dev.dbproxy.lab.run.RemoteTarget;
import dev.dbproxy.lab.run.RunPlan;
import dev.dbproxy.lab.run.StrategyRunner;
import dev.dbproxy.lab.serve.LocalNotesStack;
import dev.dbproxy.lambda.platform.EnvironmentKind;
import dev.dbproxy.lambda.platform.ReclaimMode;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.adapter.direct.DirectNoteRepositoryProvider;
import dev.dbproxy.notes.adapter.direct.MongoDbSettings;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;

/**
 * {@code compare}: the seed's experiment on both strategies, side by side, on Lambda and on Lambda Managed Instances. Each run gets a fresh database server (or
 * a fresh database on {@code MONGODB_URI}) and a fresh local Lambda platform, is seeded with notes, and is driven by
 * the same staircase of virtual users with a redeploy in the middle and an idle phase after. Prints a table, writes
 * {@code compare.json} and a self-contained {@code compare.html} to the output folder.
 */
public final class CompareCommand {

    static final String USAGE = """
            usage: compare [options]
              --profile default|seed|small|tiny   load staircase (default: 10,20,30,60,80 users, 6 s per step;
                                            seed: 60 s per step, last held 26 min; small: 1,2,3,6,8 users,
                                            10 s per step, for --environments process; tiny: a few seconds)
              --step-seconds S              length of each step of the default and small staircases
              --functions N                 reader functions per strategy, even, >= 2 (default 2, as the seed);
                                            each list/get pair is a service with its own staircase of users
              --proxy-concurrency N         reserved concurrency of the DB proxy function (default 10)
              --idle-seconds S              idle phase after the load (default 14)
              --reclaim-after-seconds S     idle time before an environment is reclaimed (default 3)
              --zombie-seconds S            how long abandoned connections stay open (default 8)
              --no-graceful                 skip the runs on Lambda with graceful shutdown
              --configurations SET          standard (direct and lambda-proxy on Lambda) or all (default: also
                                            direct on managed instances, lambda-proxy with business functions
                                            and proxy on managed instances, and business functions on Lambda
                                            with the proxy on managed instances; these scale in gracefully)
              --managed-min-environments N  MinExecutionEnvironments of functions on managed instances (default
                                            3 as on AWS, 1 with --environments process)
              --warm-up-seconds S           unmeasured load on each strategy first, so that the JIT warms up the
                                            lab's own JVM before any figure is taken (default 5, 0 = none)
              --isolated-libraries          every environment loads its own copy of the client libraries, as on
                                            AWS (default: shared, so that dozens of cold starts fit on 2 cores)
              --environments KIND           in-process (default: class loaders in the lab's JVM) or process (a JVM
                                            per environment under the real Lambda runtime client, frozen between
                                            invocations; needs the deployment jars: mvn package)
              --base-url URL                drive a deployed API (serve, or API Gateway) instead; needs MONGODB_URI;
                                            requests to *.execute-api.REGION.amazonaws.com are signed (SigV4,
                                            the AWS SDK's default credentials)
              --sign-region REGION          sign for REGION whatever the URL (an API Gateway custom domain)
              --out DIR                     output folder (default lab-results)
            MONGODB_URI, when set, is the database measured instead of the embedded one.""";

    private CompareCommand() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        ComparisonResult result = run(options, System.getenv("MONGODB_URI"), System.out);
        Files.createDirectories(options.out());
        Path json = options.out().resolve("compare.json");
        Path html = options.out().resolve("compare.html");
        ResultJson.create().writeTo(result, json);
        HtmlReport.of(result).writeTo(html);
        System.out.println();
        ConsoleTable.of(result).printTo(System.out);
        System.out.println();
        System.out.println("JSON:   " + json.toAbsolutePath());
        System.out.println("Report: " + html.toAbsolutePath());
        System.exit(0);
    }

    /** Runs every strategy of the comparison and returns what was measured. */
    static ComparisonResult run(Options options, String externalUri, PrintStream out) throws InterruptedException {
        Instant startedAt = Instant.now();
        boolean external = externalUri != null && !externalUri.isBlank();
        StrategyRunner runner = new StrategyRunner(new LambdaCostModel(LambdaCostModel.US_EAST_1_X86), out::println);
        RunPlan plan = new RunPlan(options.profile(),
                options.baseUrl().isPresent() ? Optional.empty()
                        : Optional.of(Duration.ofMillis((long) (options.profile().durationSeconds() * 500))),
                Duration.ofMillis((long) (options.idleSeconds() * 1000)), Duration.ofMillis(250));
        if (options.warmUpSeconds() > 0 && options.baseUrl().isEmpty()) {
            warmUp(options, externalUri, external, out);
        }
        List<StrategyRun> runs = new ArrayList<>();
        List<ReclaimMode> modes = options.graceful() && options.baseUrl().isEmpty()
                ? List.of(ReclaimMode.ABANDON, ReclaimMode.GRACEFUL) : List.of(ReclaimMode.ABANDON);
        for (ReclaimMode mode : modes) {
            for (Configuration configuration : Configuration.STANDARD) {
                runs.add(runOne(options, externalUri, external, runner, plan, mode, configuration, runs.size(),
                        out));
            }
        }
        if (options.allConfigurations() && options.baseUrl().isEmpty()) {
            // Managed instances scale in gracefully whatever the reclaim mode: one run each.
            for (Configuration configuration : Configuration.WITH_MANAGED_INSTANCES) {
                runs.add(runOne(options, externalUri, external, runner, plan, ReclaimMode.GRACEFUL, configuration,
                        runs.size(), out));
            }
        }
        LabSettings settings = new LabSettings(options.profile().name(), options.profile().steps(),
                options.functions(), options.proxyConcurrency(), plan.redeployAt().map(d -> d.toMillis() / 1000.0)
                .orElse(-1.0), options.idleSeconds(), options.reclaimAfterSeconds(), options.zombieSeconds(),
                plan.sampleInterval().toMillis(), external ? "external" : "embedded",
                options.baseUrl().map(URI::toString).orElse(LabSettings.LOCAL_PLATFORM));
        return new ComparisonResult(ComparisonResult.SCHEMA_VERSION, startedAt, settings,
                LambdaCostModel.US_EAST_1_X86, runs);
    }

    /**
     * Runs each strategy briefly with 10 users and throws the figures away: the local platform, the gateway, the SDK,
     * Netty and the driver all run in this one JVM, and without this the strategy measured first would also pay for
     * the JIT compilation of code the other one then finds compiled.
     */
    private static void warmUp(Options options, String externalUri, boolean external, PrintStream out)
            throws InterruptedException {
        out.println("== warming up (" + options.warmUpSeconds() + " s per strategy, not measured)");
        StrategyRunner quiet = new StrategyRunner(new LambdaCostModel(LambdaCostModel.US_EAST_1_X86), line -> { });
        RunPlan warmUp = new RunPlan(new LoadProfile("warm-up", List.of(new LoadStep(10, options.warmUpSeconds()))),
                Optional.empty(), Duration.ZERO, Duration.ofMillis(250));
        for (Configuration configuration : Configuration.STANDARD) {
            runOne(options, externalUri, external, quiet, warmUp, ReclaimMode.GRACEFUL, configuration, -1, null);
        }
    }

    private static StrategyRun runOne(Options options, String externalUri, boolean external, StrategyRunner runner,
            RunPlan plan, ReclaimMode mode, Configuration configuration, int index, PrintStream out)
            throws InterruptedException {
        if (out != null) {
            out.println("== " + configuration.label() + " / " + mode.name().toLowerCase(Locale.ROOT));
        }
        String strategy = configuration.strategy();
        EmbeddedMongoDb embedded = external ? null : EmbeddedMongoDb.start();
        String uri = external ? externalUri : embedded.connectionString();
        String database = external && options.baseUrl().isEmpty() ? "notes_lab_" + startedSuffix() + "_" + index
                : "notes";
        try (DatabaseConnections gauge = new DatabaseConnections(uri)) {
            if (options.baseUrl().isEmpty()) {
                seed(uri, database, 200);
            }
            long createdBeforeDeploy = gauge.read().totalCreated();
            try (LabTarget target = options.baseUrl().<LabTarget>map(url -> new RemoteTarget(url, strategy,
                            RequestSigner.forBaseUrl(url, options.signRegion())))
                    .orElseGet(() -> new LocalPlatformTarget(LocalNotesStack.findTemplate(), Map.of(
                            "MongoDbUri", uri,
                            "NotesDatabase", database,
                            "ProxyReservedConcurrency", Integer.toString(options.proxyConcurrency())),
                            configuration, mode, options.functions(), options.profile().peakUsers(),
                            options.managedMinEnvironments(), Duration.ofMillis((long) (options.reclaimAfterSeconds() * 1000)),
                            Duration.ofMillis((long) (options.zombieSeconds() * 1000)),
                            options.sharedLibraries(), options.environments()))) {
                return runner.run(target, gauge, plan, createdBeforeDeploy);
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static String startedSuffix() {
        return Long.toString(System.currentTimeMillis());
    }

    /** Stores {@code count} notes directly, before any function runs, so that both strategies read the same data. */
    static void seed(String uri, String database, int count) {
        try (NoteRepository notes = DirectNoteRepositoryProvider.create(
                MongoDbSettings.fromEnv(Map.of(
                        "MONGODB_URI", uri, "NOTES_DATABASE", database, "MONGODB_MAX_POOL_SIZE", "4",
                        "MONGODB_APP_NAME", "notes-lab-seed")))) {
            Instant now = Instant.now();
            Flux.range(0, count)
                    .flatMap(i -> notes.create(new Note(NoteId.generate(), "Note " + i,
                            "Seeded by the lab for the comparison run.", now.minusSeconds(count - i),
                            now.minusSeconds(count - i))), 4)
                    .blockLast(Duration.ofSeconds(60));
        }
    }

    /** The command line, parsed. */
    record Options(LoadProfile profile, int functions, int proxyConcurrency, double idleSeconds,
            double reclaimAfterSeconds, double zombieSeconds, boolean graceful, double warmUpSeconds,
            boolean sharedLibraries, EnvironmentKind environments, Optional<URI> baseUrl, Path out,
            boolean allConfigurations, int managedMinEnvironments, Optional<String> signRegion) {

        static Options parse(String[] args) {
            String profile = "default";
            double stepSeconds = Double.NaN;
            int functions = 2;
            int proxyConcurrency = 10;
            double idle = 14;
            double reclaimAfter = 3;
            double zombie = 8;
            boolean graceful = true;
            boolean sharedLibraries = true;
            EnvironmentKind environments = EnvironmentKind.IN_PROCESS;
            double warmUpSeconds = 5;
            Optional<URI> baseUrl = Optional.empty();
            Path out = Path.of("lab-results");
            String configurations = "all";
            int managedMinEnvironments = -1;
            Optional<String> signRegion = Optional.empty();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "compare" -> { }
                    case "--profile" -> profile = value(args, ++i, arg);
                    case "--step-seconds" -> stepSeconds = number(args, ++i, arg);
                    case "--functions" -> functions = (int) number(args, ++i, arg);
                    case "--proxy-concurrency" -> proxyConcurrency = (int) number(args, ++i, arg);
                    case "--idle-seconds" -> idle = number(args, ++i, arg);
                    case "--reclaim-after-seconds" -> reclaimAfter = number(args, ++i, arg);
                    case "--zombie-seconds" -> zombie = number(args, ++i, arg);
                    case "--no-graceful" -> graceful = false;
                    case "--isolated-libraries" -> sharedLibraries = false;
                    case "--environments" -> environments = EnvironmentKind.parse(value(args, ++i, arg));
                    case "--warm-up-seconds" -> warmUpSeconds = number(args, ++i, arg);
                    case "--base-url" -> baseUrl = Optional.of(URI.create(value(args, ++i, arg)));
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--configurations" -> configurations = value(args, ++i, arg);
                    case "--managed-min-environments" -> managedMinEnvironments = (int) number(args, ++i, arg);
                    case "--sign-region" -> signRegion = Optional.of(value(args, ++i, arg));
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (functions < 2 || functions % 2 != 0) {
                throw new IllegalArgumentException("--functions must be an even number >= 2 (list and get readers)");
            }
            if (!configurations.equals("standard") && !configurations.equals("all")) {
                throw new IllegalArgumentException("--configurations must be standard or all, was " + configurations);
            }
            if (managedMinEnvironments == -1) {
                managedMinEnvironments = environments == EnvironmentKind.PROCESS ? 1 : 3;
            } else if (managedMinEnvironments < 1 || managedMinEnvironments > 15) {
                throw new IllegalArgumentException("--managed-min-environments must be 1 to 15");
            }
            LoadProfile load = switch (profile) {
                case "default" -> LoadProfile.staircase("default", orElse(stepSeconds, 6), orElse(stepSeconds, 6));
                case "seed" -> LoadProfile.seed();
                case "small" -> LoadProfile.small(orElse(stepSeconds, 10));
                case "tiny" -> LoadProfile.tiny();
                default -> throw new IllegalArgumentException("--profile must be default, seed, small or tiny");
            };
            return new Options(load, functions, proxyConcurrency, idle, reclaimAfter, zombie, graceful, warmUpSeconds,
                    sharedLibraries, environments, baseUrl, out, configurations.equals("all"), managedMinEnvironments,
                    signRegion);
        }

        private static double orElse(double given, double otherwise) {
            return Double.isNaN(given) ? otherwise : given;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static double number(String[] args, int index, String option) {
            try {
                return Double.parseDouble(value(args, index, option));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number");
            }
        }
    }
}
