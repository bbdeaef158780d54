package dev.dbproxy.notes.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.InvocationResult;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.lambda.platform.template.CloudFormationYamlConstructor;
import dev.dbproxy.lambda.platform.template.SamTemplate;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.adapter.lambdaproxy.LambdaProxySettings;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code template.yaml} against the packaged artifacts it names: every {@code Handler} exists in the jar of its
 * {@code CodeUri}; every function runs from that jar alone with the environment the template gives it (so each
 * artifact is self-sufficient and no variable a handler needs is missing); the MongoDB URI reaches only the proxy
 * and the direct-strategy functions; proxy-strategy functions may only invoke the proxy; and each business artifact
 * holds only its own strategy's client.
 */
class SamTemplateArtifactsIT {

    private static final Path TEMPLATE = Path.of("template.yaml").toAbsolutePath();
    private static final String SELECTOR = "NOTES_REPOSITORY";
    private static final String MONGODB_URI = "MONGODB_URI";
    private static final String PROXY_FUNCTION_VARIABLE = "NOTES_PROXY_FUNCTION";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedMongoDb database;
    private static SamTemplate template;
    private static Map<String, Object> resources;
    private static LocalLambdaPlatform platform;

    @BeforeAll
    static void deployEveryFunctionFromItsOwnJar() throws IOException {
        database = EmbeddedMongoDb.start();
        template = SamTemplate.load(TEMPLATE, Map.of("MongoDbUri", database.connectionString()));
        resources = mapping(new Yaml(new CloudFormationYamlConstructor())
                .<Map<String, Object>>load(Files.readString(TEMPLATE)).get("Resources"));
        platform = LocalLambdaPlatform.start();
        for (FunctionDefinition function : template.functions()) {
            platform.deploy(function.toBuilder().classPath(List.of(codeUri(function))).build());
        }
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

    static Stream<String> functionNames() {
        return SamTemplate.load(TEMPLATE, Map.of("MongoDbUri", "mongodb://localhost")).functions().stream()
                .map(FunctionDefinition::name);
    }

    @ParameterizedTest
    @MethodSource("functionNames")
    void handler_namesAPublicMethodOfAClassInsideTheJarOfItsCodeUri(String functionName) throws Exception {
        FunctionDefinition function = template.function(functionName);
        String[] handler = function.handler().split("::");
        Path jar = codeUri(function);
        try (JarFile contents = new JarFile(jar.toFile())) {
            assertNotNull(contents.getEntry(handler[0].replace('.', '/') + ".class"),
                    functionName + ": " + handler[0] + " is inside " + jar.getFileName());
        }
        try (URLClassLoader jarOnly = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> handlerClass = Class.forName(handler[0], false, jarOnly);
            String methodName = handler.length == 2 ? handler[1] : "handleRequest";
            List<Method> methods = Arrays.stream(handlerClass.getMethods())
                    .filter(method -> method.getName().equals(methodName))
                    .toList();
            assertFalse(methods.isEmpty(), functionName + ": " + handler[0] + " has a public method " + methodName);
            assertTrue(Modifier.isPublic(handlerClass.getModifiers()) && !Modifier.isAbstract(handlerClass.getModifiers()),
                    functionName + ": " + handler[0] + " is a public concrete class");
            handlerClass.getConstructor();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "lambda-proxy"})
    void everyBusinessFunctionOfAStrategy_runsFromItsJarAlone_withTheTemplatesEnvironment(String strategy)
            throws Exception {
        String prefix = strategy.equals("direct") ? "/direct" : "/proxy";
        Map<String, String> handlerToFunction = businessFunctions(strategy).stream()
                .collect(Collectors.toMap(function -> simpleHandlerName(function.handler()), FunctionDefinition::name));

        JsonNode created = invoke(handlerToFunction.get("CreateNoteHandler"), prefix, "create-note",
                Map.of("body", "{\"title\":\"from " + strategy + "\",\"description\":\"packaged\"}"), 201);
        String id = JSON.readTree(created.get("body").asText()).get("id").asText();
        JsonNode fetched = invoke(handlerToFunction.get("GetNoteHandler"), prefix, "get-note", Map.of("id", id), 200);
        assertEquals("from " + strategy, JSON.readTree(fetched.get("body").asText()).get("title").asText());
        JsonNode listed = invoke(handlerToFunction.get("ListNotesHandler"), prefix, "list-notes-no-query", Map.of(), 200);
        assertTrue(listed.get("body").asText().contains(id), "the list holds the new note");
        invoke(handlerToFunction.get("UpdateNoteHandler"), prefix, "update-note",
                Map.of("id", id, "body", "{\"title\":\"renamed\"}"), 200);
        invoke(handlerToFunction.get("DeleteNoteHandler"), prefix, "delete-note", Map.of("id", id), 204);
        assertEquals(5, handlerToFunction.size(), strategy + " has the five notes functions");
    }

    @Test
    void proxyFunction_runsFromItsJarAlone_whenTheProxyStrategyUsesIt() throws Exception {
        String proxyFunction = proxyFunction().name();
        long before = platform.metrics(proxyFunction).invocations();
        invoke(businessFunctions("lambda-proxy").stream()
                        .filter(function -> simpleHandlerName(function.handler()).equals("ListNotesHandler"))
                        .findFirst().orElseThrow().name(),
                "/proxy", "list-notes-no-query", Map.of(), 200);
        assertTrue(platform.metrics(proxyFunction).invocations() > before, "the list went through " + proxyFunction);
        assertEquals(0, platform.metrics(proxyFunction).errors(), proxyFunction + " never failed");
    }

    @Test
    void proxyPolicy_allowsOnlyTheActionsTheProxyStrategySends() {
        // What LambdaProxyNoteRepository sends: finds and counts for reads, one insert, update or delete per write.
        // The five functions running through the proxy with this policy (above) show nothing else is needed.
        Set<String> allowed = Set.of(proxyFunction().environment().get("PROXY_ALLOWED_ACTIONS").split(","));
        assertEquals(Set.of("find", "findOne", "countDocuments", "insertOne", "updateOne", "deleteOne"), allowed);
    }

    @Test
    void proxyStrategyFunctions_waitForOneInvocationLongerThanTheProxyFunctionMayRun() {
        Duration proxyTimeout = proxyFunction().timeout();
        for (FunctionDefinition function : businessFunctions("lambda-proxy")) {
            // A deadline shorter than the proxy's timeout is fine (the proxy stops working before the deadline it
            // receives); the invoke timeout is the cap for long ones, and must outlast the proxy.
            Duration invokeTimeout = LambdaProxySettings.fromEnv(function.environment()).proxy().invokeTimeout();

            assertTrue(invokeTimeout.compareTo(proxyTimeout) > 0, () -> function.name() + " gives up on an invocation"
                    + " after " + invokeTimeout + ", before the proxy's own timeout of " + proxyTimeout);
        }
    }

    @Test
    void mongoDbUri_reachesOnlyTheProxyAndTheDirectStrategyFunctions() {
        Set<String> withUri = names(template.functions().stream()
                .filter(function -> function.environment().containsKey(MONGODB_URI)).toList());
        Set<String> expected = names(businessFunctions("direct"));
        expected.add(proxyFunction().name());
        assertEquals(expected, withUri);
        for (FunctionDefinition function : businessFunctions("lambda-proxy")) {
            assertFalse(function.environment().containsKey(MONGODB_URI), function.name() + " gets no MONGODB_URI");
        }
    }

    @Test
    void template_hasFiveFunctionsPerStrategy_andEveryFunctionIsAStrategyFunctionOrTheProxy() {
        assertEquals(5, businessFunctions("direct").size());
        assertEquals(5, businessFunctions("lambda-proxy").size());
        assertEquals(11, template.functions().size(), "ten business functions and the proxy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "lambda-proxy"})
    void policies_letOnlyProxyStrategyFunctionsInvokeOnlyTheProxyFunction(String strategy) {
        String proxyLogicalId = proxyFunction().name();
        for (FunctionDefinition function : businessFunctions(strategy)) {
            Map<String, Object> properties = mapping(mapping(resources.get(function.name())).get("Properties"));
            assertFalse(properties.containsKey("Role"), function.name() + " has no Role that would replace its Policies");
            if (strategy.equals("direct")) {
                assertFalse(properties.containsKey("Policies"), function.name() + " needs no AWS permission");
                continue;
            }
            List<?> policies = assertInstanceOf(List.class, properties.get("Policies"), function.name() + " Policies");
            assertEquals(1, policies.size(), function.name() + " has one policy");
            List<?> statements = assertInstanceOf(List.class, mapping(policies.getFirst()).get("Statement"));
            assertEquals(1, statements.size(), function.name() + " has one statement");
            Map<String, Object> statement = mapping(statements.getFirst());
            assertEquals("Allow", statement.get("Effect"));
            assertEquals(List.of("lambda:InvokeFunction"), asList(statement.get("Action")), function.name() + " Action");
            // The proxy's alias only, of the proxy function or of its managed-instances twin (ProxyCompute).
            Map<String, Object> proxy = Map.of("Fn::Sub", "${" + proxyLogicalId + ".Arn}:live");
            Map<String, Object> proxyOrTwin = Map.of("Fn::If", List.of("ProxyOnManagedInstances",
                    Map.of("Fn::Sub", "${" + proxyLogicalId.replace("Function", "ManagedFunction") + ".Arn}:live"),
                    proxy));
            assertEquals(List.of(proxyOrTwin), asList(statement.get("Resource")), function.name() + " Resource");
        }
    }

    @Test
    void proxyStrategyArtifact_holdsNoMongoDbDriver_andDirectArtifact_holdsNoLambdaClient() throws IOException {
        Set<String> proxyJarEntries = entryNames(codeUri(businessFunctions("lambda-proxy").getFirst()));
        Set<String> directJarEntries = entryNames(codeUri(businessFunctions("direct").getFirst()));
        assertTrue(proxyJarEntries.stream().noneMatch(entry -> entry.startsWith("com/mongodb/") || entry.startsWith("org/bson/")),
                "no MongoDB driver in the proxy-strategy artifact");
        assertTrue(directJarEntries.stream().noneMatch(entry -> entry.startsWith("software/amazon/awssdk/services/lambda/")),
                "no Lambda client in the direct-strategy artifact");
    }

    /**
     * The local platform lends the Lambda event types to handlers (as it calls them through those types), so only
     * this check proves that each artifact carries, complete, the ones its handlers need on AWS: the Java runtime
     * deserializes the event through every nested type, which must all resolve from the jar alone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"direct", "lambda-proxy"})
    void businessArtifact_carriesTheHttpApiEventTypesWithEveryNestedType(String strategy) throws Exception {
        Path jar = codeUri(businessFunctions(strategy).getFirst());
        try (URLClassLoader jarOnly = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String type : List.of("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent",
                    "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse",
                    "com.amazonaws.services.lambda.runtime.RequestHandler",
                    "com.amazonaws.services.lambda.runtime.Context")) {
                resolveWithNestedTypes(Class.forName(type, false, jarOnly));
            }
        }
    }

    /** Resolves every member's signature of the type and of its nested types, as deserializing through them does. */
    private static void resolveWithNestedTypes(Class<?> type) {
        type.getDeclaredMethods();
        type.getDeclaredFields();
        type.getDeclaredConstructors();
        for (Class<?> nested : type.getDeclaredClasses()) {
            resolveWithNestedTypes(nested);
        }
    }

    private static JsonNode invoke(String functionName, String routePrefix, String fixture, Map<String, String> values,
                                   int expectedStatus) throws Exception {
        String event = ApiGatewayEvents.json(fixture, values).replace("/direct/notes", routePrefix + "/notes");
        InvocationResult result = platform.invoke(functionName, event.getBytes(StandardCharsets.UTF_8))
                .get(30, TimeUnit.SECONDS);
        InvocationResult.Completed completed = assertInstanceOf(InvocationResult.Completed.class, result,
                () -> functionName + " completed: " + describe(result));
        JsonNode response = JSON.readTree(completed.payload());
        assertEquals(expectedStatus, response.get("statusCode").asInt(), () -> functionName + " answered " + response);
        return response;
    }

    private static String describe(InvocationResult result) {
        return result instanceof InvocationResult.FunctionFailed failed
                ? new String(failed.errorPayload(), StandardCharsets.UTF_8)
                : result.toString();
    }

    private static List<FunctionDefinition> businessFunctions(String strategy) {
        return template.functions().stream()
                .filter(function -> strategy.equals(function.environment().get(SELECTOR)))
                .toList();
    }

    /**
     * The function the proxy-strategy functions invoke, named by their {@code NOTES_PROXY_FUNCTION} ARN: qualified
     * with the alias {@code live}, which SnapStart's published versions need.
     */
    private static FunctionDefinition proxyFunction() {
        Set<String> arns = businessFunctions("lambda-proxy").stream()
                .map(function -> function.environment().get(PROXY_FUNCTION_VARIABLE))
                .collect(Collectors.toSet());
        assertEquals(1, arns.size(), "every proxy-strategy function invokes the same proxy: " + arns);
        String[] arn = arns.iterator().next().split(":");
        assertEquals(8, arn.length, "arn:aws:lambda:region:account:function:name:live: " + arns);
        assertEquals("live", arn[7], "the proxy's alias: " + arns);
        return template.function(arn[6]);
    }

    private static Path codeUri(FunctionDefinition function) {
        Object codeUri = mapping(mapping(resources.get(function.name())).get("Properties")).get("CodeUri");
        assertInstanceOf(String.class, codeUri, function.name() + " CodeUri is a path");
        Path jar = TEMPLATE.getParent().resolve((String) codeUri).normalize();
        assertTrue(Files.isRegularFile(jar), function.name() + " CodeUri " + jar + " exists (built by mvn package)");
        return jar;
    }

    private static Set<String> entryNames(Path jar) throws IOException {
        try (JarFile contents = new JarFile(jar.toFile())) {
            return contents.stream().map(JarEntry::getName).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String simpleHandlerName(String handler) {
        String className = handler.split("::")[0];
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static Set<String> names(List<FunctionDefinition> functions) {
        return functions.stream().map(FunctionDefinition::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> list ? list : List.of(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value) {
        return assertInstanceOf(Map.class, value);
    }
}
