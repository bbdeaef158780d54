package dev.dbproxy.lab.bench;

import dev.dbproxy.lab.serve.LocalNotesStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the Data API endpoint of {@code serve}'s stack (embedded MongoDB, local Lambda platform, HTTP API gateway,
 * the DB proxy with reserved concurrency from the template) with a staircase of concurrent callers, each sending
 * {@code findOne} by a random {@code _id} as fast as it is answered, and prints per step the requests, their statuses,
 * latency percentiles and the peak of open database connections next to the proxy's cap (reserved concurrency x
 * (pool + monitor)). A program that prints figures, not a test:
 * {@code mvn -o -q -pl tooling/lab -am verify -DskipTests -DskipITs -Pdata-api-benchmark}.
 */
public final class DataApiStaircaseMain {

    private static final int[] STEPS = {1, 4, 16, 32};
    private static final Duration STEP = Duration.ofSeconds(6);
    private static final int NOTES = 200;

    private DataApiStaircaseMain() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalNotesStack stack = LocalNotesStack.start();
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            String reserved = stack.template().parameters().get("ProxyReservedConcurrency");
            URI findOne = URI.create(stack.baseUrl() + "/action/findOne");
            StringBuilder documents = new StringBuilder();
            for (int i = 0; i < NOTES; i++) {
                documents.append(i == 0 ? "" : ",").append("{\"_id\": \"n").append(i).append("\", \"title\": \"note ")
                        .append(i).append("\"}");
            }
            HttpResponse<String> seeded = http.send(post(URI.create(stack.baseUrl() + "/action/insertMany"),
                    stack.dataApiKey(), "{\"dataSource\": \"local\", \"database\": \"learn-data-api\", \"collection\": \"tasks\","
                            + " \"documents\": [" + documents + "]}"), HttpResponse.BodyHandlers.ofString());
            if (seeded.statusCode() != 200) {
                throw new IllegalStateException("seeding failed: " + seeded.body());
            }
            System.out.printf("Data API staircase, findOne by _id, %d s per step; DB proxy reserved concurrency %s,"
                    + " connection cap %d%n", STEP.toSeconds(), reserved, 2 * Integer.parseInt(reserved));
            System.out.println("callers  requests  200    503    other  p50_ms  p90_ms  p99_ms  peak_connections");
            for (int callers : STEPS) {
                runStep(stack, http, findOne, callers);
            }
        }
    }

    private static void runStep(LocalNotesStack stack, HttpClient http, URI findOne, int callers)
            throws InterruptedException {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ConcurrentHashMap<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long end = System.nanoTime() + STEP.toNanos();
        long peak = 0;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                workers.submit(() -> {
                    while (System.nanoTime() < end) {
                        String body = "{\"dataSource\": \"local\", \"database\": \"learn-data-api\", \"collection\": \"tasks\","
                                + " \"filter\": {\"_id\": \"n" + ThreadLocalRandom.current().nextInt(NOTES) + "\"}}";
                        long started = System.nanoTime();
                        int status;
                        try {
                            status = http.send(post(findOne, stack.dataApiKey(), body),
                                    HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        latencies.add(System.nanoTime() - started);
                        statuses.computeIfAbsent(status, any -> new AtomicLong()).incrementAndGet();
                    }
                    return null;
                });
            }
            while (System.nanoTime() < end) {
                peak = Math.max(peak, stack.embeddedDatabase().connectionStats().current());
                Thread.sleep(50);
            }
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long ok = count(statuses, 200);
        long throttled = count(statuses, 503);
        long other = sorted.size() - ok - throttled;
        System.out.printf("%7d  %8d  %5d  %5d  %5d  %6.1f  %6.1f  %6.1f  %d%n", callers, sorted.size(), ok, throttled,
                other, percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99), peak);
    }

    private static long count(ConcurrentHashMap<Integer, AtomicLong> statuses, int status) {
        AtomicLong count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    private static double percentile(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(quantile * (sorted.size() - 1)))) / 1e6;
    }

    private static HttpRequest post(URI uri, String key, String body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("api-key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
