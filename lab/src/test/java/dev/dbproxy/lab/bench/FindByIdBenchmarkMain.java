package dev.dbproxy.lab.bench;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.port.NoteRepositories;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/**
 * Prints p50/p99 of "find one note by id" through the raw reactive driver (the floor), the direct adapter, the
 * Lambda-proxy adapter (SDK → local platform → proxy handler → embedded MongoDB), and a warm no-op invoke through an
 * SDK client configured like the adapter's (the hop's floor), measured side by side in one run, with the issue's
 * ratios and where the proxy adapter's time goes (a hand-written request invoked directly separates the proxy
 * function's share from the adapter's); then how many proxy invocations 10 concurrent {@code findById} calls cost.
 */
public final class FindByIdBenchmarkMain {

    private static final int WARMUP = 2_000;
    private static final int MEASURED = 5_000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private FindByIdBenchmarkMain() {
    }

    public static void main(String[] args) {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                LocalLambdaPlatform platform = LocalLambdaPlatform.start();
                MongoClient raw = MongoClients.create(db.connectionString())) {
            platform.deploy(FunctionDefinition.builder("db-proxy", "dev.dbproxy.proxy.handler.DbProxyHandler")
                    .memoryMb(512).timeout(Duration.ofSeconds(6))
                    .environmentVariable("MONGODB_URI", db.connectionString())
                    .environmentVariable("PROXY_ALLOWED_DATABASE", "notes")
                    .environmentVariable("PROXY_ALLOWED_COLLECTIONS", "notes")
                    .environmentVariable("PROXY_ALLOWED_ACTIONS", "find,findOne,countDocuments,insertOne")
                    .build());
            platform.deploy(FunctionDefinition.builder("no-op", NoOpStreamHandler.class.getName()).build());
            String endpoint = platform.invokeEndpoint().toString();
            Map<String, String> common = Map.of("MONGODB_URI", db.connectionString(),
                    "NOTES_PROXY_FUNCTION", "db-proxy", "AWS_ENDPOINT_URL_LAMBDA", endpoint,
                    "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local");
            try (NoteRepository direct = repository("direct", common);
                    NoteRepository proxy = repository("lambda-proxy", common);
                    LambdaAsyncClient lambda = sdkClient(URI.create(endpoint))) {
                Note note = direct.create(new Note(NoteId.generate(), "benchmark", "", Instant.now(), Instant.now()))
                        .block(WAIT);
                ObjectId id = new ObjectId(note.id().value());
                var collection = raw.getDatabase("notes").getCollection("notes");
                SdkBytes findOneRequest = SdkBytes.fromUtf8String(findOneRequestJson(note.id()));

                for (int round = 0; round < 2; round++) {
                    double[] rawDriver = measure(() -> Mono.from(collection.find(Filters.eq("_id", id)).first()));
                    double[] directAdapter = measure(() -> direct.findById(note.id()));
                    double[] proxyAdapter = measure(() -> proxy.findById(note.id()));
                    double[] noOpInvoke = measure(() -> Mono.fromFuture(() -> lambda.invoke(request -> request
                            .functionName("no-op").payload(SdkBytes.fromUtf8String("{}")))));
                    double[] proxyInvoke = measure(() -> Mono.fromFuture(() -> lambda.invoke(request -> request
                            .functionName("db-proxy").payload(findOneRequest))));
                    System.out.printf("round %d (%d measured after %d warm-up)%n", round + 1, MEASURED, WARMUP);
                    print("raw driver findOne", rawDriver);
                    print("direct adapter findById", directAdapter);
                    print("proxy adapter findById", proxyAdapter);
                    print("no-op invoke (same SDK setup)", noOpInvoke);
                    print("proxy invoke, hand-written JSON", proxyInvoke);
                    System.out.printf("  direct / raw at p50: %.2f (goal <= 1.10)%n", directAdapter[0] / rawDriver[0]);
                    System.out.printf("  (proxy - direct) / no-op at p50: %.2f (goal <= 1.5)%n",
                            (proxyAdapter[0] - directAdapter[0]) / noOpInvoke[0]);
                    System.out.printf("  where the proxy adapter's p50 goes: hop %.3f ms (no-op invoke), proxy function"
                            + " %.3f ms (its invoke minus the no-op), adapter %.3f ms (minus its invoke)%n",
                            noOpInvoke[0], proxyInvoke[0] - noOpInvoke[0], proxyAdapter[0] - proxyInvoke[0]);
                }
                long before = platform.metrics("db-proxy").invocations();
                Flux.range(0, 10).flatMap(i -> proxy.findById(note.id())).blockLast(WAIT);
                Mono.delay(Duration.ofMillis(200)).block();
                System.out.printf("10 concurrent findById -> %d proxy invocation(s)%n",
                        platform.metrics("db-proxy").invocations() - before);
            }
        }
        System.exit(0);
    }

    private static NoteRepository repository(String strategy, Map<String, String> common) {
        Map<String, String> env = new java.util.HashMap<>(common);
        env.put("NOTES_REPOSITORY", strategy);
        return NoteRepositories.fromEnvironment(env);
    }

    /** The request the adapter sends for {@code findById}, written by hand as in {@code PROTOCOL.md}. */
    private static String findOneRequestJson(NoteId id) {
        return "{\"version\":1,\"requestId\":\"benchmark\",\"deadlineEpochMillis\":"
                + Instant.now().plus(Duration.ofDays(1)).toEpochMilli()
                + ",\"ordered\":false,\"extendedJsonMode\":\"canonical\",\"operations\":[{\"action\":\"findOne\","
                + "\"database\":\"notes\",\"collection\":\"notes\",\"filter\":{\"_id\":{\"$oid\":\"" + id.value()
                + "\"}}}]}";
    }

    private static LambdaAsyncClient sdkClient(URI endpoint) {
        return LambdaAsyncClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroupBuilder(SdkEventLoopGroup.builder().numberOfThreads(1)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** p50 and p99 in milliseconds of sequential calls. */
    private static double[] measure(Supplier<Mono<?>> call) {
        for (int i = 0; i < WARMUP; i++) {
            call.get().block(WAIT);
        }
        long[] nanos = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long started = System.nanoTime();
            call.get().block(WAIT);
            nanos[i] = System.nanoTime() - started;
        }
        Arrays.sort(nanos);
        return new double[] {nanos[MEASURED / 2] / 1e6, nanos[(int) (MEASURED * 0.99)] / 1e6};
    }

    private static void print(String label, double[] percentiles) {
        System.out.printf("  %-32s p50 %7.3f ms   p99 %7.3f ms%n", label, percentiles[0], percentiles[1]);
    }
}
