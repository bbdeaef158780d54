package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lambda.platform.InvocationResult;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The proxy runs on the local platform with a MongoDB connection string holding a password, against a port that
 * refuses connections, against the embedded server (which does not authenticate), and with a string the driver cannot
 * parse. Every response payload, function error, log tail line, line written to stderr and the platform's metrics
 * JSON is collected, and the password appears in none of them.
 */
class SecretsIT {

    private static final String PASSWORD = "Pa55w0rdNeverLogged9e1d4c";
    private static final String USER = "proxyuser";

    private static final PrintStream originalErr = System.err;
    private static final ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    private static EmbeddedMongoDb mongoDb;
    private static PlatformProxy proxy;
    private static int refusingPort;

    @BeforeAll
    static void start() throws IOException {
        System.setErr(new PrintStream(new Tee(originalErr, capturedErr), true, StandardCharsets.UTF_8));
        mongoDb = EmbeddedMongoDb.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            refusingPort = socket.getLocalPort();
        }
        proxy = PlatformProxy.start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        mongoDb.close();
        System.setErr(originalErr);
    }

    static Stream<Arguments> connectionStrings() {
        return Stream.of(
                Arguments.of("refusing-port", "mongodb://" + USER + ":" + PASSWORD + "@127.0.0.1:" + refusingPort
                        + "/app?authSource=admin"),
                Arguments.of("embedded-server", "mongodb://" + USER + ":" + PASSWORD + "@"
                        + mongoDb.address().getHostString() + ":" + mongoDb.port() + "/app"),
                Arguments.of("srv-unresolvable", "mongodb+srv://" + USER + ":" + PASSWORD + "@db.invalid/app"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectionStrings")
    void passwordInTheConnectionString_appearsInNoResponseLogOrMetric(String name, String mongoDbUri)
            throws IOException, InterruptedException {
        Map<String, String> env = HandlerInvoker.environment(mongoDbUri);
        proxy.deploy(name, env);
        List<String> collected = new ArrayList<>();

        for (String payload : List.of(
                HandlerInvoker.request(HandlerInvoker.op("find", "\"filter\": {}")),
                HandlerInvoker.request(HandlerInvoker.op("insertOne", "\"document\": {\"_id\": \"s1\"}")),
                HandlerInvoker.request(HandlerInvoker.op("find", "\"filter\": {\"$where\": \"true\"}")),
                "{\"version\": 1, \"requestId\": ",
                HandlerInvoker.request("{\"action\": \"find\", \"database\": \"admin\", \"collection\": \"x\"}"))) {
            InvokeResponse response = proxy.invoke(name, payload.getBytes(StandardCharsets.UTF_8));
            collected.add(response.payload().asUtf8String());
            if (response.functionError() != null) {
                collected.add(response.functionError());
            }
            assertTrue(response.logResult() != null && !response.logResult().isEmpty(), "the log tail was sent");
            collected.add(new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8));
        }
        proxy.platform().redeploy(name);
        collected.add(metricsJson());
        collected.add(capturedErr.toString(StandardCharsets.UTF_8));

        assertTrue(collected.stream().anyMatch(text -> text.contains("requestId")), "responses were collected");
        assertTrue(capturedErr.toString(StandardCharsets.UTF_8).contains("\"message\":\"DB proxy ready\""),
                "the proxy's log lines reach the captured stderr");
        for (String text : collected) {
            assertFalse(text.contains(PASSWORD), () -> name + ": the password leaked in: " + text);
        }
        assertEquals(List.of(), collected.stream().filter(text -> text.contains(USER + ":")).toList(),
                name + ": user:password credentials leaked");
    }

    /**
     * A connection string the driver cannot parse fails the environment's initialisation. Invoked over HTTP with the
     * log tail requested and through the platform's Java API, the error names the variable, and neither it, the log
     * tail, the metrics nor stderr show the password.
     */
    @Test
    void unparsableConnectionString_failsInitWithoutShowingThePassword() throws Exception {
        String name = "unparsable";
        proxy.deploy(name, HandlerInvoker.environment("mongodb://" + USER + ":" + PASSWORD + "@127.0.0.1:"
                + refusingPort + "/app?maxPoolSize=lots&unknownOption=" + PASSWORD));
        byte[] request = HandlerInvoker.request(HandlerInvoker.op("find", "\"filter\": {}"))
                .getBytes(StandardCharsets.UTF_8);

        InvokeResponse overHttp = proxy.invoke(name, request);
        InvocationResult result = proxy.platform().invoke(name, request).get(30, TimeUnit.SECONDS);

        assertEquals("Unhandled", overHttp.functionError());
        String httpLogTail = new String(Base64.getDecoder().decode(overHttp.logResult()), StandardCharsets.UTF_8);
        assertTrue(httpLogTail.contains("REPORT"), httpLogTail);
        InvocationResult.FunctionFailed failed = assertInstanceOf(InvocationResult.FunctionFailed.class, result);
        String errorPayload = new String(failed.errorPayload(), StandardCharsets.UTF_8);
        assertTrue(errorPayload.contains("MONGODB_URI"), errorPayload);
        assertTrue(overHttp.payload().asUtf8String().contains("MONGODB_URI"), overHttp.payload()::asUtf8String);
        for (String text : List.of(errorPayload, failed.logTail(), overHttp.payload().asUtf8String(), httpLogTail,
                metricsJson(), capturedErr.toString(StandardCharsets.UTF_8))) {
            assertFalse(text.contains(PASSWORD), () -> "the password leaked in: " + text);
        }
    }

    private static String metricsJson() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(proxy.platform().metricsEndpoint()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("invocations"), metrics.body());
            return metrics.body();
        }
    }

    /** Writes to the real stderr and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public synchronized void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
