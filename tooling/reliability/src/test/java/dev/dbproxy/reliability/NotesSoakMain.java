package dev.dbproxy.reliability;

import dev.dbproxy.lab.serve.LocalNotesStack;
import dev.dbproxy.lambda.platform.EnvironmentCounts;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.lambda.platform.PlatformSettings;
import dev.dbproxy.reliability.MixedLoad.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The soak: mixed load on both strategies at once for {@code -Dsoak.minutes} minutes (10 by default), with a redeploy
 * of one function every 90 s, a reclaim of every idle environment every 2 minutes and one database restart half way.
 * Prints one line per minute (requests, errors by kind, p99 per strategy, heap used after GC, live threads, open file
 * descriptors, database connections, environments) and, at the end, the nothing-lost/nothing-doubled check and whether
 * threads, descriptors, heap and connections stayed flat (last two minutes against minutes 2-3). A program, not a
 * test: run it with {@code mvn -q -pl reliability -am -Psoak -DskipTests -DskipITs verify -Dsoak.minutes=10}.
 */
public final class NotesSoakMain {

    private static final int USERS_PER_STRATEGY = 3;
    private static final Duration REDEPLOY_EVERY = Duration.ofSeconds(90);
    private static final Duration RECLAIM_EVERY = Duration.ofMinutes(2);
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** Abandoned environments keep their sockets this long: short, so that a leak shows within the run. */
    private static final Duration ZOMBIE_LIFETIME = Duration.ofSeconds(45);

    private NotesSoakMain() {
    }

    /** Runs the soak; exits 1 when something was lost or doubled, or a resource grew. */
    public static void main(String[] args) {
        int minutes = Integer.getInteger("soak.minutes", 10);
        PlatformSettings settings = PlatformSettings.builder().zombieLifetime(ZOMBIE_LIFETIME).build();
        boolean passed;
        try (NotesStackFixture fixture = NotesStackFixture.start(LocalNotesStack.builder().platformSettings(settings))) {
            passed = soak(fixture, minutes);
        }
        System.exit(passed ? 0 : 1);
    }

    private static boolean soak(NotesStackFixture fixture, int minutes) {
        LocalLambdaPlatform platform = fixture.stack().platform();
        List<String> functions = platform.functionNames().stream().sorted().toList();
        NoteLedger ledger = new NoteLedger();
        List<Minute> table = new ArrayList<>();
        System.out.printf("soak: %d min, %d users per strategy, redeploy every %d s, reclaim every %d s, database"
                        + " restart after %d min, zombie lifetime %d s%n", minutes, USERS_PER_STRATEGY,
                REDEPLOY_EVERY.toSeconds(), RECLAIM_EVERY.toSeconds(), minutes / 2, ZOMBIE_LIFETIME.toSeconds());
        System.out.println(Minute.HEADER);
        long start = System.nanoTime();
        long nextRedeploy = start + REDEPLOY_EVERY.toNanos();
        long nextReclaim = start + RECLAIM_EVERY.toNanos();
        long restartAt = start + Duration.ofMinutes(minutes / 2).toNanos() + Duration.ofSeconds(20).toNanos();
        boolean restarted = false;
        int redeploys = 0;
        try (MixedLoad load = MixedLoad.start(fixture.bothStrategies(), USERS_PER_STRATEGY,
                MixedLoad.Mix.READS_AND_WRITES, 50, ledger)) {
            for (int minute = 1; minute <= minutes; minute++) {
                long minuteEnd = start + Duration.ofMinutes(minute).toNanos();
                List<String> events = new ArrayList<>();
                while (System.nanoTime() < minuteEnd) {
                    long now = System.nanoTime();
                    if (now >= nextRedeploy) {
                        String function = functions.get(redeploys++ % functions.size());
                        platform.redeploy(function);
                        events.add("redeploy " + function);
                        nextRedeploy += REDEPLOY_EVERY.toNanos();
                    }
                    if (now >= nextReclaim) {
                        events.add("reclaimed " + platform.reclaimIdle());
                        nextReclaim += RECLAIM_EVERY.toNanos();
                    }
                    if (!restarted && now >= restartAt) {
                        fixture.stack().embeddedDatabase().stop();
                        NotesStackFixture.sleep(OUTAGE);
                        fixture.stack().embeddedDatabase().restart();
                        events.add("database down " + OUTAGE.toSeconds() + " s");
                        restarted = true;
                    }
                    NotesStackFixture.sleep(Duration.ofMillis(200));
                }
                Minute row = Minute.measure(minute, load.drain(), fixture, functions, String.join("; ", events));
                table.add(row);
                System.out.println(row.line());
            }
        }
        NoteLedger.Verification verification = ledger.verify(fixture.notesCollection());
        System.out.println("nothing lost / nothing doubled: " + verification.summary());
        boolean flat = reportFlatness(table);
        return verification.passed() && flat;
    }

    /** Compares the last two minutes with minutes 2 and 3 (minute 1 is warm-up); prints and returns the verdict. */
    private static boolean reportFlatness(List<Minute> table) {
        if (table.size() < 5) {
            System.out.println("flatness: too short a run to judge (5 minutes at least)");
            return true;
        }
        List<Minute> early = table.subList(1, 3);
        List<Minute> late = table.subList(table.size() - 2, table.size());
        boolean threads = flat("live threads", early, late, Minute::threads, 1.2, 10);
        boolean descriptors = flat("open file descriptors", early, late, Minute::fileDescriptors, 1.2, 20);
        boolean heap = flat("heap used after GC (MB)", early, late, Minute::heapMb, 1.5, 16);
        boolean connections = flat("database connections", early, late, Minute::databaseConnections, 1.5, 4);
        return threads && descriptors && heap && connections;
    }

    private static boolean flat(String what, List<Minute> early, List<Minute> late,
                                java.util.function.ToLongFunction<Minute> value, double ratio, long slack) {
        double before = early.stream().mapToLong(value).average().orElse(0);
        double after = late.stream().mapToLong(value).average().orElse(0);
        boolean flat = after <= before * ratio + slack;
        System.out.printf(Locale.ROOT, "flatness: %-24s minutes 2-3 %8.1f, last two %8.1f -> %s%n", what, before, after,
                flat ? "flat" : "GROWING");
        return flat;
    }

    /** One row of the soak table. */
    private record Minute(int minute, long direct, long proxy, long ok, long throttled, long unavailable,
                          long badGateway, long internal, long other, double p99DirectMs, double p99ProxyMs,
                          long heapMb, long threads, long fileDescriptors, long databaseConnections,
                          int environments, int zombies, String events) {

        static final String HEADER = String.format(Locale.ROOT,
                "%3s %6s %6s %6s %5s %5s %5s %5s %5s %8s %8s %7s %7s %5s %5s %5s %5s  %s", "min", "direct", "proxy",
                "ok", "429", "503", "502", "500", "other", "p99 dir", "p99 prx", "heapMB", "threads", "fds", "dbcon",
                "envs", "zomb", "events");

        static Minute measure(int minute, List<Outcome> outcomes, NotesStackFixture fixture, List<String> functions,
                              String events) {
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
            LocalLambdaPlatform platform = fixture.stack().platform();
            int environments = 0;
            int zombies = 0;
            for (String function : functions) {
                EnvironmentCounts counts = platform.environmentCounts(function);
                environments += counts.live();
                zombies += counts.zombie();
            }
            return new Minute(minute, count(outcomes, "direct"), count(outcomes, "proxy"),
                    outcomes.stream().filter(Outcome::success).count(), status(outcomes, 429), status(outcomes, 503),
                    status(outcomes, 502), status(outcomes, 500),
                    outcomes.stream().filter(outcome -> !outcome.success()
                            && !List.of(429, 503, 502, 500).contains(outcome.status())).count(),
                    p99(outcomes, "direct"), p99(outcomes, "proxy"), heap,
                    ManagementFactory.getThreadMXBean().getThreadCount(), openFileDescriptors(),
                    fixture.stack().embeddedDatabase().connectionStats().current(), environments, zombies, events);
        }

        String line() {
            return String.format(Locale.ROOT, "%3d %6d %6d %6d %5d %5d %5d %5d %5d %8.1f %8.1f %7d %7d %5d %5d %5d %5d  %s",
                    minute, direct, proxy, ok, throttled, unavailable, badGateway, internal, other, p99DirectMs,
                    p99ProxyMs, heapMb, threads, fileDescriptors, databaseConnections, environments, zombies, events);
        }

        private static long count(List<Outcome> outcomes, String strategy) {
            return outcomes.stream().filter(outcome -> outcome.strategy().equals(strategy)).count();
        }

        private static long status(List<Outcome> outcomes, int status) {
            return outcomes.stream().filter(outcome -> outcome.status() == status).count();
        }

        private static double p99(List<Outcome> outcomes, String strategy) {
            long[] millis = outcomes.stream().filter(outcome -> outcome.strategy().equals(strategy))
                    .mapToLong(outcome -> outcome.endedNanos() - outcome.startedNanos()).sorted().toArray();
            if (millis.length == 0) {
                return 0;
            }
            return millis[Math.min(millis.length - 1, (int) Math.ceil(millis.length * 0.99) - 1)] / 1_000_000.0;
        }

        private static long openFileDescriptors() {
            try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
                return descriptors.count();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list /proc/self/fd", e);
            }
        }
    }
}
