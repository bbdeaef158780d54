package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoClientSettings;
import com.mongodb.connection.ServerMonitoringMode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DbProxySettingsTest {

    private static final String URI_WITH_PASSWORD = "mongodb://proxy:s3cr3t-pw@db.example:27017/app?maxPoolSize=50";

    @Test
    void fromEnv_appliesLambdaFriendlyDefaults() {
        DbProxySettings settings = DbProxySettings.fromEnv(HandlerInvoker.environment(URI_WITH_PASSWORD));

        assertEquals(1, settings.maxPoolSize());
        assertEquals(Duration.ofMillis(1000), settings.serverSelectionTimeout());
        assertEquals(Duration.ofMillis(2000), settings.connectTimeout());
        assertEquals("db-proxy", settings.appName());
        assertEquals(ProxyLimits.defaults(), settings.limits());
        assertEquals(DbProxySettings.RequestLog.ALL, settings.requestLog());
        assertTrue(settings.limits().maxResponseBytes() < 6_000_000 - 1_000_000);
    }

    @Test
    void fromEnv_onManagedInstances_poolsOneConnectionPer32ConcurrentInvocations_unlessThePoolSizeIsSet() {
        Map<String, String> env = HandlerInvoker.environment(URI_WITH_PASSWORD);
        env.put("AWS_LAMBDA_MAX_CONCURRENCY", "64");
        assertEquals(2, DbProxySettings.fromEnv(env).maxPoolSize());

        env.put(DbProxySettings.MONGODB_MAX_POOL_SIZE, "8");
        assertEquals(8, DbProxySettings.fromEnv(env).maxPoolSize());
    }

    @Test
    void fromEnv_refusesAMaxConcurrencyThatIsNotAPositiveNumber_namingIt() {
        Map<String, String> env = HandlerInvoker.environment(URI_WITH_PASSWORD);
        env.put("AWS_LAMBDA_MAX_CONCURRENCY", "many");

        InvalidProxySettingsException error = assertThrows(InvalidProxySettingsException.class,
                () -> DbProxySettings.fromEnv(env));
        assertEquals("AWS_LAMBDA_MAX_CONCURRENCY must be a positive whole number, was 'many'", error.getMessage());
    }

    @Test
    void toMongoClientSettings_boundsThePool_evenAgainstTheConnectionString() {
        MongoClientSettings client = DbProxySettings.fromEnv(HandlerInvoker.environment(URI_WITH_PASSWORD))
                .toMongoClientSettings();

        assertEquals(1, client.getConnectionPoolSettings().getMaxSize());
        assertEquals(0, client.getConnectionPoolSettings().getMinSize());
        assertEquals(1000, client.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS));
        assertEquals(2000, client.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS));
        assertEquals("db-proxy", client.getApplicationName());
    }

    @Test
    void toMongoClientSettings_pollsTheServers_evenWhenTheConnectionStringAsksToStream() {
        MongoClientSettings client = DbProxySettings.fromEnv(HandlerInvoker.environment(
                "mongodb://127.0.0.1:27017/?serverMonitoringMode=stream")).toMongoClientSettings();

        assertEquals(ServerMonitoringMode.POLL, client.getServerSettings().getServerMonitoringMode());
    }

    @Test
    void fromEnv_readsEveryVariable() {
        Map<String, String> env = HandlerInvoker.environment(URI_WITH_PASSWORD);
        env.put(DbProxySettings.MONGODB_MAX_POOL_SIZE, "2");
        env.put(DbProxySettings.MONGODB_CONNECT_TIMEOUT_MS, "1500");
        env.put(DbProxySettings.MONGODB_APP_NAME, "proxy-test");
        env.put(DbProxySettings.PROXY_MAX_OPERATIONS_PER_BATCH, "10");
        env.put(DbProxySettings.PROXY_DEFAULT_FIND_LIMIT, "20");
        env.put(DbProxySettings.PROXY_MAX_FIND_LIMIT, "200");
        env.put(DbProxySettings.PROXY_MAX_RESPONSE_BYTES, "100000");
        env.put(DbProxySettings.PROXY_MAX_REQUEST_BYTES, "50000");
        env.put(DbProxySettings.PROXY_LOG_REQUESTS, "Failures");

        DbProxySettings settings = DbProxySettings.fromEnv(env);

        assertEquals(2, settings.maxPoolSize());
        assertEquals(Duration.ofMillis(1500), settings.connectTimeout());
        assertEquals("proxy-test", settings.appName());
        assertEquals(new ProxyLimits(10, 20, 200, 100_000, 50_000), settings.limits());
        assertEquals(DbProxySettings.RequestLog.FAILURES, settings.requestLog());
    }

    @Test
    void toString_hidesTheConnectionString() {
        String text = DbProxySettings.fromEnv(HandlerInvoker.environment(URI_WITH_PASSWORD)).toString();

        assertTrue(text.contains("mongoDbUri=<hidden>"));
        assertFalse(text.contains("s3cr3t"));
        assertFalse(text.contains("db.example"));
    }

    static Stream<Arguments> invalidEnvironments() {
        return Stream.of(
                Arguments.of(DbProxySettings.MONGODB_URI, "", "MONGODB_URI is not set"),
                Arguments.of(DbProxySettings.MONGODB_URI, "postgres://proxy:s3cr3t-pw@db", "must be a MongoDB"),
                Arguments.of(DbProxySettings.MONGODB_MAX_POOL_SIZE, "0", "MONGODB_MAX_POOL_SIZE must be a positive"),
                Arguments.of(DbProxySettings.PROXY_MAX_FIND_LIMIT, "many", "PROXY_MAX_FIND_LIMIT must be a positive"),
                Arguments.of(DbProxySettings.PROXY_DEFAULT_FIND_LIMIT, "5000", "must not exceed PROXY_MAX_FIND_LIMIT"),
                Arguments.of(DbProxySettings.PROXY_MAX_RESPONSE_BYTES, "6000000", "PROXY_MAX_RESPONSE_BYTES must be"),
                Arguments.of(DbProxySettings.PROXY_MAX_REQUEST_BYTES, "7000000", "PROXY_MAX_REQUEST_BYTES must be"),
                Arguments.of(DbProxySettings.PROXY_LOG_REQUESTS, "errors", "PROXY_LOG_REQUESTS must be all or failures"),
                Arguments.of("PROXY_ALLOWED_COLECTIONS", "users", "unknown variables [PROXY_ALLOWED_COLECTIONS]"),
                Arguments.of(DbProxySettings.PROXY_ALLOWED_DATABASE, " ", "PROXY_ALLOWED_DATABASE is not set"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidEnvironments")
    void fromEnv_failsFast_namingTheVariable_neverShowingTheUri(String variable, String value, String expected) {
        Map<String, String> env = HandlerInvoker.environment(URI_WITH_PASSWORD);
        env.put(variable, value);

        InvalidProxySettingsException invalid = assertThrows(InvalidProxySettingsException.class,
                () -> DbProxySettings.fromEnv(env));

        assertTrue(invalid.getMessage().contains(expected), invalid::getMessage);
        assertFalse(invalid.getMessage().contains("s3cr3t"));
    }

    @Test
    void toMongoClientSettings_doesNotRepeatAnUnparsableConnectionString() {
        Map<String, String> env = HandlerInvoker.environment("mongodb://proxy:s3cr3t-pw@db.example:notaport/app");
        DbProxySettings settings = DbProxySettings.fromEnv(env);

        InvalidProxySettingsException invalid = assertThrows(InvalidProxySettingsException.class,
                settings::toMongoClientSettings);

        assertFalse(invalid.getMessage().contains("s3cr3t"));
        assertEquals(null, invalid.getCause());
    }
}
