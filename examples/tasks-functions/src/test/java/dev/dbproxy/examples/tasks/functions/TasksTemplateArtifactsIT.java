package dev.dbproxy.examples.tasks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.examples.tasks.core.TaskId;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.InvocationResult;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jars {@code template.yaml} names, each run alone: the handler of either strategy from its own jar and
 * the DB proxy from {@code proxy-handler-lambda.jar}, each in a class loader over that jar only (which verifies every
 * class it loads), with the variables the template sets, so that what the shade filters leave out is never needed.
 * (The local platform reads templates with one HTTP API; this one has one per strategy, so the functions are
 * declared here.)
 */
@Timeout(90)
class TasksTemplateArtifactsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROXY = "TasksDbProxyFunction";
    private static final String HANDLER = "dev.dbproxy.examples.tasks.functions.TasksHandler::handleRequest";

    private static EmbeddedMongoDb database;
    private static LocalLambdaPlatform platform;

    @BeforeAll
    static void deployEveryFunctionFromItsOwnJar() {
        database = EmbeddedMongoDb.start();
        platform = LocalLambdaPlatform.start();
        FunctionDefinition.Builder proxy = FunctionDefinition.builder(PROXY, "dev.dbproxy.proxy.handler.DbProxyHandler")
                .classPath(List.of(Path.of("../../proxy-handler/target/proxy-handler-lambda.jar")))
                .memoryMb(512)
                .timeout(Duration.ofSeconds(6));
        Map.of("MONGODB_URI", database.connectionString(),
                "PROXY_ALLOWED_DATABASE", "tasks",
                "PROXY_ALLOWED_COLLECTIONS", "tasks",
                "PROXY_ALLOWED_ACTIONS", "find,findOne,insertOne,updateOne,deleteOne")
                .forEach(proxy::environmentVariable);
        platform.deploy(proxy.build());
        deploy("DirectTasksFunction", "target/tasks-direct-lambda.jar", Map.of("TASKS_REPOSITORY", "direct",
                "MONGODB_URI", database.connectionString(), "TASKS_DATABASE", "tasks"));
        deploy("ProxyTasksFunction", "target/tasks-lambda-proxy-lambda.jar", Map.of("TASKS_REPOSITORY",
                "lambda-proxy", "DB_PROXY_FUNCTION", platform.functionArn(PROXY), "TASKS_DATABASE", "tasks"));
    }

    private static void deploy(String name, String jar, Map<String, String> variables) {
        FunctionDefinition.Builder function = FunctionDefinition.builder(name, HANDLER)
                .classPath(List.of(Path.of(jar)));
        variables.forEach(function::environmentVariable);
        platform.deploy(function.build());
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"DirectTasksFunction", "ProxyTasksFunction"})
    void aTaskAdded_isListed_fromTheFunctionsJarAlone(String function) throws Exception {
        String id = TaskId.generate().value();
        JsonNode added = invoke(function, "POST", "/tasks", "{\"id\":\"" + id + "\",\"title\":\"from the jar\"}");
        assertEquals(201, added.get("statusCode").asInt(), added.toString());

        JsonNode listed = invoke(function, "GET", "/tasks", null);
        assertEquals(200, listed.get("statusCode").asInt(), listed.toString());
        assertTrue(listed.get("body").asText().contains(id), "the list holds the new task: " + listed);
    }

    private static JsonNode invoke(String function, String method, String path, String body) throws Exception {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "2.0")
                .put("routeKey", method + " " + path)
                .put("rawPath", path)
                .put("rawQueryString", "")
                .put("isBase64Encoded", false);
        event.putObject("headers").put("content-type", "application/json");
        event.putObject("requestContext").put("requestId", "artifacts").putObject("http")
                .put("method", method).put("path", path);
        if (body != null) {
            event.put("body", body);
        }
        InvocationResult result = platform.invoke(function, JSON.writeValueAsBytes(event)).get(60, TimeUnit.SECONDS);
        return JSON.readTree(assertInstanceOf(InvocationResult.Completed.class, result, function + ": " + result)
                .payload());
    }
}
