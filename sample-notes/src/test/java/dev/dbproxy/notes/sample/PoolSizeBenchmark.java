package dev.dbproxy.notes.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.environment.InvocationConcurrency;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.core.port.NoteRepositories;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the direct strategy's pool size costs in latency when one environment runs 64 invocations at once (Lambda
 * Managed Instances, {@code AWS_LAMBDA_MAX_CONCURRENCY=64}): one {@link GetNoteHandler} object, 64 threads each
 * invoking it back to back, against the embedded MongoDB, for the default pool (one connection per 32 concurrent
 * invocations: 2) and larger pools, in one run. Prints per pool size the invocations' p50 and p99 latency, throughput
 * and the connections the server saw created, with ratios to the default pool. The embedded server runs in this JVM
 * and shares its CPUs, so the figures say how the pools compare on one machine, not what a remote database gives.
 *
 * <p>Run: {@code mvn -q -pl sample-notes -am test-compile -DskipTests} then {@code java -cp
 * "sample-notes/target/test-classes:sample-notes/target/classes:$(cat /tmp/notes-cp)"
 * dev.dbproxy.notes.sample.PoolSizeBenchmark [invocations per thread]}, with the class path written by
 * {@code mvn -q -pl sample-notes dependency:build-classpath -Dmdep.outputFile=/tmp/notes-cp}.
 */
public final class PoolSizeBenchmark {

    private static final int THREADS = 64;
    private static final int[] POOL_SIZES = {2, 1, 8, 64};

    private PoolSizeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int perThread = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        System.out.printf(Locale.ROOT, "%d threads x %d invocations of one GetNoteHandler, direct strategy%n",
                THREADS, perThread);
        System.out.printf(Locale.ROOT, "%-10s %9s %9s %12s %12s %9s %9s%n", "pool", "p50 ms", "p99 ms", "invocations/s",
                "connections", "p50/def", "p99/def");
        double[] baseline = null;
        for (int round = 0; round < 2; round++) {
            for (int poolSize : POOL_SIZES) {
                double[] figures = measure(poolSize, perThread);
                if (round == 0) {
                    continue; // the first round warms the JIT up for every pool size
                }
                if (baseline == null) {
                    baseline = figures;
                }
                System.out.printf(Locale.ROOT, "%-10s %9.2f %9.2f %12.0f %12.0f %9.2f %9.2f%n",
                        poolSize == 2 ? "2 (rule)" : Integer.toString(poolSize), figures[0], figures[1], figures[2],
                        figures[3], figures[0] / baseline[0], figures[1] / baseline[1]);
            }
        }
    }

    /** p50 ms, p99 ms, invocations per second, connections created. */
    private static double[] measure(int poolSize, int perThread) throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start()) {
            NoteRepository repository = NoteRepositories.fromEnvironment(Map.of("NOTES_REPOSITORY", "direct",
                    "MONGODB_URI", db.connectionString(), "MONGODB_MAX_POOL_SIZE", Integer.toString(poolSize),
                    InvocationConcurrency.MAX_CONCURRENCY, Integer.toString(THREADS)),
                    PoolSizeBenchmark.class.getClassLoader());
            NotesFunctionConfiguration configuration = new NotesFunctionConfiguration(repository, "direct");
            String id = new ObjectMapper().readTree(new CreateNoteHandler(configuration, Clock.systemUTC()).handleRequest(
                    ApiGatewayEvents.load("create-note", Map.of("body", "{\"title\":\"benchmark\"}")),
                    new RecordingContext()).getBody()).path("id").asText();
            GetNoteHandler get = new GetNoteHandler(configuration, Clock.systemUTC());
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<long[]>> running = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    int index = thread;
                    running.add(threads.submit(() -> {
                        start.await();
                        long[] nanos = new long[perThread];
                        for (int call = 0; call < perThread; call++) {
                            RecordingContext context = new RecordingContext("bench-" + index + "-" + call,
                                    Instant.now().plusSeconds(30));
                            long began = System.nanoTime();
                            int status = get.handleRequest(ApiGatewayEvents.load("get-note", Map.of("id", id)),
                                    context).getStatusCode();
                            nanos[call] = System.nanoTime() - began;
                            if (status != 200) {
                                throw new IllegalStateException("answered " + status);
                            }
                        }
                        return nanos;
                    }));
                }
                long began = System.nanoTime();
                start.countDown();
                long[] all = new long[THREADS * perThread];
                int at = 0;
                for (Future<long[]> thread : running) {
                    long[] nanos = thread.get(10, TimeUnit.MINUTES);
                    System.arraycopy(nanos, 0, all, at, nanos.length);
                    at += nanos.length;
                }
                double seconds = (System.nanoTime() - began) / 1e9;
                Arrays.sort(all);
                return new double[] {all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                        all.length / seconds, db.connectionStats().totalCreated()};
            } finally {
                threads.shutdownNow();
                repository.close();
            }
        }
    }
}
