package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Answers an HTTP API request with what it received, in headers (x-route-key, x-path-id, x-query-q, x-header-probe,
 * x-method, x-cookies, x-body-base64) and echoes the (decoded) body; the status comes from {@code ?status=}, a binary
 * response from {@code ?binary=true}.
 */
public class HttpEchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        byte[] body = event.getBody() == null ? new byte[0]
                : event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody()) : event.getBody().getBytes(StandardCharsets.UTF_8);
        boolean binary = "true".equals(query.get("binary"));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(Integer.parseInt(query.getOrDefault("status", "200")))
                .withHeaders(Map.of(
                        "x-route-key", event.getRouteKey(),
                        "x-path-id", path.getOrDefault("id", ""),
                        "x-path-rest", path.getOrDefault("rest", ""),
                        "x-query-q", query.getOrDefault("q", ""),
                        "x-header-probe", event.getHeaders().getOrDefault("x-probe", ""),
                        "x-method", event.getRequestContext().getHttp().getMethod(),
                        "x-cookies", event.getCookies() == null ? "" : String.join("|", event.getCookies()),
                        "x-body-base64", Boolean.toString(event.getIsBase64Encoded()),
                        "content-type", binary ? "application/octet-stream" : "text/plain"))
                .withCookies(java.util.List.of("session=abc; Path=/"))
                .withBody(binary ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8))
                .withIsBase64Encoded(binary)
                .build();
    }
}
