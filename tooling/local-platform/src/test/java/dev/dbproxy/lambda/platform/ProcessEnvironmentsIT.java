package dev.dbproxy.lambda.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.InvocationResult.Completed;
import dev.dbproxy.lambda.platform.InvocationResult.FunctionFailed;
import dev.dbproxy.lambda.platform.handlers.FailingInitHandler;
import dev.dbproxy.lambda.platform.handlers.ProcessProbeHandler;
import dev.dbproxy.lambda.platform.handlers.SlowInitHandler;
import dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * Process environments against the real AWS Lambda runtime interface client: one JVM per environment, reused while
 * warm and stopped between invocations, with Lambda's variables, heap and log tail; init errors, timeouts and crashes
 * end the process and the next invocation starts a new one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessEnvironmentsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE = ProcessProbeHandler.class.getName();

    private static ProcessEnvironmentFactory factory;
    private static LocalLambdaPlatform platform;
    private static LambdaAsyncClient lambda;

    @BeforeAll
    static void start() {
        factory = ProcessEnvironmentFactory.create();
        platform = LocalLambdaPlatform.start(PlatformSettings.defaults(), factory);
        lambda = LambdaClients.withoutRetries(platform.invokeEndpoint());
        deploy("probe", PROBE, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        lambda.close();
        platform.close();
        factory.close();
        assertEquals(0, factory.aliveProcesses(), "no environment process may outlive the platform");
    }

    private static void deploy(String name, String handler, Duration timeout) {
        platform.deploy(FunctionDefinition.builder(name, handler)
                .memoryMb(256)
                .timeout(timeout)
                .environmentVariable("JAVA_TOOL_OPTIONS", "-Dprobe.flag=1")
                .classPath(List.of(ProcessTaskRoot.get()))
                .build());
    }

    private static InvocationResult invoke(String name, String payload) throws Exception {
        return platform.invoke(name, payload.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
    }

    private static JsonNode completed(InvocationResult result) throws Exception {
        Completed completed = assertInstanceOf(Completed.class, result, () -> result instanceof FunctionFailed failed
                ? new String(failed.errorPayload(), StandardCharsets.UTF_8) + failed.logTail() : result.toString());
        return JSON.readTree(completed.payload());
    }

    private static String errorType(InvocationResult result) throws Exception {
        FunctionFailed failed = assertInstanceOf(FunctionFailed.class, result, () -> result.toString());
        return JSON.readTree(failed.errorPayload()).path("errorType").asText();
    }

    @Test
    void invocation_runsTheHandlerInItsOwnStoppedBetweenInvocationsJvm() throws Exception {
        InvokeResponse response = lambda.invoke(request -> request.functionName("probe").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"print\":\"hello from the runtime\"}"))).get(30, TimeUnit.SECONDS);
        JsonNode first = JSON.readTree(response.payload().asByteArray());
        JsonNode second = completed(invoke("probe", "{}"));

        long pid = first.path("pid").asLong();
        assertNotEquals(ProcessHandle.current().pid(), pid);
        assertEquals(pid, second.path("pid").asLong(), "a warm environment is reused");
        assertEquals('T', ProcessLiveness.stateAfterWaiting(pid, 'T'), "an idle environment is stopped (SIGSTOP)");
        assertEquals("probe", first.path("functionName").asText());
        assertEquals("256", first.path("memorySize").asText());
        assertEquals("AWS_Lambda_java21", first.path("executionEnv").asText());
        assertEquals("-Dprobe.flag=1", first.path("javaToolOptions").asText());
        assertEquals(platform.functionArn("probe"), first.path("invokedFunctionArn").asText());
        assertTrue(first.path("remainingMillis").asLong() > 5_000 && first.path("remainingMillis").asLong() <= 10_000);
        assertTrue(first.path("maxHeapBytes").asLong() <= 256L * 1024 * 1024 * 85 / 100, "heap sized from MemorySize");
        assertTrue(first.path("classPath").asText().contains("aws-lambda-java-runtime-interface-client"));
        String log = new String(java.util.Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertTrue(log.contains("hello from the runtime"), log);
        assertTrue(log.contains("Init Duration"), log);
        assertTrue(log.matches("(?s).*Max Memory Used: [1-9][0-9]{1,2} MB.*") && !log.contains("Max Memory Used: 256 MB"),
                "the process's own peak memory: " + log);
    }

    @Test
    void initError_isTheRuntimesFunctionErrorAndTheNextInvocationStartsAgain() throws Exception {
        deploy("broken", FailingInitHandler.class.getName(), Duration.ofSeconds(10));

        InvocationResult first = invoke("broken", "{}");
        InvocationResult second = invoke("broken", "{}");

        assertEquals("java.lang.IllegalStateException", errorType(first));
        assertTrue(new String(((FunctionFailed) first).errorPayload(), StandardCharsets.UTF_8).contains("cannot initialize"));
        assertEquals("java.lang.IllegalStateException", errorType(second));
        assertEquals(2, platform.metrics("broken").coldStarts());
        assertEquals(0, platform.environmentCounts("broken").live());
    }

    @Test
    void initOverTenSeconds_isSandboxTimedoutAndItsProcessIsKilled() throws Exception {
        deploy("slow-init", SlowInitHandler.class.getName(), Duration.ofSeconds(3));
        long started = System.nanoTime();

        var running = platform.invoke("slow-init", "{}".getBytes(StandardCharsets.UTF_8));
        List<Long> initializing = List.of();
        while (initializing.isEmpty() && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(8)) {
            Thread.sleep(50);
            initializing = ProcessLiveness.environmentsOf("slow-init");
        }
        InvocationResult timedOut = running.get(30, TimeUnit.SECONDS);

        assertEquals("Sandbox.Timedout", errorType(timedOut));
        assertTrue(System.nanoTime() - started >= TimeUnit.SECONDS.toNanos(10), "Lambda's init limit is 10 s");
        assertEquals(1, initializing.size(), "one process was initializing");
        assertFalse(ProcessLiveness.aliveAfterWaiting(initializing.get(0)), "the process whose init timed out is killed");
        assertEquals(0, platform.environmentCounts("slow-init").live());
    }

    @Test
    void timeout_killsTheProcessAndTheNextInvocationRunsInANewOne() throws Exception {
        deploy("slow", PROBE, Duration.ofMillis(1500));
        long before = completed(invoke("slow", "{}")).path("pid").asLong();

        InvocationResult timedOut = invoke("slow", "{\"sleepMillis\":5000}");
        long after = completed(invoke("slow", "{}")).path("pid").asLong();

        assertEquals("Sandbox.Timedout", errorType(timedOut));
        assertFalse(ProcessLiveness.aliveAfterWaiting(before), "the timed-out process is killed");
        assertNotEquals(before, after);
    }

    @Test
    void processDyingMidInvocation_isARuntimeExitErrorAndTheEnvironmentIsReplaced() throws Exception {
        deploy("crashing", PROBE, Duration.ofSeconds(10));
        long before = completed(invoke("crashing", "{}")).path("pid").asLong();

        InvocationResult crashed = invoke("crashing", "{\"exitStatus\":3}");
        long after = completed(invoke("crashing", "{}")).path("pid").asLong();

        assertEquals("Runtime.ExitError", errorType(crashed));
        assertTrue(new String(((FunctionFailed) crashed).errorPayload(), StandardCharsets.UTF_8).contains("exit status 3"));
        assertNotEquals(before, after);
        assertEquals(1, platform.environmentCounts("crashing").live());
    }

    @Test
    void responseOverSixMegabytes_isResponseSizeTooLargeAndTheNextInvocationWorks() throws Exception {
        deploy("large", PROBE, Duration.ofSeconds(10));

        InvocationResult tooLarge = invoke("large", "{\"responseBytes\":6300000}");

        assertEquals("Function.ResponseSizeTooLarge", errorType(tooLarge));
        completed(invoke("large", "{}"));
    }
}
