package dev.dbproxy.lambda.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.handlers.EchoStreamHandler;
import dev.dbproxy.lambda.platform.handlers.EnvironmentProbeHandler;
import dev.dbproxy.lambda.platform.handlers.FailingHandler;
import dev.dbproxy.lambda.platform.handlers.FailingInitHandler;
import dev.dbproxy.lambda.platform.handlers.GreetingHandler;
import dev.dbproxy.lambda.platform.handlers.LargeResponseHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/** Every Invoke case of the issue, through the real AWS SDK v2 LambdaAsyncClient over HTTP. */
class InvokeApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalLambdaPlatform platform;
    private static LambdaAsyncClient lambda;

    @BeforeAll
    static void startPlatform() {
        platform = LocalLambdaPlatform.start(PlatformSettings.builder().accountConcurrencyLimit(20).build());
        platform.deploy(FunctionDefinition.builder("echo", EchoStreamHandler.class.getName()).build());
        platform.deploy(FunctionDefinition.builder("greeting", GreetingHandler.class.getName()).build());
        platform.deploy(FunctionDefinition.builder("shout", GreetingHandler.class.getName() + "::shout").build());
        platform.deploy(FunctionDefinition.builder("probe", EnvironmentProbeHandler.class.getName()).memoryMb(512)
                .timeout(Duration.ofSeconds(1)).environmentVariable("GREETING", "hi").build());
        platform.deploy(FunctionDefinition.builder("failing", FailingHandler.class.getName()).build());
        platform.deploy(FunctionDefinition.builder("broken-init", FailingInitHandler.class.getName()).build());
        platform.deploy(FunctionDefinition.builder("large", LargeResponseHandler.class.getName()).build());
        platform.deploy(FunctionDefinition.builder("disabled", EchoStreamHandler.class.getName()).reservedConcurrency(0).build());
        platform.deploy(FunctionDefinition.builder("capped", EnvironmentProbeHandler.class.getName()).reservedConcurrency(1).build());
        lambda = LambdaClients.withoutRetries(platform.invokeEndpoint());
    }

    @AfterAll
    static void stopPlatform() {
        lambda.close();
        platform.close();
    }

    @Test
    void invoke_whenStreamHandler_returnsPayloadAndExecutedVersion() throws Exception {
        InvokeResponse response = invoke(request("echo", "{\"hello\":\"world\"}"));

        assertEquals(200, response.statusCode());
        assertNull(response.functionError());
        assertEquals("{\"hello\":\"world\"}", response.payload().asUtf8String());
        assertEquals("$LATEST", response.executedVersion());
        assertTrue(response.responseMetadata().requestId() != null);
    }

    @Test
    void invoke_whenPojoHandler_deserializesRecordAndOmitsNullFields() throws Exception {
        InvokeResponse response = invoke(request("greeting", "{\"name\":\"Ada\",\"times\":2,\"unknown\":true}"));

        assertEquals("{\"text\":\"hello Ada hello Ada\"}", response.payload().asUtf8String());
    }

    @Test
    void invoke_whenClassMethodHandler_passesStringInputAndContext() throws Exception {
        InvokeResponse response = invoke(request("shout", "\"quiet\""));

        assertEquals("\"QUIET from shout\"", response.payload().asUtf8String());
    }

    @Test
    void invoke_whenNamedByArnOrQualified_resolvesTheFunction() throws Exception {
        String arn = platform.functionArn("echo");

        assertEquals("1", invoke(request(arn, "1")).payload().asUtf8String());
        assertEquals("2", invoke(request("echo:$LATEST", "2")).payload().asUtf8String());
        assertEquals("3", invoke(request("echo", "3").toBuilder().qualifier("$LATEST").build()).payload().asUtf8String());
        assertEquals("4", invoke(request("123456789012:function:echo", "4")).payload().asUtf8String());
    }

    @Test
    void invoke_whenContextUsed_reportsRequestIdNameMemoryRemainingTimeAndClientContext() throws Exception {
        String clientContext = Base64.getEncoder().encodeToString("{\"custom\":{\"tenant\":\"t1\"}}".getBytes(StandardCharsets.UTF_8));
        InvokeResponse response = invoke(request("probe", "{}").toBuilder().clientContext(clientContext).build());
        JsonNode output = JSON.readTree(response.payload().asByteArray());

        assertEquals(response.responseMetadata().requestId(), output.get("requestId").asText());
        assertEquals("probe", output.get("functionName").asText());
        assertEquals(512, output.get("memoryLimitInMB").asInt());
        assertTrue(output.get("remainingTimeInMillis").asInt() > 0 && output.get("remainingTimeInMillis").asInt() <= 1000);
        assertEquals(platform.functionArn("probe"), output.get("invokedFunctionArn").asText());
        assertEquals("t1", output.path("clientContextCustom").path("tenant").asText());
        assertTrue(output.get("contextClassLoaderIsOwn").asBoolean());
    }

    @Test
    void invoke_whenLogTailRequested_returnsBase64LogWithHandlerLines() throws Exception {
        InvokeResponse response = invoke(request("probe", "{}").toBuilder().logType(LogType.TAIL).build());
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);

        assertTrue(log.contains("START RequestId: " + response.responseMetadata().requestId()), log);
        assertTrue(log.contains("probe invoked"), log);
        assertTrue(log.contains("REPORT RequestId: "), log);
    }

    @Test
    void invoke_whenInitFailsAndLogTailRequested_returnsTheInitErrorWithItsLog() throws Exception {
        InvokeResponse response = invoke(request("broken-init", "{}").toBuilder().logType(LogType.TAIL).build());

        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.functionError());
        assertTrue(response.payload().asUtf8String().contains("errorMessage"), response.payload().asUtf8String());
        assertTrue(response.logResult() != null && !response.logResult().isEmpty());
    }

    @Test
    void invoke_whenHandlerThrows_returnsUnhandledFunctionErrorNotAnException() throws Exception {
        InvokeResponse response = invoke(request("failing", "{}"));
        JsonNode error = JSON.readTree(response.payload().asByteArray());

        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.functionError());
        assertEquals("boom", error.get("errorMessage").asText());
        assertEquals("java.lang.IllegalStateException", error.get("errorType").asText());
        assertTrue(error.get("stackTrace").isArray() && !error.get("stackTrace").isEmpty());
        assertEquals("root cause", error.path("cause").path("errorMessage").asText());
    }

    @Test
    void invoke_whenResponseOver6Mb_returnsFunctionError() throws Exception {
        InvokeResponse response = invoke(request("large", "7000000"));

        assertEquals("Unhandled", response.functionError());
        assertEquals("Function.ResponseSizeTooLarge", JSON.readTree(response.payload().asByteArray()).get("errorType").asText());
    }

    @Test
    void invoke_whenResponseJustUnder6Mb_returnsIt() throws Exception {
        InvokeResponse response = invoke(request("large", "6000000"));

        assertNull(response.functionError());
        assertEquals(6_000_002, response.payload().asByteArray().length);
    }

    @Test
    void invoke_whenRequestOver6Mb_failsWith413RequestTooLarge() {
        String payload = "\"" + "x".repeat(6 * 1024 * 1024) + "\"";

        RequestTooLargeException error = assertInstanceOf(RequestTooLargeException.class, failure(request("echo", payload)));
        assertEquals(413, error.statusCode());
    }

    @Test
    void invoke_whenFunctionUnknown_failsWith404ResourceNotFound() {
        ResourceNotFoundException error = assertInstanceOf(ResourceNotFoundException.class, failure(request("nope", "{}")));

        assertEquals(404, error.statusCode());
        assertTrue(error.getMessage().contains("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"), error.getMessage());
    }

    @Test
    void invoke_whenReservedConcurrencyIsZero_failsWith429ReservedLimitReason() throws Exception {
        TooManyRequestsException error = assertInstanceOf(TooManyRequestsException.class, failure(request("disabled", "{}")));

        assertEquals(429, error.statusCode());
        assertEquals("ReservedFunctionConcurrentInvocationLimitExceeded", error.reasonAsString());
        assertEquals("1", error.retryAfterSeconds(), "the SDK reads the Retry-After header");
        assertTrue(platform.metrics("disabled").throttles() >= 1);
    }

    @Test
    void invoke_whenReservedConcurrencyReached_throttlesOnlyTheExcess() throws Exception {
        CompletableFuture<InvokeResponse> slow = lambda.invoke(request("capped", "{\"sleepMillis\":700}"));
        awaitBusy("capped", 1);

        TooManyRequestsException error = assertInstanceOf(TooManyRequestsException.class, failure(request("capped", "{}")));
        assertEquals("ReservedFunctionConcurrentInvocationLimitExceeded", error.reasonAsString());
        assertNull(slow.get(10, TimeUnit.SECONDS).functionError());
        assertNull(invoke(request("capped", "{}")).functionError());
    }

    @Test
    void invoke_whenAccountLimitReached_failsWith429ConcurrentInvocationLimit() throws Exception {
        try (LocalLambdaPlatform small = LocalLambdaPlatform.start(PlatformSettings.builder().accountConcurrencyLimit(1).build());
             LambdaAsyncClient client = LambdaClients.withoutRetries(small.invokeEndpoint())) {
            small.deploy(FunctionDefinition.builder("probe", EnvironmentProbeHandler.class.getName()).build());
            CompletableFuture<InvokeResponse> slow = client.invoke(request("probe", "{\"sleepMillis\":700}"));
            awaitBusy(small, "probe", 1);

            ExecutionException thrown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.invoke(request("probe", "{}")).get(10, TimeUnit.SECONDS));
            TooManyRequestsException error = assertInstanceOf(TooManyRequestsException.class, thrown.getCause());
            assertEquals("ConcurrentInvocationLimitExceeded", error.reasonAsString());
            assertNull(slow.get(10, TimeUnit.SECONDS).functionError());
        }
    }

    @Test
    void invoke_whenHandlerRunsPastTimeout_returnsTimedOutErrorAndDiscardsTheEnvironment() throws Exception {
        String first = JSON.readTree(invoke(request("probe", "{}")).payload().asByteArray()).get("environmentId").asText();

        InvokeResponse timedOut = invoke(request("probe", "{\"sleepMillis\":3000}"));
        JsonNode after = JSON.readTree(invoke(request("probe", "{}")).payload().asByteArray());

        assertEquals("Unhandled", timedOut.functionError());
        assertTrue(timedOut.payload().asUtf8String().contains("Task timed out after 1.00 seconds"), timedOut.payload().asUtf8String());
        assertFalse(first.equals(after.get("environmentId").asText()), "a timed-out environment must not be reused");
        assertTrue(platform.metrics("probe").timeouts() >= 1);
    }

    @Test
    void destroyBusyEnvironments_endsTheRunningInvocationWithExitError_andTheNextOneColdStarts() throws Exception {
        String first = JSON.readTree(invoke(request("probe", "{}")).payload().asByteArray()).get("environmentId").asText();
        CompletableFuture<InvokeResponse> running = lambda.invoke(request("probe", "{\"sleepMillis\":900}"));

        int destroyed = await("the probe's busy environment destroyed").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> platform.destroyBusyEnvironments("probe"), count -> count > 0);
        InvokeResponse crashed = running.get(10, TimeUnit.SECONDS);
        JsonNode after = JSON.readTree(invoke(request("probe", "{}")).payload().asByteArray());

        assertEquals(1, destroyed);
        assertEquals("Unhandled", crashed.functionError());
        assertTrue(crashed.payload().asUtf8String().contains("Runtime.ExitError"), crashed.payload().asUtf8String());
        assertFalse(first.equals(after.get("environmentId").asText()), "a destroyed environment must not be reused");
        assertEquals(0, platform.destroyBusyEnvironments("probe"), "idle environments are left alone");
    }

    @Test
    void invoke_whenEventType_returns202AndRunsLater() throws Exception {
        long before = platform.metrics("echo").invocations();

        InvokeResponse response = invoke(request("echo", "{}").toBuilder().invocationType(InvocationType.EVENT).build());

        assertEquals(202, response.statusCode());
        await("the event invocation run").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> platform.metrics("echo").invocations() > before);
    }

    @Test
    void invoke_whenDryRun_returns204WithoutRunning() throws Exception {
        long before = platform.metrics("greeting").invocations();

        InvokeResponse response = invoke(request("greeting", "{}").toBuilder().invocationType(InvocationType.DRY_RUN).build());

        assertEquals(204, response.statusCode());
        assertEquals(before, platform.metrics("greeting").invocations());
    }

    @Test
    void metricsEndpoint_servesJsonForEveryFunction() throws Exception {
        invoke(request("echo", "{}"));
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> all = http.send(HttpRequest.newBuilder(platform.metricsEndpoint()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(platform.metricsEndpoint() + "/echo")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, all.statusCode());
        List<String> names = new ArrayList<>();
        JSON.readTree(all.body()).forEach(node -> names.add(node.get("functionName").asText()));
        assertTrue(names.contains("echo") && names.contains("probe"), names.toString());
        JsonNode echo = JSON.readTree(one.body());
        assertTrue(echo.get("invocations").asLong() >= 1);
        assertTrue(echo.path("duration").path("count").asLong() >= 1);
        assertTrue(echo.path("environments").has("zombie"));
    }

    private static InvokeRequest request(String function, String payload) {
        return InvokeRequest.builder().functionName(function).payload(SdkBytes.fromUtf8String(payload)).build();
    }

    private static InvokeResponse invoke(InvokeRequest request) throws Exception {
        return lambda.invoke(request).get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(InvokeRequest request) {
        ExecutionException thrown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> lambda.invoke(request).get(30, TimeUnit.SECONDS));
        return thrown.getCause();
    }

    private static void awaitBusy(String function, int busy) {
        awaitBusy(platform, function, busy);
    }

    static void awaitBusy(LocalLambdaPlatform target, String function, int busy) {
        await("function " + function + " busy").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> target.environmentCounts(function).busy() >= busy);
    }
}
