package dev.dbproxy.examples.tasks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.examples.tasks.core.TaskId;
import dev.dbproxy.examples.tasks.core.TaskRepositories;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handler over each strategy, its repository built from the environment as on Lambda. */
@Timeout(60)
class TasksHandlerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalTasksStack stack;

    @BeforeAll
    static void startStack() {
        stack = new LocalTasksStack();
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "lambda-proxy"})
    void addListAndMarkDone_overTheHttpApi(String strategy) throws Exception {
        stack.clear();
        try (TasksHandler handler = new TasksHandler(TaskRepositories.fromEnv(stack.environment(strategy)))) {
            String id = TaskId.generate().value();
            APIGatewayV2HTTPResponse added = handler.handleRequest(post("POST /tasks",
                    "{\"id\":\"" + id + "\",\"title\":\"  buy milk \"}"), new TestContext());
            assertEquals(201, added.getStatusCode(), added.getBody());
            assertEquals("buy milk", body(added).get("title").asText());
            assertEquals(false, body(added).get("done").asBoolean());

            APIGatewayV2HTTPResponse retried = handler.handleRequest(post("POST /tasks",
                    "{\"id\":\"" + id + "\",\"title\":\"buy milk\"}"), new TestContext());
            assertEquals(201, retried.getStatusCode(), "a retry with the same id and title answers the stored task");
            assertEquals(body(added), body(retried));
            assertEquals(409, handler.handleRequest(post("POST /tasks",
                    "{\"id\":\"" + id + "\",\"title\":\"buy bread\"}"), new TestContext()).getStatusCode());

            JsonNode open = body(handler.handleRequest(get("limit", "5"), new TestContext())).get("tasks");
            assertEquals(1, open.size());
            assertEquals(id, open.get(0).get("id").asText());

            APIGatewayV2HTTPResponse done = handler.handleRequest(markDone(id), new TestContext());
            assertEquals(200, done.getStatusCode(), done.getBody());
            assertTrue(body(done).get("done").asBoolean());
            assertEquals(0, body(handler.handleRequest(get("limit", "5"), new TestContext())).get("tasks").size());
            assertEquals(404, handler.handleRequest(markDone(TaskId.generate().value()), new TestContext())
                    .getStatusCode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "lambda-proxy"})
    void badInput_isA4xxNamingTheField_beforeAnyStoreCall(String strategy) throws Exception {
        try (TasksHandler handler = new TasksHandler(TaskRepositories.fromEnv(stack.environment(strategy)))) {
            assertProblem(handler.handleRequest(post("POST /tasks", "{\"title\":\" \"}"), new TestContext()),
                    400, "title");
            assertProblem(handler.handleRequest(post("POST /tasks", "{\"title\":\"x\",\"id\":\"42\"}"),
                    new TestContext()), 400, "id");
            assertProblem(handler.handleRequest(post("POST /tasks", "{\"title\":"), new TestContext()), 400, "body");
            assertProblem(handler.handleRequest(get("limit", "many"), new TestContext()), 400, "limit");
            assertProblem(handler.handleRequest(get("limit", "0"), new TestContext()), 400, "limit");
            assertProblem(handler.handleRequest(markDone("not-an-id"), new TestContext()), 400, "id");
            APIGatewayV2HTTPEvent text = post("POST /tasks", "{\"title\":\"x\"}");
            text.setHeaders(Map.of("content-type", "text/plain"));
            assertEquals(415, handler.handleRequest(text, new TestContext()).getStatusCode());
            assertEquals(413, handler.handleRequest(post("POST /tasks", "{\"title\":\"" + "x".repeat(
                    TasksHandler.MAX_BODY_BYTES) + "\"}"), new TestContext()).getStatusCode());
            assertEquals(404, handler.handleRequest(post("DELETE /tasks", ""), new TestContext()).getStatusCode());
        }
    }

    private static void assertProblem(APIGatewayV2HTTPResponse response, int status, String field) throws Exception {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(field, body(response).get("field").asText(), response.getBody());
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    private static APIGatewayV2HTTPEvent post(String routeKey, String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(routeKey);
        event.setHeaders(Map.of("content-type", "application/json; charset=utf-8"));
        event.setBody(body);
        return event;
    }

    private static APIGatewayV2HTTPEvent get(String parameter, String value) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("GET /tasks");
        event.setQueryStringParameters(Map.of(parameter, value));
        return event;
    }

    private static APIGatewayV2HTTPEvent markDone(String id) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("POST /tasks/{id}/done");
        event.setPathParameters(Map.of("id", id));
        return event;
    }
}
