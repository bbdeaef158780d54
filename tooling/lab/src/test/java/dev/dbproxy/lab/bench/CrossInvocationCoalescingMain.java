package dev.dbproxy.lab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.lab.cost.LambdaCostModel;
import dev.dbproxy.lab.result.Pricing;
import dev.dbproxy.lambda.platform.FunctionMetrics;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.client.DbProxyClient;
import dev.dbproxy.proxy.client.DbProxySettings;
import dev.dbproxy.proxy.client.InvocationContext;
import dev.dbproxy.proxy.client.ProxyCollection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What coalescing across invocations ({@code DB_PROXY_COALESCE_ACROSS_INVOCATIONS}) gives in a Lambda Managed
 * Instances environment, where one client serves {@value #CONCURRENT_INVOCATIONS} invocations at once. Each
 * invocation, with its own request id and deadline, makes one {@code findOne}; the first case runs them through a
 * client that never lets two invocations share a proxy invocation, the second through one that does (protocol
 * version 2, each operation with its own caller's request id and deadline), both with the default window. Both run
 * closed-loop against the same proxy function, in alternating blocks; prints p50/p99 per invocation, proxy
 * invocations, proxy environments and the proxy's Lambda cost per million business invocations. Run:
 * {@code mvn -q -pl tooling/lab -am -Pcoalescing-benchmark -DskipTests -DskipITs verify} (it runs after the
 * in-invocation benchmark).
 */
public final class CrossInvocationCoalescingMain {

    static final int CONCURRENT_INVOCATIONS = 32;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BLOCKS = 6;
    private static final int CALLS_PER_INVOCATION_PER_BLOCK = 100;
    private static final Pricing PRICING = LambdaCostModel.US_EAST_1_X86;

    private CrossInvocationCoalescingMain() {
    }

    public static void main(String[] args) {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start(); LocalLambdaPlatform platform = LocalLambdaPlatform.start()) {
            platform.deploy(BenchmarkProxyFunction.on(db));
            DbProxySettings settings = BenchmarkProxyFunction.clientSettings(platform);
            try (DbProxyClient client = DbProxyClient.create(settings.withCoalesceAcrossInvocations(false));
                 DbProxyClient sharing = DbProxyClient.create(settings.withCoalesceAcrossInvocations(true))) {
                List<ObjectNode> filters = BenchmarkProxyFunction.seedNotes(
                        client.database("notes").collection("notes"), CONCURRENT_INVOCATIONS);
                Case own = new Case("each invocation its own proxy invocation",
                        client.database("notes").collection("notes"));
                Case shared = new Case("invocations share proxy invocations   ",
                        sharing.database("notes").collection("notes"));
                for (int block = 0; block <= BLOCKS; block++) {
                    for (Case measured : block % 2 == 0 ? List.of(own, shared) : List.of(shared, own)) {
                        platform.resetMetrics();
                        measured.run(filters, block > 0);
                        if (block > 0) {
                            measured.add(platform.metrics(BenchmarkProxyFunction.NAME));
                        }
                    }
                }
                System.out.printf("%d concurrent invocations in one environment, one findOne each, %d blocks of %d"
                        + " calls per invocation after one warm-up block%n", CONCURRENT_INVOCATIONS, BLOCKS,
                        CALLS_PER_INVOCATION_PER_BLOCK);
                own.print();
                shared.print();
                System.out.printf("shared / own: p50 %.2f, p99 %.2f, proxy invocations %.3f, proxy cost %.2f%n",
                        shared.percentile(0.50) / own.percentile(0.50), shared.percentile(0.99) / own.percentile(0.99),
                        shared.invocationsPerCall() / own.invocationsPerCall(),
                        shared.usdPerMillionCalls() / own.usdPerMillionCalls());
            }
        }
    }

    private static final class Case {
        final String name;
        final ProxyCollection notes;
        final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        final AtomicLong sequence = new AtomicLong();
        long calls;
        long proxyInvocations;
        long proxyEnvironments;
        long peakProxyEnvironments;
        double proxyHandlerMillis;

        Case(String name, ProxyCollection notes) {
            this.name = name;
            this.notes = notes;
        }

        void run(List<ObjectNode> filters, boolean measured) {
            Flux.range(0, CONCURRENT_INVOCATIONS)
                    .flatMap(worker -> Mono.defer(() -> invocation(filters.get(worker), measured))
                            // Warming up starts up to 16 proxy environments at once, which on a loaded machine
                            // may take longer than a call's deadline: only measured calls must all succeed.
                            .onErrorResume(error -> measured ? Mono.error(error) : Mono.empty())
                            .repeat(CALLS_PER_INVOCATION_PER_BLOCK - 1), CONCURRENT_INVOCATIONS)
                    .blockLast(WAIT);
            if (measured) {
                calls += (long) CONCURRENT_INVOCATIONS * CALLS_PER_INVOCATION_PER_BLOCK;
            }
        }

        private Mono<ObjectNode> invocation(ObjectNode filter, boolean measured) {
            String requestId = "invocation-" + sequence.incrementAndGet();
            long start = System.nanoTime();
            return notes.findOne(filter)
                    .map(ObjectNode.class::cast)
                    .contextWrite(InvocationContext.of(requestId, 10_000)::into)
                    .doOnSuccess(found -> {
                        if (found == null) {
                            throw new IllegalStateException("a seeded note was not found");
                        }
                        if (measured) {
                            nanos.add(System.nanoTime() - start);
                        }
                    });
        }

        void add(FunctionMetrics proxy) {
            proxyInvocations += proxy.invocations();
            proxyEnvironments += proxy.coldStarts();
            peakProxyEnvironments = Math.max(peakProxyEnvironments, proxy.peak().live());
            proxyHandlerMillis += proxy.duration().count() * Math.ceil(proxy.duration().mean());
        }

        double invocationsPerCall() {
            return (double) proxyInvocations / calls;
        }

        /** The proxy function's requests and duration at 512 MB, per million business invocations. */
        double usdPerMillionCalls() {
            double gbSeconds = proxyHandlerMillis / 1000.0 * 512 / 1024.0;
            return (proxyInvocations / 1e6 * PRICING.usdPerMillionRequests() + gbSeconds * PRICING.usdPerGbSecond())
                    / calls * 1e6;
        }

        double percentile(double rank) {
            return BenchmarkProxyFunction.percentileMillis(nanos, rank);
        }

        void print() {
            System.out.printf("  %s  p50 %7.3f ms  p99 %7.3f ms  proxy invocations per call %5.3f  proxy environments"
                    + " created %d, peak %d  proxy cost per million calls $%.4f%n", name, percentile(0.50),
                    percentile(0.99), invocationsPerCall(), proxyEnvironments, peakProxyEnvironments,
                    usdPerMillionCalls());
        }
    }
}
