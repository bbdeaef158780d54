package dev.dbproxy.lambda.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.handlers.SnapStartProbeHandler;
import dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.SnapStartException;

/**
 * SnapStart in process environments, through the real AWS SDK and the real runtime interface client: a deployment
 * initializes one environment ahead (as Lambda does when it publishes a version), whose runtime runs the function's
 * {@code beforeCheckpoint} hooks at the end of its init and waits, stopped, in {@code restore/next}; the first
 * invocation restores that environment (its {@code afterRestore} hooks), which the REPORT line and the metrics
 * show as the restore, not as an init; a failing {@code afterRestore} refuses the invocation with
 * {@code SnapStartException}, as Lambda does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SnapStartRestoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProcessEnvironmentFactory factory;
    private static LocalLambdaPlatform platform;
    private static LambdaAsyncClient lambda;

    @BeforeAll
    static void start() {
        factory = ProcessEnvironmentFactory.create();
        platform = LocalLambdaPlatform.start(PlatformSettings.defaults(), factory);
        lambda = LambdaClients.withoutRetries(platform.invokeEndpoint());
    }

    @AfterAll
    static void stop() {
        lambda.close();
        platform.close();
        factory.close();
    }

    private static void deploy(String name, boolean failAfterRestore) {
        platform.deploy(FunctionDefinition.builder(name, SnapStartProbeHandler.class.getName())
                .memoryMb(256)
                .timeout(Duration.ofSeconds(10))
                .snapStart(true)
                .environmentVariable("PROBE_FAIL_AFTER_RESTORE", Boolean.toString(failAfterRestore))
                .classPath(List.of(ProcessTaskRoot.get()))
                .build());
    }

    private static InvokeResponse invoke(String name) {
        return lambda.invoke(request -> request.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{}"))).join();
    }

    private static String log(InvokeResponse response) {
        return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
    }

    @Test
    void firstInvocation_restoresAfterTheCheckpoint_andIsReportedAsARestoreNotAnInit() throws Exception {
        deploy("snap-start", false);
        platform.snapshotTaken("snap-start").get(30, TimeUnit.SECONDS);
        List<Long> snapshots = ProcessLiveness.environmentsOf("snap-start");
        assertEquals(1, snapshots.size(), "the deployment initializes one environment ahead, as a publish does");
        assertEquals('T', ProcessLiveness.stateAfterWaiting(snapshots.get(0), 'T'), "checkpointed: stopped until restored");

        InvokeResponse first = invoke("snap-start");
        InvokeResponse second = invoke("snap-start");

        assertEquals(200, first.statusCode());
        assertEquals(null, first.functionError(), first::toString);
        JsonNode firstAnswer = JSON.readTree(first.payload().asByteArray());
        assertEquals(List.of("init", "beforeCheckpoint", "afterRestore", "invocation"),
                JSON.convertValue(firstAnswer.get("events"), List.class));
        assertEquals("snap-start", firstAnswer.get("initializationType").asText());
        assertEquals("null", firstAnswer.get("logStreamName").asText(), "Lambda sets no log stream in SnapStart functions");
        assertTrue(log(first).contains("\tRestore Duration: "), log(first));
        assertFalse(log(first).contains("Init Duration"), log(first));

        assertEquals(snapshots.get(0), firstAnswer.get("pid").asLong(), "the first invocation restores the snapshot");
        JsonNode secondAnswer = JSON.readTree(second.payload().asByteArray());
        assertEquals(firstAnswer.get("pid").asLong(), secondAnswer.get("pid").asLong(), "the restored process goes on");
        assertEquals(List.of("init", "beforeCheckpoint", "afterRestore", "invocation", "invocation"),
                JSON.convertValue(secondAnswer.get("events"), List.class));
        assertFalse(log(second).contains("Restore Duration"), log(second));

        FunctionMetrics metrics = platform.metrics("snap-start");
        assertEquals(1, metrics.restoreDuration().count());
        assertTrue(metrics.restoreDuration().max() > 0, metrics::toString);
        assertEquals(0, metrics.initDuration().count(), "a SnapStart init is not a cold start's init");
        assertEquals(1, metrics.coldStarts());
    }

    @Test
    void failingAfterRestoreHook_refusesTheInvocationWithSnapStartException_andTheNextOneRestoresAnotherEnvironment() {
        deploy("snap-start-failing", true);

        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> invoke("snap-start-failing"));

        SnapStartException error = assertInstanceOf(SnapStartException.class, refused.getCause());
        assertEquals(400, error.statusCode());
        assertTrue(error.getMessage().contains("afterRestore()"), error::getMessage);
        String log = new String(Base64.getDecoder().decode(error.awsErrorDetails().sdkHttpResponse()
                .firstMatchingHeader("X-Amz-Log-Result").orElseThrow()), StandardCharsets.UTF_8);
        assertTrue(log.contains(SnapStartProbeHandler.RESTORE_FAILURE), log);
        await().atMost(Duration.ofSeconds(10)).until(() -> platform.metrics("snap-start-failing").environments().live() == 0);

        assertInstanceOf(SnapStartException.class, org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> invoke("snap-start-failing")).getCause());
        FunctionMetrics metrics = platform.metrics("snap-start-failing");
        assertEquals(2, metrics.coldStarts(), "each refused invocation had a new environment");
        assertEquals(2, metrics.errors());
    }
}
