package dev.dbproxy.proxy.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.client.DbProxyException.Kind;
import dev.dbproxy.proxy.client.internal.JdkAsyncHttpClient;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * Calls of different invocations sharing proxy invocations, as the threads of one Lambda Managed Instances environment
 * would, on the real path: the real AWS SDK to the local platform's Invoke API, the real {@code DbProxyHandler} and
 * the embedded MongoDB. The SDK asks Lambda for each invocation's log tail (an execution interceptor), so the test
 * reads the proxy's own log lines.
 */
class CoalescingAcrossInvocationsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PROXY = "shared-proxy";
    private static final List<String> IDS = List.of("665f1c2e8a1b2c3d4e5f6a01", "665f1c2e8a1b2c3d4e5f6a02",
            "665f1c2e8a1b2c3d4e5f6a03");

    private static EmbeddedMongoDb db;
    private static LocalLambdaPlatform platform;
    private static LambdaAsyncClient lambda;
    private static final List<String> proxyLogs = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStack() {
        db = EmbeddedMongoDb.start();
        platform = LocalLambdaPlatform.start();
        platform.deploy(ShopOrdersProxy.builder(PROXY, db, "find,findOne,countDocuments,insertOne,insertMany")
                .build());
        lambda = LambdaAsyncClient.builder()
                .endpointOverride(platform.invokeEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(JdkAsyncHttpClient.builder(Duration.ofSeconds(2), Duration.ofSeconds(30)))
                .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(new LogTails()))
                .build();
        try (DbProxyClient seeding = client(false, Duration.ZERO)) {
            ProxyCollection orders = seeding.database("shop").collection("orders");
            IDS.forEach(id -> orders.insertOne(JSON.objectNode().<ObjectNode>set("_id", ExtendedJson.objectId(id))
                    .put("customer", "customer of " + id)).block(WAIT));
        }
    }

    @AfterAll
    static void stopStack() {
        lambda.close();
        platform.close();
        db.close();
    }

    private static DbProxyClient client(boolean acrossInvocations, Duration window) {
        DbProxySettings settings = DbProxySettings.forFunction(PROXY).withBatchWindow(window)
                .withCoalesceAcrossInvocations(acrossInvocations);
        return DbProxyClient.create(settings, lambda);
    }

    private static Mono<String> customerOf(ProxyCollection orders, String id, InvocationContext invocation) {
        return orders.findOne(JSON.objectNode().set("_id", ExtendedJson.objectId(id)))
                .map(found -> invocation.requestId() + ":" + found.get("customer").asText())
                .contextWrite(invocation::into);
    }

    @Test
    void concurrentCallsOfThreeInvocations_shareOneProxyInvocation_eachGetsItsOwnResult_andTheLogNamesEveryCaller() {
        try (DbProxyClient proxy = client(true, Duration.ofMillis(200))) {
            ProxyCollection orders = proxy.database("shop").collection("orders");
            long invocationsBefore = platform.metrics(PROXY).invocations();

            List<String> answers = Flux.range(0, 3)
                    .flatMap(i -> customerOf(orders, IDS.get(i), InvocationContext.of("invocation-" + i, 10_000)))
                    .collectSortedList().block(WAIT);

            assertEquals(List.of("invocation-0:customer of " + IDS.get(0), "invocation-1:customer of " + IDS.get(1),
                    "invocation-2:customer of " + IDS.get(2)), answers);
            assertEquals(1, platform.metrics(PROXY).invocations() - invocationsBefore);
            assertEquals(1, proxy.metrics().coalescedInvocations());
            JsonNode line = requestLine("invocation-0/");
            assertEquals(3, line.path("callers").asInt(), line::toString);
            assertEquals(List.of("invocation-0/", "invocation-1/", "invocation-2/"),
                    MAPPER.convertValue(line.path("callerRequestIds"), List.class).stream()
                            .map(id -> id.toString().substring(0, id.toString().indexOf('/') + 1)).sorted().toList());
        }
    }

    @Test
    void withoutSharing_callsOfDifferentInvocationsNeverShare_andInterleavedOnesStillCoalescePerInvocation() {
        try (DbProxyClient proxy = client(false, Duration.ofMillis(200))) {
            ProxyCollection orders = proxy.database("shop").collection("orders");
            InvocationContext first = InvocationContext.of("first", 10_000);
            InvocationContext second = InvocationContext.of("second", 10_000);
            long invocationsBefore = platform.metrics(PROXY).invocations();

            List<String> answers = Flux.merge(customerOf(orders, IDS.get(0), first),
                    customerOf(orders, IDS.get(1), second), customerOf(orders, IDS.get(2), first),
                    customerOf(orders, IDS.get(0), second)).collectSortedList().block(WAIT);

            assertEquals(4, answers.size());
            assertTrue(answers.contains("second:customer of " + IDS.get(1)), answers::toString);
            assertEquals(2, platform.metrics(PROXY).invocations() - invocationsBefore,
                    "one proxy invocation per invocation, though their calls were interleaved");
            assertEquals(2, proxy.metrics().coalescedInvocations());
        }
    }

    @Test
    void aCallerWhoseDeadlinePassesWhileTheBatchForms_getsTimeout_andIsNotSent_whileAnotherCallersCallSucceeds() {
        // The batch leaves 300 ms after its first call, past the near caller's deadline, 100 ms after it called.
        try (DbProxyClient proxy = client(true, Duration.ofMillis(300))) {
            ProxyCollection orders = proxy.database("shop").collection("orders");
            InvocationContext far = InvocationContext.of("far-caller", 10_000);
            InvocationContext near = new InvocationContext("near-caller", Instant.now().plusMillis(100));
            long invocationsBefore = platform.metrics(PROXY).invocations();
            long operationsBefore = proxy.metrics().operations();

            Mono<String> farAnswer = customerOf(orders, IDS.get(0), far).cache();
            Mono<String> nearAnswer = customerOf(orders, IDS.get(1), near).cache();
            farAnswer.subscribe(answer -> { }, error -> { });
            nearAnswer.subscribe(answer -> { }, error -> { });

            DbProxyException timeout = assertThrows(DbProxyException.class, () -> nearAnswer.block(WAIT));
            assertEquals(Kind.TIMEOUT, timeout.kind(), timeout.getMessage());
            assertEquals("far-caller:customer of " + IDS.get(0), farAnswer.block(WAIT));
            assertEquals(1, platform.metrics(PROXY).invocations() - invocationsBefore, "one invocation");
            assertEquals(1, proxy.metrics().operations() - operationsBefore, "only the far caller's operation was sent");
        }
    }

    /** The proxy's one "request completed" line whose callers include an id starting with {@code callerIdPrefix}. */
    private static JsonNode requestLine(String callerIdPrefix) {
        List<JsonNode> lines = proxyLogs.stream().flatMap(String::lines).filter(line -> line.startsWith("{"))
                .map(CoalescingAcrossInvocationsIT::json)
                .filter(line -> line.path("message").asText().equals("request completed"))
                .filter(line -> line.path("callerRequestIds").toString().contains("\"" + callerIdPrefix))
                .toList();
        assertEquals(1, lines.size(), proxyLogs::toString);
        return lines.getFirst();
    }

    private static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asks for the log tail of every invocation and keeps it: the proxy's log lines, as Lambda returns them. */
    private static final class LogTails implements ExecutionInterceptor {

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            return context.request() instanceof InvokeRequest invoke && invoke.invocationTypeAsString() != null
                    && invoke.invocationTypeAsString().equals("RequestResponse")
                    ? invoke.toBuilder().logType(LogType.TAIL).build() : context.request();
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof InvokeResponse invoked && invoked.logResult() != null) {
                proxyLogs.add(new String(Base64.getDecoder().decode(invoked.logResult()), StandardCharsets.UTF_8));
            }
        }
    }
}
