package dev.dbproxy.examples.tasks.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.examples.tasks.core.CallerContext;
import dev.dbproxy.examples.tasks.core.InvalidTaskException;
import dev.dbproxy.examples.tasks.core.PermanentTaskStoreException;
import dev.dbproxy.examples.tasks.core.Task;
import dev.dbproxy.examples.tasks.core.TaskId;
import dev.dbproxy.examples.tasks.core.TaskIdTakenException;
import dev.dbproxy.examples.tasks.core.TaskRepositories;
import dev.dbproxy.examples.tasks.core.TaskRepository;
import dev.dbproxy.examples.tasks.core.TransientTaskStoreException;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * The task list over an HTTP API (payload format 2.0), one function for its three routes: {@code GET /tasks?limit=n}
 * (open tasks, newest first), {@code POST /tasks} with {@code {"title": ..., "id": optional}} (a client that sends its
 * own {@code id} may retry safely: the same id and title answer the stored task) and {@code POST /tasks/{id}/done}.
 * Errors are {@code {"error", "field"?}} with 400, 404, 409, 413, 415, 429, 503, 504 or 500 (request id only).
 *
 * <p>The runtime builds it with the no-argument constructor, which builds the repository {@code TASKS_REPOSITORY}
 * names once per execution environment; tests pass a repository. Each request runs within the invocation's remaining
 * time, which reaches the repository as a {@link CallerContext}. One handler object serves many invocations at once
 * (Lambda Managed Instances run them on threads sharing it): each invocation's deadline and request id live on its
 * own thread and in its own Reactor context, and its only field is the shared repository.
 */
public final class TasksHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
        AutoCloseable {

    /** Largest request body accepted. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    private static final int DEFAULT_LIMIT = 20;
    private static final Duration RESPONSE_MARGIN = Duration.ofMillis(300);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskRepository tasks;

    /** For the Lambda runtime: the repository named by {@code TASKS_REPOSITORY}, built once per environment. */
    public TasksHandler() {
        this(TaskRepositories.fromEnv(FunctionEnvironment.variables()));
    }

    /** For tests and applications that build the repository themselves. */
    public TasksHandler(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Instant deadline = Instant.now().plusMillis(context.getRemainingTimeInMillis()).minus(RESPONSE_MARGIN);
        try {
            Mono<APIGatewayV2HTTPResponse> response = switch (String.valueOf(event.getRouteKey())) {
                case "GET /tasks" -> tasks.listOpen(limit(event)).map(TasksHandler::toJson)
                        .collect(JSON::createArrayNode, ArrayNode::add)
                        .map(list -> json(200, JSON.createObjectNode().set("tasks", list)));
                case "POST /tasks" -> tasks.add(newTask(event)).map(task -> json(201, toJson(task)));
                case "POST /tasks/{id}/done" -> tasks.markDone(TaskId.parse(pathParameter(event, "id")))
                        .map(task -> json(200, toJson(task)))
                        .defaultIfEmpty(error(404, "no such task", null));
                default -> Mono.just(error(404, "no such route", null));
            };
            return response.timeout(Duration.between(Instant.now(), deadline).plus(RESPONSE_MARGIN.dividedBy(2)))
                    .contextWrite(new CallerContext(context.getAwsRequestId(), deadline)::into)
                    .block();
        } catch (RuntimeException failure) {
            return toResponse(failure, context);
        }
    }

    /** Closes the repository's client when the execution environment shuts down gracefully. */
    @Override
    public void close() {
        tasks.close();
    }

    private static int limit(APIGatewayV2HTTPEvent event) {
        String text = Optional.ofNullable(event.getQueryStringParameters()).map(query -> query.get("limit"))
                .orElse(String.valueOf(DEFAULT_LIMIT));
        try {
            return TaskRepository.checkedLimit(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            throw new InvalidTaskException("limit", "must be a whole number");
        }
    }

    private static Task newTask(APIGatewayV2HTTPEvent event) {
        JsonNode body = jsonBody(event);
        JsonNode id = body.get("id");
        JsonNode title = body.get("title");
        if (title != null && !title.isTextual() || id != null && !id.isTextual()) {
            throw new InvalidTaskException(title != null && !title.isTextual() ? "title" : "id", "must be a string");
        }
        return Task.open(id == null ? TaskId.generate() : TaskId.parse(id.asText()),
                title == null ? null : title.asText(), Instant.now());
    }

    private static JsonNode jsonBody(APIGatewayV2HTTPEvent event) {
        String contentType = Optional.ofNullable(event.getHeaders()).map(headers -> headers.get("content-type"))
                .orElse("");
        if (!contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
            throw new RejectedRequest(415, "Content-Type must be application/json");
        }
        String body = event.getBody() == null ? "" : event.getBody();
        if (event.getIsBase64Encoded()) {
            throw new RejectedRequest(415, "the body must be JSON text, not base64");
        }
        if (body.length() > MAX_BODY_BYTES) {
            throw new RejectedRequest(413, "the body must be at most " + MAX_BODY_BYTES + " characters");
        }
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw new InvalidTaskException("body", "must be a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new InvalidTaskException("body", "is not valid JSON");
        }
    }

    private static String pathParameter(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> parameters = event.getPathParameters();
        return parameters == null ? null : parameters.get(name);
    }

    private static APIGatewayV2HTTPResponse toResponse(RuntimeException failure, Context context) {
        Throwable error = failure.getCause() instanceof TimeoutException ? failure.getCause() : failure;
        return switch (error) {
            case RejectedRequest rejected -> error(rejected.status, rejected.getMessage(), null);
            case InvalidTaskException invalid -> error(400, invalid.getMessage(), invalid.field());
            case TaskIdTakenException taken -> error(409, taken.getMessage(), "id");
            case TransientTaskStoreException transientFailure -> switch (transientFailure.reason()) {
                case THROTTLED -> withRetryAfter(error(429, "too many requests, retry later", null));
                case UNAVAILABLE -> withRetryAfter(error(503, "the task store is unavailable, retry later", null));
                case TIMEOUT -> error(504, "the task store did not answer in time", null);
            };
            case TimeoutException timeout -> error(504, "the request ran out of time", null);
            case PermanentTaskStoreException permanent -> internalError(permanent, context);
            default -> internalError(error, context);
        };
    }

    /** A 500 that names only the request id; the log line has the error's type and message (never a credential). */
    private static APIGatewayV2HTTPResponse internalError(Throwable error, Context context) {
        context.getLogger().log("{\"type\":\"error\",\"requestId\":\"" + context.getAwsRequestId()
                + "\",\"errorType\":\"" + error.getClass().getSimpleName() + "\"}");
        return error(500, "internal error; request id " + context.getAwsRequestId(), null);
    }

    private static ObjectNode toJson(Task task) {
        return JSON.createObjectNode().put("id", task.id().value()).put("title", task.title()).put("done", task.done())
                .put("createdAt", task.createdAt().toString());
    }

    private static APIGatewayV2HTTPResponse json(int status, JsonNode body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json")).withBody(body.toString()).build();
    }

    private static APIGatewayV2HTTPResponse error(int status, String message, String field) {
        ObjectNode body = JSON.createObjectNode().put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        return json(status, body);
    }

    private static APIGatewayV2HTTPResponse withRetryAfter(APIGatewayV2HTTPResponse response) {
        response.setHeaders(Map.of("content-type", "application/json", "retry-after", "1"));
        return response;
    }

    /** A request refused before any use of the repository (media type, size), with its HTTP status. */
    private static final class RejectedRequest extends RuntimeException {

        private final int status;

        RejectedRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
