package dev.dbproxy.lambda.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbproxy.lambda.platform.handlers.EchoStreamHandler;
import dev.dbproxy.lambda.platform.handlers.EnvironmentProbeHandler;
import dev.dbproxy.lambda.platform.handlers.FailingHandler;
import dev.dbproxy.lambda.platform.handlers.HttpEchoHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API gateway over real HTTP: payload format 2.0 in and out, and API Gateway's error answers. */
class HttpApiGatewayIT {

    private static LocalLambdaPlatform platform;
    private static HttpApiGateway gateway;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        platform = LocalLambdaPlatform.start();
        platform.deploy(FunctionDefinition.builder("http-echo", HttpEchoHandler.class.getName()).build());
        platform.deploy(FunctionDefinition.builder("raw", EchoStreamHandler.class.getName()).build());
        platform.deploy(FunctionDefinition.builder("failing", FailingHandler.class.getName()).build());
        platform.deploy(FunctionDefinition.builder("capped", EnvironmentProbeHandler.class.getName()).reservedConcurrency(1).build());
        gateway = platform.startHttpApiGateway(List.of(
                new HttpApiRoute("GET", "/items/{id}", "http-echo"),
                new HttpApiRoute("POST", "/items/{id}", "http-echo"),
                new HttpApiRoute("GET", "/items/special", "raw"),
                new HttpApiRoute("ANY", "/files/{rest+}", "http-echo"),
                new HttpApiRoute("GET", "/fail", "failing"),
                new HttpApiRoute("POST", "/slow", "capped")), 0);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void request_reachesTheFunctionWithPathQueryHeadersAndCookies() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/items/42?q=a%20b&q=c"))
                .header("X-Probe", "yes").header("Cookie", "a=1; b=2").GET());

        assertEquals(200, response.statusCode());
        assertEquals("GET /items/{id}", header(response, "x-route-key"));
        assertEquals("42", header(response, "x-path-id"));
        assertEquals("a b,c", header(response, "x-query-q"));
        assertEquals("yes", header(response, "x-header-probe"));
        assertEquals("a=1|b=2", header(response, "x-cookies"));
        assertEquals(List.of("session=abc; Path=/"), response.headers().allValues("set-cookie"));
    }

    @Test
    void textBody_isPassedAsIs_andTheFunctionsStatusCodeIsUsed() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/items/7?status=201"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")));

        assertEquals(201, response.statusCode());
        assertEquals("false", header(response, "x-body-base64"));
        assertEquals("{\"a\":1}", response.body());
    }

    @Test
    void textBodyThatIsNotValidUtf8_reachesTheFunctionBase64Encoded_withItsExactBytes() throws Exception {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};

        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri("/items/7?binary=true"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, response.statusCode());
        assertEquals("true", response.headers().firstValue("x-body-base64").orElse(""));
        assertArrayEquals(bytes, response.body());
    }

    @Test
    void binaryBody_isBase64EncodedBothWays() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xfe};

        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri("/files/a/b/c.bin?binary=true"))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, response.statusCode());
        assertEquals("true", response.headers().firstValue("x-body-base64").orElse(""));
        assertEquals("a/b/c.bin", response.headers().firstValue("x-path-rest").orElse(""));
        assertEquals("PUT", response.headers().firstValue("x-method").orElse(""));
        assertArrayEquals(bytes, response.body());
    }

    @Test
    void literalRoute_winsOverAParameterRoute() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/items/special")).GET());

        assertEquals(200, response.statusCode());
        assertEquals("application/json", header(response, "content-type"));
        assertEquals("\"2.0\"", com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .readTree(response.body()).get("version").toString(), "a response without statusCode is passed through as JSON");
    }

    @Test
    void unknownRoute_is404() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/nowhere")).GET());

        assertEquals(404, response.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", response.body());
    }

    @Test
    void functionError_is502() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/fail")).GET());

        assertEquals(502, response.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
    }

    @Test
    void throttledFunction_is503() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(HttpRequest.newBuilder(uri("/slow?sleepMillis=700"))
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        InvokeApiIT.awaitBusy(platform, "capped", 1);

        HttpResponse<String> throttled = send(HttpRequest.newBuilder(uri("/slow")).POST(HttpRequest.BodyPublishers.ofString("")));

        assertEquals(503, throttled.statusCode());
        assertEquals("{\"message\":\"Service Unavailable\"}", throttled.body());
        assertEquals(200, slow.get(20, TimeUnit.SECONDS).statusCode());
    }

    private static URI uri(String pathAndQuery) {
        return URI.create(gateway.endpoint() + pathAndQuery);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("<missing " + name + ">");
    }
}
