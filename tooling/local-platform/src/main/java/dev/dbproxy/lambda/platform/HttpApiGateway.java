package dev.dbproxy.lambda.platform;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dbproxy.lambda.platform.InvocationResult.Completed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An API Gateway HTTP API in front of a {@link LocalLambdaPlatform}: requests are routed by the template's
 * {@code HttpApi} events and passed to the function as payload format 2.0 ({@link APIGatewayV2HTTPEvent}); the
 * function's {@code APIGatewayV2HTTPResponse} (or any other JSON, answered as 200 {@code application/json}) becomes
 * the HTTP response. Unknown route: 404; function error: 502; throttled: 503; all with API Gateway's
 * {@code {"message": ...}} bodies. Start it with
 * {@link LocalLambdaPlatform#startHttpApiGateway(List, HttpApiAccess, int)}.
 *
 * <p>It checks no authorization: a route that requires {@code AWS_IAM} (SigV4) or a JWT on AWS is served here to any
 * request, signed or not, and nothing is throttled but by the functions' concurrency. Local callers then need no AWS
 * credentials; the gateway logs this at start ({@link #localAccessNotice()}) so that nobody mistakes it for a check.
 */
public final class HttpApiGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private final LocalLambdaPlatform platform;
    private final List<HttpApiRoute> routes;
    private final RouteTable routeTable;
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;
    private final HttpApiAccess access;

    private HttpApiGateway(LocalLambdaPlatform platform, List<HttpApiRoute> routes, HttpApiAccess access,
                           HttpServer server, ExecutorService executor) {
        this.platform = platform;
        this.routes = List.copyOf(routes);
        this.access = access;
        this.routeTable = new RouteTable(routes);
        this.server = server;
        this.executor = executor;
        InetSocketAddress address = server.getAddress();
        this.endpoint = URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    static HttpApiGateway start(LocalLambdaPlatform platform, List<HttpApiRoute> routes, HttpApiAccess access,
                                InetSocketAddress address) {
        try {
            HttpServer server = HttpServer.create(address, 1024);
            ExecutorService executor = LocalLambdaPlatform.requestExecutor("lambda-http-api");
            server.setExecutor(executor);
            HttpApiGateway gateway = new HttpApiGateway(platform, routes, access, server, executor);
            server.createContext("/", gateway::handle);
            server.start();
            if (access.equals(HttpApiAccess.OPEN)) {
                LOG.info("HTTP API gateway on {}: {}", gateway.endpoint, gateway.localAccessNotice());
            } else {
                LOG.warn("HTTP API gateway on {}: {}", gateway.endpoint, gateway.localAccessNotice());
            }
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    /** The gateway's base URI, such as {@code http://127.0.0.1:40124}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The routes it serves. */
    public List<HttpApiRoute> routes() {
        return routes;
    }

    /** What the API demands of callers on AWS; this gateway enforces none of it. */
    public HttpApiAccess access() {
        return access;
    }

    /** The sentence it logs at start: what it does not check, and what AWS checks ({@link HttpApiAccess#localNotice()}). */
    public String localAccessNotice() {
        return access.localNotice();
    }

    /** Stops listening; the platform and its functions go on. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            List<String> segments = RouteTable.segments(rawPath).stream().map(HttpApiGateway::decode).toList();
            RouteTable.Match match = routeTable.match(method, segments);
            if (match == null) {
                sendMessage(exchange, 404, "Not Found");
                return;
            }
            byte[] event = JSON.writeValueAsBytes(event(exchange, method, rawPath, body, match));
            if (event.length > InvokeApi.MAX_REQUEST_BYTES) {
                sendMessage(exchange, 413, "Request Entity Too Large");
                return;
            }
            platform.invoke(match.route().functionName(), event)
                    .whenCompleteAsync((result, error) -> respond(exchange, result, error),
                            LocalLambdaPlatform.orInline(executor));
        } catch (IOException | RuntimeException e) {
            LOG.debug("HTTP API request failed", e);
            exchange.close();
        }
    }

    private APIGatewayV2HTTPEvent event(HttpExchange exchange, String method, String rawPath, byte[] body, RouteTable.Match match) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lowerName = name.toLowerCase(Locale.ROOT);
            if (lowerName.equals("cookie")) {
                values.forEach(value -> {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                });
            } else {
                headers.put(lowerName, String.join(",", values));
            }
        });
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String key = decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decodeQuery(pair.substring(equals + 1));
                query.merge(key, value, (first, second) -> first + "," + second);
            }
        }
        // Text goes to the function as a string only when it is valid UTF-8; anything else keeps its exact bytes in
        // base64, so that a function can refuse invalid input instead of receiving U+FFFD in its place.
        boolean textual = isText(headers.getOrDefault("content-type", "")) && isUtf8(body);
        String eventBody = body.length == 0 ? null
                : textual ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body);
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        InetSocketAddress remote = exchange.getRemoteAddress();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId(platform.settings().accountId())
                .withApiId("local")
                .withDomainName(headers.getOrDefault("host", endpoint.getAuthority()))
                .withDomainPrefix("local")
                .withRequestId(requestId())
                .withRouteKey(match.route().routeKey())
                .withStage("$default")
                .withTime(now.format(REQUEST_TIME))
                .withTimeEpoch(now.toInstant().toEpochMilli())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(decode(rawPath))
                        .withProtocol(exchange.getProtocol())
                        .withSourceIp(remote == null ? "127.0.0.1" : remote.getAddress().getHostAddress())
                        .withUserAgent(headers.getOrDefault("user-agent", ""))
                        .build())
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(eventBody)
                .withIsBase64Encoded(eventBody != null && !textual)
                .withRequestContext(context)
                .build();
    }

    /** Answers on a request thread, never on the function's own (which may be interrupted as its environment ends). */
    private void respond(HttpExchange exchange, InvocationResult result, Throwable error) {
        try {
            if (error != null) {
                LOG.warn("invocation failed inside the platform", error);
                sendMessage(exchange, 500, "Internal Server Error");
                return;
            }
            switch (result) {
                case Completed completed -> sendFunctionResponse(exchange, completed.payload());
                case InvocationResult.FunctionFailed failed -> sendMessage(exchange, 502, "Internal Server Error");
                case InvocationResult.Throttled throttled -> sendMessage(exchange, 503, "Service Unavailable");
                case InvocationResult.FunctionNotFound notFound -> sendMessage(exchange, 500, "Internal Server Error");
                case InvocationResult.SnapStartFailed refused -> sendMessage(exchange, 500, "Internal Server Error");
                case InvocationResult.Accepted accepted -> sendMessage(exchange, 500, "Internal Server Error");
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("writing the HTTP API response failed", e);
            exchange.close();
        }
    }

    /** Payload format 2.0: a JSON object with a statusCode is a response; anything else is a 200 JSON body. */
    private static void sendFunctionResponse(HttpExchange exchange, byte[] payload) throws IOException {
        JsonNode response;
        try {
            response = JSON.readTree(payload);
        } catch (IOException e) {
            response = null;
        }
        Headers headers = exchange.getResponseHeaders();
        if (response == null || !response.isObject() || !response.has("statusCode")) {
            headers.set("Content-Type", "application/json");
            InvokeApi.send(exchange, 200, payload);
            return;
        }
        int status = response.path("statusCode").asInt(-1);
        if (status < 100 || status > 599) {
            sendMessage(exchange, 500, "Internal Server Error");
            return;
        }
        response.path("headers").properties().forEach(header -> headers.set(header.getKey(), header.getValue().asText()));
        response.path("multiValueHeaders").properties()
                .forEach(header -> header.getValue().forEach(value -> headers.add(header.getKey(), value.asText())));
        response.path("cookies").forEach(cookie -> headers.add("Set-Cookie", cookie.asText()));
        JsonNode bodyNode = response.path("body");
        String body = bodyNode.isMissingNode() || bodyNode.isNull() ? "" : bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString();
        byte[] bytes = response.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        if (!headers.containsKey("Content-Type") && bytes.length > 0) {
            headers.set("Content-Type", "application/json");
        }
        InvokeApi.send(exchange, status, bytes);
    }

    private static void sendMessage(HttpExchange exchange, int status, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("apigw-requestid", requestId());
        InvokeApi.send(exchange, status, JSON.writeValueAsBytes(Map.of("message", message)));
    }

    private static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript");
    }

    private static String requestId() {
        byte[] random = new byte[10];
        ThreadLocalRandom.current().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    private static String decode(String pathPart) {
        return URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String decodeQuery(String queryPart) {
        return URLDecoder.decode(queryPart, StandardCharsets.UTF_8);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
