package dev.dbproxy.lambda.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.handlers.ProcessProbeHandler;
import dev.dbproxy.lambda.platform.process.ProcessEnvironmentFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The documented error answers of a process environment's Runtime and Extensions APIs, asked over HTTP of the
 * environment's own {@code AWS_LAMBDA_RUNTIME_API} (read from its process environment) while the real runtime
 * interface client waits there for its next invocation.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuntimeApiServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProcessEnvironmentFactory factory;
    private static LocalLambdaPlatform platform;
    private static String runtimeApi;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startOneEnvironment() throws Exception {
        factory = ProcessEnvironmentFactory.create();
        platform = LocalLambdaPlatform.start(PlatformSettings.defaults(), factory);
        platform.deploy(FunctionDefinition.builder("probe", ProcessProbeHandler.class.getName()).memoryMb(256)
                .timeout(Duration.ofSeconds(10)).classPath(List.of(ProcessTaskRoot.get())).build());
        platform.invoke("probe", "{}".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
        long pid = ProcessHandle.current().descendants()
                .filter(handle -> handle.info().commandLine().orElse("").contains("AWSLambda"))
                .findFirst().orElseThrow().pid();
        runtimeApi = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/environ"))
                .lines().flatMap(block -> java.util.Arrays.stream(block.split("\0")))
                .filter(variable -> variable.startsWith("AWS_LAMBDA_RUNTIME_API="))
                .findFirst().orElseThrow().substring("AWS_LAMBDA_RUNTIME_API=".length());
    }

    @AfterAll
    static void stop() {
        platform.close();
        factory.close();
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + runtimeApi + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String errorType(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("errorType").asText();
    }

    @Test
    void responseForARequestIdThatIsNotRunning_is400InvalidRequestId() throws Exception {
        HttpResponse<String> response = send("POST", "/2018-06-01/runtime/invocation/not-running/response", "{}");

        assertEquals(400, response.statusCode());
        assertEquals("InvalidRequestID", errorType(response));
    }

    @Test
    void errorForARequestIdThatIsNotRunning_is400InvalidRequestId() throws Exception {
        HttpResponse<String> response = send("POST", "/2018-06-01/runtime/invocation/not-running/error",
                "{\"errorMessage\":\"x\",\"errorType\":\"y\"}");

        assertEquals(400, response.statusCode());
        assertEquals("InvalidRequestID", errorType(response));
    }

    @Test
    void initErrorAfterTheInit_is403InvalidStateTransition() throws Exception {
        HttpResponse<String> response = send("POST", "/2018-06-01/runtime/init/error", "{\"errorMessage\":\"late\"}");

        assertEquals(403, response.statusCode());
        assertEquals("InvalidStateTransition", errorType(response));
    }

    @Test
    void extensionRegistrationAfterTheInit_is403() throws Exception {
        HttpResponse<String> response = send("POST", "/2020-01-01/extension/register", "{\"events\":[]}",
                "Lambda-Extension-Name", "late");

        assertEquals(403, response.statusCode());
        assertEquals("Extension.InvalidRegistration", errorType(response));
    }

    @Test
    void extensionRegistrationWithoutAName_is400() throws Exception {
        HttpResponse<String> response = send("POST", "/2020-01-01/extension/register", "{\"events\":[]}");

        assertEquals(400, response.statusCode());
        assertEquals("Extension.MissingExtensionName", errorType(response));
    }

    @Test
    void extensionRegistrationForShutdownEvents_is400InvalidEventType() throws Exception {
        HttpResponse<String> response = send("POST", "/2020-01-01/extension/register", "{\"events\":[\"SHUTDOWN\"]}",
                "Lambda-Extension-Name", "internal");

        assertEquals(400, response.statusCode());
        assertEquals("Extension.InvalidEventType", errorType(response));
    }

    @Test
    void extensionNextWithAnUnknownIdentifier_is403() throws Exception {
        HttpResponse<String> response = send("GET", "/2020-01-01/extension/event/next", null,
                "Lambda-Extension-Identifier", "unknown");

        assertEquals(403, response.statusCode());
        assertEquals("Extension.UnknownExtensionIdentifier", errorType(response));
    }

    @Test
    void restoreNextOutsideASnapStartEnvironment_is403InvalidStateTransition() throws Exception {
        HttpResponse<String> response = send("GET", "/2018-06-01/runtime/restore/next", null);

        assertEquals(403, response.statusCode());
        assertEquals("InvalidStateTransition", errorType(response));
    }

    @Test
    void restoreErrorOutsideARestore_is403InvalidStateTransition() throws Exception {
        HttpResponse<String> response = send("POST", "/2018-06-01/runtime/restore/error",
                "{\"errorMessage\":\"late\",\"errorType\":\"x\"}", "Lambda-Runtime-Function-Error-Type",
                "Runtime.AfterRestoreError");

        assertEquals(403, response.statusCode());
        assertEquals("InvalidStateTransition", errorType(response));
    }

    @Test
    void unknownPath_is404AndTheEnvironmentStillWorks() throws Exception {
        HttpResponse<String> response = send("GET", "/2018-06-01/runtime/elsewhere", null);

        assertEquals(404, response.statusCode());
        InvocationResult result = platform.invoke("probe", "{}".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
        assertTrue(result instanceof InvocationResult.Completed, result::toString);
    }
}
