package dev.dbproxy.lambda.platform;

import com.sun.net.httpserver.HttpServer;
import dev.dbproxy.lambda.platform.handlers.EchoStreamHandler;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

/**
 * Prints the latency of a warm no-op invoke through the AWS SDK (Netty) against the platform, and the floor: the same
 * kind of SDK client against a bare HTTP server that only echoes. Rounds alternate between the two so that drift
 * (JIT, other builds on the machine) affects both alike. Goal: the platform adds at most 0.3 ms at p50.
 *
 * <p>Run: {@code mvn -B -q -pl local-platform -am -Pbenchmark process-test-classes}; arguments
 * {@code [rounds] [invocationsPerRound]} when started by hand.
 */
public final class InvokeLatencyBenchmark {

    private static final byte[] PAYLOAD = "{\"operation\":\"noop\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private InvokeLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int warmup = 3000;
        ExecutorService echoExecutor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        echo.setExecutor(echoExecutor);
        echo.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream output = exchange.getResponseBody()) {
                output.write(body);
            }
        });
        echo.start();
        URI echoEndpoint = URI.create("http://127.0.0.1:" + echo.getAddress().getPort());

        try (LocalLambdaPlatform platform = LocalLambdaPlatform.start();
             LambdaAsyncClient toPlatform = LambdaClients.withoutRetries(platform.invokeEndpoint());
             LambdaAsyncClient toEcho = LambdaClients.withoutRetries(echoEndpoint)) {
            platform.deploy(FunctionDefinition.builder("noop", EchoStreamHandler.class.getName()).build());
            InvokeRequest request = InvokeRequest.builder().functionName("noop").payload(SdkBytes.fromByteArray(PAYLOAD)).build();

            Histogram platformLatency = new Histogram(3);
            Histogram floorLatency = new Histogram(3);
            run(toPlatform, request, warmup, new Histogram(3));
            run(toEcho, request, warmup, new Histogram(3));
            for (int round = 0; round < rounds; round++) {
                if (round % 2 == 0) {
                    run(toPlatform, request, perRound, platformLatency);
                    run(toEcho, request, perRound, floorLatency);
                } else {
                    run(toEcho, request, perRound, floorLatency);
                    run(toPlatform, request, perRound, platformLatency);
                }
            }

            System.out.printf(Locale.ROOT, "warm no-op invoke, AWS SDK v2 LambdaAsyncClient (netty-nio-client), %d x %d sequential calls each, after %d warm-up calls%n",
                    rounds, perRound, warmup);
            print("floor: bare echo HTTP server", floorLatency);
            print("local Lambda platform", platformLatency);
            double addedP50 = millis(platformLatency.getValueAtPercentile(50)) - millis(floorLatency.getValueAtPercentile(50));
            double addedP99 = millis(platformLatency.getValueAtPercentile(99)) - millis(floorLatency.getValueAtPercentile(99));
            System.out.printf(Locale.ROOT, "platform adds: p50 %+.3f ms (goal <= +0.300 ms: %s), p99 %+.3f ms; p50 ratio %.2f%n",
                    addedP50, addedP50 <= 0.3 ? "met" : "NOT met", addedP99,
                    platformLatency.getValueAtPercentile(50) / (double) floorLatency.getValueAtPercentile(50));
            javaApiThroughput(platform);
            FunctionMetrics metrics = platform.metrics("noop");
            System.out.printf(Locale.ROOT, "handler time inside the platform: p50 %.3f ms, p99 %.3f ms over %d invocations, %d cold start(s)%n",
                    metrics.duration().p50(), metrics.duration().p99(), metrics.invocations(), metrics.coldStarts());
        } finally {
            echo.stop(0);
            echoExecutor.close();
        }
    }

    /** The lab drives the platform through its Java API: how many warm no-op invocations per second it sustains. */
    private static void javaApiThroughput(LocalLambdaPlatform platform) throws Exception {
        int callers = 8;
        int perCaller = 20_000;
        java.util.concurrent.atomic.AtomicLong throttled = new java.util.concurrent.atomic.AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newFixedThreadPool(callers)) {
            java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
            for (int caller = 0; caller < callers; caller++) {
                running.add(executor.submit(() -> {
                    for (int i = 0; i < perCaller; i++) {
                        if (platform.invoke("noop", PAYLOAD).get(30, TimeUnit.SECONDS) instanceof InvocationResult.Throttled) {
                            throttled.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> caller : running) {
                caller.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "Java API throughput, %d callers x %d warm no-op invocations: %.0f invocations/s, %d environments, %d throttled%n",
                callers, perCaller, callers * perCaller / seconds, platform.metrics("noop").peak().live(), throttled.get());
    }

    private static void run(LambdaAsyncClient client, InvokeRequest request, int calls, Histogram latency) throws Exception {
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            client.invoke(request).get(30, TimeUnit.SECONDS);
            latency.recordValue(System.nanoTime() - start);
        }
    }

    private static void print(String label, Histogram latency) {
        System.out.printf(Locale.ROOT, "%-32s p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms  (n=%d)%n", label,
                millis(latency.getValueAtPercentile(50)), millis(latency.getValueAtPercentile(90)),
                millis(latency.getValueAtPercentile(99)), millis(latency.getMaxValue()), latency.getTotalCount());
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
