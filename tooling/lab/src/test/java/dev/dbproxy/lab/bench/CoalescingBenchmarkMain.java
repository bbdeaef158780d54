package dev.dbproxy.lab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.client.DbProxyClient;
import dev.dbproxy.proxy.client.DbProxySettings;
import dev.dbproxy.proxy.client.InvocationContext;
import dev.dbproxy.proxy.client.ProxyClientMetrics;
import dev.dbproxy.proxy.client.ProxyCollection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import reactor.core.publisher.Flux;

/**
 * Whether the DB proxy client's coalescing pays: the same calls through a client with the default window (2 ms) and
 * one with a zero window (every call on its own invocation), interleaved: a lone {@code findOne} its caller blocks on,
 * and bursts of 10 concurrent {@code findOne}s of one invocation, in slices shuffled each time. Prints p50/p99 per case, proxy invocations per
 * burst and the ratios. Run: {@code mvn -q -pl tooling/lab -am -Pcoalescing-benchmark -DskipTests -DskipITs verify}.
 */
public final class CoalescingBenchmarkMain {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BURST = 10;
    private static final int ROUNDS = 5;
    private static final int CALLS_PER_ROUND = 2_000;
    private static final int SLICES = 8;

    private CoalescingBenchmarkMain() {
    }

    public static void main(String[] args) {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start(); LocalLambdaPlatform platform = LocalLambdaPlatform.start()) {
            platform.deploy(BenchmarkProxyFunction.on(db));
            DbProxySettings settings = BenchmarkProxyFunction.clientSettings(platform);
            try (DbProxyClient coalescing = DbProxyClient.create(settings);
                    DbProxyClient alone = DbProxyClient.create(settings.withBatchWindow(Duration.ZERO))) {
                List<ObjectNode> ids = BenchmarkProxyFunction.seedNotes(
                        coalescing.database("notes").collection("notes"), BURST);
                Case[] cases = {
                    new Case("lone findOne, coalescing on ", coalescing, () -> lone(coalescing, ids)),
                    new Case("lone findOne, coalescing off", alone, () -> lone(alone, ids)),
                    new Case("10 concurrent, coalescing on ", coalescing, () -> burst(coalescing, ids)),
                    new Case("10 concurrent, coalescing off", alone, () -> burst(alone, ids)),
                };
                // Slices of the cases in a new order each time (fixed seed): a case measured right after one running
                // the same code comes out faster.
                Random order = new Random(42);
                List<Case> slice = new ArrayList<>(List.of(cases));
                for (int round = 0; round <= ROUNDS; round++) {
                    for (int part = 0; part < SLICES; part++) {
                        Collections.shuffle(slice, order);
                        for (Case measured : slice) {
                            measured.run(CALLS_PER_ROUND / SLICES / (measured.name.startsWith("10") ? BURST : 1),
                                    round > 0);
                        }
                    }
                }
                System.out.printf("coalescing, %d rounds of %d calls per case after one warm-up round (ms)%n",
                        ROUNDS, CALLS_PER_ROUND);
                for (Case measured : cases) {
                    measured.print();
                }
                System.out.printf("lone call, on / off at p50: %.2f; burst of %d, on / off at p50: %.2f%n",
                        cases[0].p50() / cases[1].p50(), BURST, cases[2].p50() / cases[3].p50());
            }
        }
    }

    private static void lone(DbProxyClient client, List<ObjectNode> ids) {
        client.database("notes").collection("notes").findOne(ids.getFirst()).block(WAIT);
    }

    private static void burst(DbProxyClient client, List<ObjectNode> ids) {
        ProxyCollection notes = client.database("notes").collection("notes");
        Flux.fromIterable(ids).flatMap(notes::findOne).collectList()
                .contextWrite(InvocationContext.of("burst", 10_000)::into).block(WAIT);
    }

    private static final class Case {
        final String name;
        final DbProxyClient client;
        final Runnable call;
        final List<Long> nanos = new ArrayList<>();
        long invocations;
        long calls;

        Case(String name, DbProxyClient client, Runnable call) {
            this.name = name;
            this.client = client;
            this.call = call;
        }

        void run(int times, boolean measured) {
            ProxyClientMetrics before = client.metrics();
            for (int i = 0; i < times; i++) {
                long start = System.nanoTime();
                call.run();
                if (measured) {
                    nanos.add(System.nanoTime() - start);
                }
            }
            if (measured) {
                invocations += client.metrics().invocations() - before.invocations();
                calls += times;
            }
        }

        double p50() {
            return percentile(0.50);
        }

        double percentile(double rank) {
            return BenchmarkProxyFunction.percentileMillis(nanos, rank);
        }

        void print() {
            System.out.printf("  %s  p50 %7.3f  p99 %7.3f  proxy invocations per call %5.2f%n", name, p50(),
                    percentile(0.99), (double) invocations / calls);
        }
    }
}
