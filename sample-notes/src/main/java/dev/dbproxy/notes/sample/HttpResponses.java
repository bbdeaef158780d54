package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.notes.core.error.InvalidInputException;
import dev.dbproxy.notes.core.error.NoteNotFoundException;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds API Gateway responses, and maps the core's errors to HTTP: invalid input 400, not found 404, throttled 429
 * and unavailable 503 (both with {@code Retry-After}), anything else 500 with the request id and no internals.
 * Error bodies are RFC 9457 problem documents ({@code application/problem+json}).
 */
final class HttpResponses {

    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    private HttpResponses() {
    }

    static APIGatewayV2HTTPResponse json(int status, Object body) {
        return response(status, JSON, NotesJson.write(body), Map.of());
    }

    static APIGatewayV2HTTPResponse json(int status, Object body, Map<String, String> headers) {
        return response(status, JSON, NotesJson.write(body), headers);
    }

    static APIGatewayV2HTTPResponse noContent() {
        return response(204, null, null, Map.of());
    }

    /** A 4xx problem about one field of the request. */
    static APIGatewayV2HTTPResponse invalid(int status, String title, String field, String detail) {
        ObjectNode problem = problem(status, title, field + ": " + detail);
        problem.put("field", field);
        return response(status, PROBLEM_JSON, NotesJson.write(problem), Map.of());
    }

    /** The response for a failure of the use case; {@code requestId} lets support find the log line of a 500. */
    static APIGatewayV2HTTPResponse forError(Throwable error, String requestId) {
        if (error instanceof InvalidInputException invalid) {
            return invalid(400, "Invalid input", invalid.field(), invalid.problem());
        }
        if (error instanceof NoteNotFoundException notFound) {
            return response(404, PROBLEM_JSON,
                    NotesJson.write(problem(404, "Not found", "note " + notFound.noteId() + " does not exist")),
                    Map.of());
        }
        if (error instanceof TransientFailureException transientFailure) {
            boolean throttled = transientFailure.reason() == TransientFailureException.Reason.THROTTLED;
            int status = throttled ? 429 : 503;
            String title = throttled ? "Too many requests" : "Service unavailable";
            return response(status, PROBLEM_JSON, NotesJson.write(problem(status, title, "try again later")),
                    Map.of("Retry-After", Long.toString(retryAfterSeconds(transientFailure.retryAfter()))));
        }
        ObjectNode problem = problem(500, "Internal error",
                error instanceof PermanentFailureException ? "the request could not be completed" : "unexpected error");
        problem.put("requestId", requestId);
        return response(500, PROBLEM_JSON, NotesJson.write(problem), Map.of());
    }

    private static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    private static ObjectNode problem(int status, String title, String detail) {
        ObjectNode problem = NotesJson.MAPPER.createObjectNode();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }

    private static APIGatewayV2HTTPResponse response(
            int status, String contentType, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
