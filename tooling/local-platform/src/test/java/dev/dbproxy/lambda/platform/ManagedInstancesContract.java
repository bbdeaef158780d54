package dev.dbproxy.lambda.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory;
import dev.dbproxy.lambda.platform.handlers.ConcurrencyProbeHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ThrottleReason;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * What a function on managed instances does, through the real AWS SDK against the Invoke API, for one kind of
 * execution environment: many invocations at once in one environment on their own threads with one handler object,
 * the per-environment maximum respected, a refusal as Lambda's 429 beyond the capacity, a new environment when the
 * running ones are busy, and a graceful shutdown of idle ones above the minimum.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class ManagedInstancesContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HOLD = Duration.ofMillis(1500);

    private AutoCloseable factoryToClose;
    LocalLambdaPlatform platform;
    private LambdaAsyncClient lambda;
    Path markers;

    /** The environments under test; closed after the platform when it is {@link AutoCloseable}. */
    abstract ExecutionEnvironmentFactory environmentFactory();

    /** The function's deployment package, empty for this JVM's class path. */
    abstract List<Path> classPath();

    @BeforeAll
    void start() throws IOException {
        ExecutionEnvironmentFactory factory = environmentFactory();
        factoryToClose = factory instanceof AutoCloseable closeable ? closeable : null;
        platform = LocalLambdaPlatform.start(PlatformSettings.defaults(), factory);
        lambda = LambdaClients.withoutRetries(platform.invokeEndpoint());
        markers = Files.createTempDirectory("managed-instances-markers-");
    }

    @AfterAll
    void stop() throws Exception {
        lambda.close();
        platform.close();
        if (factoryToClose != null) {
            factoryToClose.close();
        }
    }

    /** Deploys the probe on managed instances: one vCPU per environment, the given slots and environment bounds. */
    void deployProbe(String name, int maxConcurrency, int minEnvironments, int maxEnvironments) {
        deployProbe(name, maxConcurrency, minEnvironments, maxEnvironments, Duration.ofSeconds(20));
    }

    private void deployProbe(String name, int maxConcurrency, int minEnvironments, int maxEnvironments, Duration timeout) {
        platform.deploy(FunctionDefinition.builder(name, ConcurrencyProbeHandler.class.getName())
                .memoryMb(2048)
                .timeout(timeout)
                .environmentVariable("MARKER_DIR", markers.toString())
                .classPath(classPath())
                .compute(ManagedInstances.builder("probe-capacity", 64)
                        .perEnvironmentMaxConcurrency(maxConcurrency)
                        .minEnvironments(minEnvironments)
                        .maxEnvironments(maxEnvironments)
                        .targetUtilization(0.5)
                        .build())
                .build());
    }

    CompletableFuture<InvokeResponse> hold(String name) {
        return lambda.invoke(request -> request.functionName(name)
                .payload(SdkBytes.fromUtf8String("{\"holdMillis\":" + HOLD.toMillis() + "}")));
    }

    static JsonNode answer(CompletableFuture<InvokeResponse> response) throws Exception {
        InvokeResponse invoked = response.get(30, TimeUnit.SECONDS);
        assertNull(invoked.functionError(), () -> invoked.payload().asUtf8String());
        return JSON.readTree(invoked.payload().asUtf8String());
    }

    @Test
    void concurrentInvocations_runAtOnceInOneEnvironment_onTheirOwnThreadsWithOneHandlerObject() throws Exception {
        deployProbe("together", 6, 1, 1);
        List<CompletableFuture<InvokeResponse>> responses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            responses.add(hold("together"));
        }
        Set<String> handlers = new HashSet<>();
        Set<String> threads = new HashSet<>();
        for (CompletableFuture<InvokeResponse> response : responses) {
            JsonNode answer = answer(response);
            handlers.add(answer.get("instanceId").asText());
            threads.add(answer.get("thread").asText());
            assertEquals("6", answer.get("maxConcurrency").asText(), "AWS_LAMBDA_MAX_CONCURRENCY");
        }
        assertEquals(1, handlers.size(), "one handler object served them all: " + handlers);
        assertEquals(6, threads.size(), "each ran on its own thread: " + threads);
        FunctionMetrics metrics = platform.metrics("together");
        assertEquals(6, metrics.managedInstances().peakConcurrentInvocationsPerEnvironment());
        assertEquals(1, metrics.managedInstances().environmentsStarted());
        assertEquals(0, metrics.coldStarts(), "no invocation waited for an environment");
        assertTrue(metrics.managedInstances().vCpuSeconds() > 0, "vCPU-seconds accrue: " + metrics.managedInstances());
    }

    @Test
    void anInvocationBeyondTheCapacity_isRefusedAsLambdaRefusesIt() throws Exception {
        deployProbe("full", 2, 1, 1);
        List<CompletableFuture<InvokeResponse>> held = List.of(hold("full"), hold("full"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> platform.metrics("full").managedInstances().peakConcurrentInvocationsPerEnvironment() == 2);

        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> lambda.invoke(request -> request.functionName("full").payload(SdkBytes.fromUtf8String("{}"))).join());

        TooManyRequestsException throttled = assertInstanceOf(TooManyRequestsException.class, refused.getCause());
        assertEquals(429, throttled.statusCode());
        assertEquals(ThrottleReason.CONCURRENT_INVOCATION_LIMIT_EXCEEDED, throttled.reason());
        for (CompletableFuture<InvokeResponse> response : held) {
            answer(response);
        }
        assertEquals(1, platform.metrics("full").throttles());
        assertEquals(2, platform.metrics("full").managedInstances().peakConcurrentInvocationsPerEnvironment(),
                "never more than the maximum at once");
    }

    @Test
    void aTimedOutInvocation_fails_butItsEnvironmentKeepsRunningItAndServesOthers() throws Exception {
        deployProbe("slow", 2, 1, 1, Duration.ofSeconds(1));
        InvokeResponse timedOut = lambda.invoke(request -> request.functionName("slow")
                .payload(SdkBytes.fromUtf8String("{\"holdMillis\":4000}"))).get(30, TimeUnit.SECONDS);

        assertEquals("Unhandled", timedOut.functionError());
        assertEquals("Sandbox.Timedout", JSON.readTree(timedOut.payload().asUtf8String()).get("errorType").asText());
        assertEquals(1, platform.environmentCounts("slow").busy(), "the handler still runs: Lambda does not stop it");
        await().atMost(Duration.ofSeconds(10)).until(() -> platform.environmentCounts("slow").busy() == 0);
        InvokeResponse next = lambda.invoke(request -> request.functionName("slow")
                .payload(SdkBytes.fromUtf8String("{}"))).get(30, TimeUnit.SECONDS);
        assertNull(next.functionError(), () -> next.payload().asUtf8String());
        assertEquals(1, platform.metrics("slow").managedInstances().environmentsStarted(), "the environment stayed");
    }

    @Test
    void busyEnvironments_startAnother_andIdleOnesAboveTheMinimum_shutDownGracefully() throws Exception {
        deployProbe("scaling", 2, 1, 2);
        assertEquals(1, platform.environmentCounts("scaling").live());
        List<CompletableFuture<InvokeResponse>> held = List.of(hold("scaling"), hold("scaling"));
        await().atMost(Duration.ofSeconds(20)).until(() -> platform.environmentCounts("scaling").live() == 2);
        Set<String> handlers = new HashSet<>();
        for (CompletableFuture<InvokeResponse> response : held) {
            handlers.add(answer(response).get("instanceId").asText());
        }
        List<CompletableFuture<InvokeResponse>> spread = List.of(hold("scaling"), hold("scaling"), hold("scaling"));
        for (CompletableFuture<InvokeResponse> response : spread) {
            handlers.add(answer(response).get("instanceId").asText());
        }
        assertEquals(2, handlers.size(), "the second environment took invocations: " + handlers);
        assertEquals(2, platform.metrics("scaling").managedInstances().environmentsStarted());

        assertEquals(1, platform.reclaimIdle(), "one environment above the minimum shuts down");
        assertEquals(0, platform.reclaimIdle(), "the minimum stays");
        assertEquals(1, platform.environmentCounts("scaling").live());
        await().atMost(Duration.ofSeconds(10)).until(() -> handlers.stream()
                .anyMatch(handler -> Files.exists(markers.resolve("closed-" + handler))));
    }
}
