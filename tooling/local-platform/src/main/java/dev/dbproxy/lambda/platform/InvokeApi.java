package dev.dbproxy.lambda.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dbproxy.lambda.platform.InvocationResult.Accepted;
import dev.dbproxy.lambda.platform.InvocationResult.Completed;
import dev.dbproxy.lambda.platform.InvocationResult.FunctionFailed;
import dev.dbproxy.lambda.platform.InvocationResult.FunctionNotFound;
import dev.dbproxy.lambda.platform.InvocationResult.SnapStartFailed;
import dev.dbproxy.lambda.platform.InvocationResult.Throttled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda's Invoke operation over HTTP ({@code POST /2015-03-31/functions/{name}/invocations}), answering with the
 * status codes, headers and JSON bodies the service uses, plus the platform's metrics as JSON
 * ({@code GET /local/metrics[/{name}]}).
 */
final class InvokeApi implements AutoCloseable {

    static final String METRICS_PATH = "/local/metrics";
    /** Lambda's synchronous request limit. */
    static final int MAX_REQUEST_BYTES = 6_291_456;

    private static final Logger LOG = LoggerFactory.getLogger(InvokeApi.class);
    private static final String FUNCTIONS_PREFIX = "/2015-03-31/functions/";
    private static final String INVOCATIONS_SUFFIX = "/invocations";
    private static final byte[] EMPTY = new byte[0];
    /**
     * The wait a throttle advises, as Lambda's {@code Retry-After} header (the SDK's {@code retryAfterSeconds}): an
     * environment of the function frees up within its timeout, so a second is a safe hint, not a promise.
     */
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalLambdaPlatform platform;
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;

    private InvokeApi(LocalLambdaPlatform platform, HttpServer server, ExecutorService executor) {
        this.platform = platform;
        this.server = server;
        this.executor = executor;
        InetSocketAddress address = server.getAddress();
        this.endpoint = URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    static InvokeApi start(LocalLambdaPlatform platform, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 1024);
        ExecutorService executor = LocalLambdaPlatform.requestExecutor("lambda-invoke-api");
        server.setExecutor(executor);
        InvokeApi api = new InvokeApi(platform, server, executor);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith(FUNCTIONS_PREFIX) && path.endsWith(INVOCATIONS_SUFFIX) && "POST".equals(exchange.getRequestMethod())) {
                invoke(exchange, path.substring(FUNCTIONS_PREFIX.length(), path.length() - INVOCATIONS_SUFFIX.length()));
            } else if (path.startsWith(METRICS_PATH) && "GET".equals(exchange.getRequestMethod())) {
                metrics(exchange, path.substring(METRICS_PATH.length()));
            } else {
                drain(exchange.getRequestBody());
                sendError(exchange, 404, "UnknownOperationException", error("Unknown operation " + exchange.getRequestMethod() + " " + path));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("request failed", e);
            exchange.close();
        }
    }

    private void invoke(HttpExchange exchange, String functionReference) throws IOException {
        InputStream body = exchange.getRequestBody();
        byte[] payload = body.readNBytes(MAX_REQUEST_BYTES + 1);
        if (payload.length > MAX_REQUEST_BYTES) {
            drain(body);
            sendError(exchange, 413, "RequestTooLargeException",
                    error("Request must be smaller than " + MAX_REQUEST_BYTES + " bytes for the InvokeFunction operation"));
            return;
        }
        String qualifier = queryParameter(exchange.getRequestURI().getRawQuery(), "Qualifier");
        String function = qualifier.isEmpty() ? functionReference : functionReference + ":" + qualifier;
        Headers headers = exchange.getRequestHeaders();
        String invocationType = headerOrDefault(headers, "X-Amz-Invocation-Type", "RequestResponse");
        switch (invocationType) {
            case "RequestResponse" -> {
                boolean tail = "Tail".equalsIgnoreCase(headerOrDefault(headers, "X-Amz-Log-Type", "None"));
                platform.invoke(function, payload, clientContext(headers), tail)
                        .whenCompleteAsync((result, error) -> respond(exchange, result, error),
                                LocalLambdaPlatform.orInline(executor));
            }
            case "Event" -> respond(exchange, platform.invokeEvent(function, payload), null);
            case "DryRun" -> {
                if (platform.exists(function)) {
                    send(exchange, 204, EMPTY);
                } else {
                    respond(exchange, new FunctionNotFound(notFoundArn(function)), null);
                }
            }
            default -> sendError(exchange, 400, "InvalidParameterValueException",
                    error("1 validation error detected: Value '" + invocationType + "' at 'invocationType' failed to satisfy "
                            + "constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"));
        }
    }

    private String notFoundArn(String function) {
        FunctionReference reference = FunctionReference.parse(function);
        return platform.functionArn(reference.name()) + (reference.qualifier().isEmpty() ? "" : ":" + reference.qualifier());
    }

    /** Answers on a request thread, never on the function's own (which may be interrupted as its environment ends). */
    private void respond(HttpExchange exchange, InvocationResult result, Throwable error) {
        try {
            Headers response = exchange.getResponseHeaders();
            if (error != null) {
                LOG.warn("invocation failed inside the platform", error);
                sendError(exchange, 500, "ServiceException", error("The local platform failed to run the invocation."));
                return;
            }
            switch (result) {
                case Completed completed -> {
                    invocationHeaders(response, completed.requestId(), completed.logTail());
                    send(exchange, 200, completed.payload());
                }
                case FunctionFailed failed -> {
                    invocationHeaders(response, failed.requestId(), failed.logTail());
                    response.set("X-Amz-Function-Error", "Unhandled");
                    send(exchange, 200, failed.errorPayload());
                }
                case Throttled throttled -> {
                    ObjectNode body = JSON.createObjectNode();
                    body.put("Reason", throttled.reason());
                    body.put("Type", "User");
                    body.put("message", "Rate Exceeded.");
                    response.set("Retry-After", RETRY_AFTER_SECONDS);
                    sendError(exchange, 429, "TooManyRequestsException", body);
                }
                case SnapStartFailed refused -> {
                    if (!refused.logTail().isEmpty()) {
                        response.set("X-Amz-Log-Result", Base64.getEncoder().encodeToString(
                                refused.logTail().getBytes(StandardCharsets.UTF_8)));
                    }
                    ObjectNode body = JSON.createObjectNode();
                    body.put("Type", "User");
                    body.put("message", refused.message());
                    sendError(exchange, refused.statusCode(), refused.errorType(), body);
                }
                case FunctionNotFound notFound -> {
                    ObjectNode body = JSON.createObjectNode();
                    body.put("Type", "User");
                    body.put("Message", "Function not found: " + notFound.functionArn());
                    sendError(exchange, 404, "ResourceNotFoundException", body);
                }
                case Accepted accepted -> {
                    response.set("X-Amzn-RequestId", accepted.requestId());
                    send(exchange, 202, EMPTY);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("writing the Invoke response failed", e);
            exchange.close();
        }
    }

    private static void invocationHeaders(Headers response, String requestId, String logTail) {
        response.set("Content-Type", "application/json");
        response.set("X-Amzn-RequestId", requestId);
        response.set("X-Amz-Executed-Version", "$LATEST");
        if (!logTail.isEmpty()) {
            response.set("X-Amz-Log-Result", Base64.getEncoder().encodeToString(logTail.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void metrics(HttpExchange exchange, String rest) throws IOException {
        drain(exchange.getRequestBody());
        Object body;
        if (rest.isEmpty() || rest.equals("/")) {
            body = platform.metrics();
        } else {
            String name = rest.substring(1);
            if (!platform.functionNames().contains(name)) {
                ObjectNode notFound = JSON.createObjectNode();
                notFound.put("Type", "User");
                notFound.put("Message", "Function not found: " + platform.functionArn(name));
                sendError(exchange, 404, "ResourceNotFoundException", notFound);
                return;
            }
            body = platform.metrics(name);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, 200, JSON.writeValueAsBytes(body));
    }

    private static ObjectNode error(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Type", "User");
        body.put("message", message);
        return body;
    }

    private static void sendError(HttpExchange exchange, int status, String errorType, ObjectNode body) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("x-amzn-ErrorType", errorType);
        headers.set("X-Amzn-RequestId", UUID.randomUUID().toString());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        send(exchange, status, bytes);
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream output = exchange.getResponseBody()) {
            output.write(body);
        }
    }

    static void drain(InputStream body) throws IOException {
        body.transferTo(OutputStream.nullOutputStream());
    }

    private static String headerOrDefault(Headers headers, String name, String defaultValue) {
        String value = headers.getFirst(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static String clientContext(Headers headers) {
        String encoded = headers.getFirst("X-Amz-Client-Context");
        if (encoded == null || encoded.isBlank()) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return "";
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}
