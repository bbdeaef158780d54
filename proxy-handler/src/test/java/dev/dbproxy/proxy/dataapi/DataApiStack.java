package dev.dbproxy.proxy.dataapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.HttpApiGateway;
import dev.dbproxy.lambda.platform.HttpApiRoute;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.proxy.handler.DbProxyHandler;
import dev.dbproxy.proxy.handler.DbProxySettings;
import dev.dbproxy.proxy.handler.ProxyPolicy;
import dev.dbproxy.proxy.protocol.ProxyAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * The DB proxy on the local Lambda platform behind the local HTTP API gateway with the Data API's route
 * {@code POST /action/{action}}, on the embedded MongoDB, with two keys: {@link #FULL_KEY} may run every Data API
 * action on {@code learn-data-api.tasks} (the database of the Data API documentation's examples) and
 * {@code learn-data-api.hello}; {@link #READ_ONLY_KEY} may only read them.
 */
final class DataApiStack implements AutoCloseable {

    static final String DATABASE = "learn-data-api";
    static final String FUNCTION = "db-proxy";
    static final String FULL_KEY = DataApiKeys.newKey();
    static final String READ_ONLY_KEY = DataApiKeys.newKey();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final EmbeddedMongoDb mongoDb;
    private final LocalLambdaPlatform platform;
    private final HttpApiGateway gateway;
    private final MongoClient inspector;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private DataApiStack(EmbeddedMongoDb mongoDb, LocalLambdaPlatform platform, HttpApiGateway gateway) {
        this.mongoDb = mongoDb;
        this.platform = platform;
        this.gateway = gateway;
        this.inspector = MongoClients.create(mongoDb.connectionString());
    }

    static DataApiStack start() {
        EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start();
        LocalLambdaPlatform platform = LocalLambdaPlatform.start();
        Set<String> collections = Set.of("tasks", "hello");
        Set<ProxyAction> all = EnumSet.complementOf(EnumSet.of(ProxyAction.COUNT_DOCUMENTS));
        Set<ProxyAction> reads = EnumSet.of(ProxyAction.FIND, ProxyAction.FIND_ONE, ProxyAction.AGGREGATE);
        String records = DataApiKeys.toJson(List.of(
                new DataApiKey("full", DataApiKeys.sha256(FULL_KEY), new ProxyPolicy(DATABASE, collections, all)),
                new DataApiKey("reader", DataApiKeys.sha256(READ_ONLY_KEY),
                        new ProxyPolicy(DATABASE, collections, reads))));
        Map<String, String> env = new HashMap<>();
        env.put(DbProxySettings.MONGODB_URI, mongoDb.connectionString());
        env.put(DbProxySettings.MONGODB_SERVER_SELECTION_TIMEOUT_MS, "1000");
        // The function's own policy, for Invoke callers, allows nothing of the Data API's database.
        env.put(DbProxySettings.PROXY_ALLOWED_DATABASE, "app");
        env.put(DbProxySettings.PROXY_ALLOWED_COLLECTIONS, "notes");
        env.put(DbProxySettings.PROXY_ALLOWED_ACTIONS, "findOne");
        env.put(DbProxySettings.PROXY_MAX_REQUEST_BYTES, "65536");
        env.put(DataApiKeySource.DATA_API_KEYS, records);
        platform.deploy(FunctionDefinition.builder(FUNCTION, DbProxyHandler.class.getName())
                .timeout(Duration.ofSeconds(10)).environment(env).build());
        HttpApiGateway gateway = platform.startHttpApiGateway(
                List.of(new HttpApiRoute("POST", "/action/{action}", FUNCTION),
                        new HttpApiRoute("GET", "/action/{action}", FUNCTION)), 0);
        return new DataApiStack(mongoDb, platform, gateway);
    }

    /** The Data API base URL: clients append {@code /action/find}. */
    URI baseUrl() {
        return gateway.endpoint();
    }

    LocalLambdaPlatform platform() {
        return platform;
    }

    List<String> databaseNames() {
        return inspector.listDatabaseNames().into(new java.util.ArrayList<>());
    }

    com.mongodb.client.MongoDatabase database() {
        return inspector.getDatabase(DATABASE);
    }

    MongoCollection<Document> collection(String name) {
        return inspector.getDatabase(DATABASE).getCollection(name);
    }

    /** Posts the body to {@code /action/{action}} with these headers (name, value, name, value...). */
    HttpResponse<String> post(String action, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/action/" + action))
                .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Posts with the full key, JSON in and out. */
    JsonNode call(String action, String body) {
        HttpResponse<String> response = post(action, body, "api-key", FULL_KEY, "Content-Type", "application/json");
        if (response.statusCode() != 200) {
            throw new AssertionError(action + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.close();
        inspector.close();
        gateway.close();
        platform.close();
        mongoDb.close();
    }
}
