package dev.dbproxy.lambda.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.InvocationResult.Completed;
import dev.dbproxy.lambda.platform.InvocationResult.FunctionFailed;
import dev.dbproxy.lambda.platform.handlers.EnvironmentProbeHandler;
import dev.dbproxy.lambda.platform.handlers.FailingInitHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Execution environments through the platform's Java API: reuse, cold starts, isolation, limits, reclaim, redeploy. */
class ExecutionEnvironmentsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private LocalLambdaPlatform platform;

    @BeforeEach
    void startPlatform() {
        platform = LocalLambdaPlatform.start(PlatformSettings.builder().accountConcurrencyLimit(50).build());
    }

    @AfterEach
    void stopPlatform() {
        platform.close();
    }

    @Test
    void sequentialInvocations_reuseOneWarmEnvironment() throws Exception {
        deployProbe("probe", ReclaimMode.ABANDON);

        JsonNode first = probe("probe", "{}");
        JsonNode second = probe("probe", "{}");

        assertEquals(first.get("environmentId"), second.get("environmentId"));
        assertEquals(2, second.get("staticInvocations").asInt());
        FunctionMetrics metrics = platform.metrics("probe");
        assertEquals(2, metrics.invocations());
        assertEquals(1, metrics.coldStarts());
        assertEquals(new EnvironmentCounts(1, 0, 0), metrics.environments());
        assertEquals(1, metrics.initDuration().count());
        assertEquals(2, metrics.duration().count());
    }

    @Test
    void concurrentInvocations_coldStartSeparateEnvironmentsThatShareNoStaticState() throws Exception {
        deployProbe("probe", ReclaimMode.ABANDON);

        List<CompletableFuture<InvocationResult>> running = List.of(
                invoke("probe", "{\"sleepMillis\":300}"), invoke("probe", "{\"sleepMillis\":300}"), invoke("probe", "{\"sleepMillis\":300}"));
        Set<String> environments = new HashSet<>();
        Set<String> classLoads = new HashSet<>();
        for (CompletableFuture<InvocationResult> invocation : running) {
            JsonNode output = payload(invocation.get(10, TimeUnit.SECONDS));
            environments.add(output.get("environmentId").asText());
            classLoads.add(output.get("classLoadedAt").asText());
            assertEquals(1, output.get("staticInvocations").asInt(), "static state leaked between environments");
        }

        assertEquals(3, environments.size());
        assertEquals(3, classLoads.size());
        assertEquals(3, platform.metrics("probe").coldStarts());
        assertEquals(3, platform.metrics("probe").peak().busy());
    }

    @Test
    void functionVariables_areInstalledBeforeTheHandlerIsConstructed() throws Exception {
        deployProbe("probe", ReclaimMode.ABANDON);

        JsonNode output = probe("probe", "{}");

        assertEquals("hi", output.get("greeting").asText());
        JsonNode variables = output.get("variables");
        assertEquals("probe", variables.get("AWS_LAMBDA_FUNCTION_NAME").asText());
        assertEquals("256", variables.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText());
        assertEquals("AWS_Lambda_java21", variables.get("AWS_EXECUTION_ENV").asText());
        assertEquals("us-east-1", variables.get("AWS_REGION").asText());
        assertEquals(platform.invokeEndpoint().toString(), variables.get("AWS_ENDPOINT_URL_LAMBDA").asText());
    }

    @Test
    void reservedVariable_isRejectedAtDeploy() {
        FunctionDefinition definition = FunctionDefinition.builder("bad", EnvironmentProbeHandler.class.getName())
                .environmentVariable("AWS_REGION", "eu-west-1").build();

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> platform.deploy(definition));
        assertTrue(error.getMessage().contains("AWS_REGION"), error.getMessage());
    }

    @Test
    void reservedConcurrencyBeyondTheAccountLimit_isRejectedAtDeploy() {
        FunctionDefinition definition = FunctionDefinition.builder("greedy", EnvironmentProbeHandler.class.getName())
                .reservedConcurrency(51).build();

        assertThrows(IllegalArgumentException.class, () -> platform.deploy(definition));
    }

    @Test
    void failingInit_isAFunctionErrorAndLeavesNoEnvironment() throws Exception {
        platform.deploy(FunctionDefinition.builder("broken", FailingInitHandler.class.getName()).build());

        FunctionFailed failed = assertInstanceOf(FunctionFailed.class, invoke("broken", "{}").get(10, TimeUnit.SECONDS));

        JsonNode error = JSON.readTree(failed.errorPayload());
        assertEquals("java.lang.IllegalStateException", error.get("errorType").asText());
        assertEquals("cannot initialize", error.get("errorMessage").asText());
        assertEquals(new EnvironmentCounts(0, 0, 0), platform.environmentCounts("broken"));
        assertEquals(1, platform.metrics("broken").errors());
    }

    @Test
    void unknownHandlerClass_isAFunctionErrorNamingTheClass() throws Exception {
        platform.deploy(FunctionDefinition.builder("missing", "no.such.Handler").build());

        FunctionFailed failed = assertInstanceOf(FunctionFailed.class, invoke("missing", "{}").get(10, TimeUnit.SECONDS));

        assertTrue(new String(failed.errorPayload(), StandardCharsets.UTF_8).contains("no.such.Handler"));
    }

    @Test
    void reclaimIdle_inAbandonMode_keepsTheEnvironmentAsAZombieUntilItsLifetimeEnds() throws Exception {
        deployProbe("probe", ReclaimMode.ABANDON);
        JsonNode before = probe("probe", "{}");

        assertEquals(1, platform.reclaimIdle());

        assertEquals(new EnvironmentCounts(0, 0, 1), platform.environmentCounts("probe"));
        JsonNode after = probe("probe", "{}");
        assertNotEquals(before.get("environmentId"), after.get("environmentId"));
        assertEquals(2, platform.metrics("probe").coldStarts());
        platform.changeZombieLifetime(Duration.ZERO);
        awaitZombies("probe", 0);
        assertEquals(1, platform.metrics("probe").peak().zombie());
    }

    @Test
    void reclaimIdle_inGracefulMode_leavesNoZombie() throws Exception {
        deployProbe("probe", ReclaimMode.GRACEFUL);
        probe("probe", "{}");

        assertEquals(1, platform.reclaimIdle());

        assertEquals(new EnvironmentCounts(0, 0, 0), platform.environmentCounts("probe"));
    }

    @Test
    void reclaimIdle_withAnIdleTime_spareEnvironmentsUsedMoreRecently() throws Exception {
        deployProbe("probe", ReclaimMode.ABANDON);
        probe("probe", "{}");

        assertEquals(0, platform.reclaimIdle(Duration.ofMinutes(1)));
        assertEquals(1, platform.environmentCounts("probe").live());
    }

    @Test
    void idleTimeout_reclaimsEnvironmentsByItself() throws Exception {
        deployProbe("probe", ReclaimMode.GRACEFUL);
        probe("probe", "{}");

        platform.changeIdleTimeout(Duration.ofMillis(100));

        await("every probe environment reclaimed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> platform.environmentCounts("probe").live() == 0);
    }

    @Test
    void redeploy_retiresIdleAndBusyEnvironmentsAndTheNextCallColdStarts() throws Exception {
        deployProbe("probe", ReclaimMode.ABANDON);
        CompletableFuture<InvocationResult> busy = invoke("probe", "{\"sleepMillis\":400}");
        InvokeApiIT.awaitBusy(platform, "probe", 1);
        JsonNode idle = probe("probe", "{}");

        platform.redeploy("probe");

        assertEquals(1, platform.environmentCounts("probe").zombie(), "the idle environment is abandoned at once");

        JsonNode fresh = probe("probe", "{}");
        assertNotEquals(idle.get("environmentId"), fresh.get("environmentId"));
        assertInstanceOf(Completed.class, busy.get(10, TimeUnit.SECONDS));
        EnvironmentCounts counts = platform.environmentCounts("probe");
        assertEquals(1, counts.live(), "only the new deployment's environment may stay live");
        assertEquals(2, counts.zombie(), "the idle and the busy environment of the old deployment are abandoned");
    }

    @Test
    void redeploy_withANewDefinition_usesItFromTheNextCall() throws Exception {
        deployProbe("probe", ReclaimMode.ABANDON);
        probe("probe", "{}");

        platform.deploy(platform.definition("probe").toBuilder().environmentVariable("GREETING", "hello again").build());

        assertEquals("hello again", probe("probe", "{}").get("greeting").asText());
    }

    @Test
    void throttledInvocation_isCountedAndNotRun() throws Exception {
        platform.deploy(FunctionDefinition.builder("capped", EnvironmentProbeHandler.class.getName()).reservedConcurrency(1).build());
        CompletableFuture<InvocationResult> slow = invoke("capped", "{\"sleepMillis\":300}");
        InvokeApiIT.awaitBusy(platform, "capped", 1);

        InvocationResult refused = invoke("capped", "{}").get(10, TimeUnit.SECONDS);

        assertEquals(new InvocationResult.Throttled("ReservedFunctionConcurrentInvocationLimitExceeded"), refused);
        assertInstanceOf(Completed.class, slow.get(10, TimeUnit.SECONDS));
        assertEquals(1, platform.metrics("capped").throttles());
        assertEquals(1, platform.metrics("capped").invocations());
    }

    @Test
    void close_endsEveryEnvironmentAndZombie() throws Exception {
        deployProbe("probe", ReclaimMode.ABANDON);
        probe("probe", "{}");
        platform.reclaimIdle();
        probe("probe", "{}");

        platform.close();

        assertEquals(new EnvironmentCounts(0, 0, 0), platform.environmentCounts("probe"));
        assertInstanceOf(InvocationResult.FunctionNotFound.class, invoke("probe", "{}").get(1, TimeUnit.SECONDS));
    }

    @Test
    void close_endsRunningInvocationsAsFunctionErrors() throws Exception {
        deployProbe("probe", ReclaimMode.ABANDON);
        CompletableFuture<InvocationResult> running = invoke("probe", "{\"sleepMillis\":3000}");
        InvokeApiIT.awaitBusy(platform, "probe", 1);

        platform.close();

        FunctionFailed failed = assertInstanceOf(FunctionFailed.class, running.get(5, TimeUnit.SECONDS));
        assertTrue(new String(failed.errorPayload(), StandardCharsets.UTF_8).contains("closed"));
    }

    private void deployProbe(String name, ReclaimMode mode) {
        platform.deploy(FunctionDefinition.builder(name, EnvironmentProbeHandler.class.getName())
                .memoryMb(256)
                .timeout(Duration.ofSeconds(5))
                .environmentVariable("GREETING", "hi")
                .reclaimMode(mode)
                .build());
    }

    private CompletableFuture<InvocationResult> invoke(String function, String payload) {
        return platform.invoke(function, payload.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode probe(String function, String payload) throws Exception {
        return payload(invoke(function, payload).get(10, TimeUnit.SECONDS));
    }

    private static JsonNode payload(InvocationResult result) throws Exception {
        return JSON.readTree(assertInstanceOf(Completed.class, result).payload());
    }

    private void awaitZombies(String function, int zombies) {
        await(zombies + " zombie environments of " + function).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> platform.environmentCounts(function).zombie() == zombies);
    }
}
