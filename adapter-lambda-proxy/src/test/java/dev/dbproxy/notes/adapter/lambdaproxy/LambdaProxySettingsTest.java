package dev.dbproxy.notes.adapter.lambdaproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.notes.core.error.ConfigurationException;
import dev.dbproxy.proxy.client.DbProxySettings;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LambdaProxySettingsTest {

    private static Map<String, String> env(String... namesAndValues) {
        Map<String, String> env = new HashMap<>(Map.of(LambdaProxySettings.NOTES_PROXY_FUNCTION, " db-proxy "));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    @Test
    void onlyTheFunctionIsRequired_everythingElseHasItsDocumentedDefault() {
        LambdaProxySettings settings = LambdaProxySettings.fromEnv(env());

        assertEquals("db-proxy", settings.proxy().functionName());
        assertEquals("notes", settings.database());
        assertEquals("notes", settings.collection());
        assertEquals("us-east-1", settings.proxy().region());
        assertEquals(Optional.empty(), settings.proxy().endpoint());
        assertEquals(Optional.empty(), settings.proxy().credentials());
        assertEquals(Duration.ofSeconds(15), settings.proxy().invokeTimeout());
        assertEquals(Duration.ofSeconds(8), settings.proxy().deadline());
        assertEquals(DbProxySettings.UNTIL_THE_DEADLINE, settings.proxy().maxAttempts());
        assertEquals(Duration.ofMillis(2), settings.proxy().batchWindow());
        assertEquals(25, settings.proxy().maxBatchSize());
    }

    @Test
    void aDatabaseOrCollectionNameMongoDbRefuses_failsNamingTheVariable() {
        Map<String, String> badDatabase = env();
        badDatabase.put("NOTES_DATABASE", "my.notes");
        Map<String, String> badCollection = env();
        badCollection.put("NOTES_COLLECTION", "$notes");

        assertTrue(assertThrows(ConfigurationException.class, () -> LambdaProxySettings.fromEnv(badDatabase))
                .getMessage().startsWith("NOTES_DATABASE"));
        assertTrue(assertThrows(ConfigurationException.class, () -> LambdaProxySettings.fromEnv(badCollection))
                .getMessage().startsWith("NOTES_COLLECTION"));
    }

    @Test
    void aMissingFunction_failsNamingTheVariable() {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> LambdaProxySettings.fromEnv(Map.of()));

        assertTrue(error.getMessage().startsWith(LambdaProxySettings.NOTES_PROXY_FUNCTION + " is not set"));
    }

    @Test
    void numbersAndTheLambdaEndpoint_areRead_andAZeroWindowIsAllowed() {
        LambdaProxySettings settings = LambdaProxySettings.fromEnv(env(
                LambdaProxySettings.NOTES_PROXY_INVOKE_TIMEOUT_MS, "20000",
                LambdaProxySettings.NOTES_PROXY_BATCH_WINDOW_MICROS, "0",
                LambdaProxySettings.NOTES_PROXY_MAX_BATCH_SIZE, " 10 ",
                LambdaProxySettings.AWS_ENDPOINT_URL, "http://127.0.0.1:1",
                LambdaProxySettings.AWS_ENDPOINT_URL_LAMBDA, "http://127.0.0.1:9001"));

        assertEquals(Duration.ofSeconds(20), settings.proxy().invokeTimeout());
        assertEquals(Duration.ZERO, settings.proxy().batchWindow());
        assertEquals(10, settings.proxy().maxBatchSize());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9001")), settings.proxy().endpoint());
    }

    @ParameterizedTest
    @CsvSource({
            "NOTES_PROXY_MAX_BATCH_SIZE, 0, a positive whole number",
            "NOTES_PROXY_MAX_BATCH_SIZE, 1, at least 2 (an update is two operations)",
            "NOTES_PROXY_MAX_BATCH_SIZE, 4294967297, a positive whole number",
            "NOTES_PROXY_MAX_ATTEMPTS, three, a positive whole number",
            "NOTES_PROXY_DEADLINE_MS, -5, a positive whole number",
            "NOTES_PROXY_BATCH_WINDOW_MICROS, -1, a whole number >= 0",
            "AWS_ENDPOINT_URL_LAMBDA, 127.0.0.1:9001, an absolute URL"})
    void anInvalidValue_failsNamingTheVariable(String name, String value, String expected) {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> LambdaProxySettings.fromEnv(env(name, value)));

        assertTrue(error.getMessage().startsWith(name + " must be " + expected), error.getMessage());
    }

    @Test
    void credentials_comeFromLambdasVariables_andTheSecretIsNeverPrinted() {
        LambdaProxySettings settings = LambdaProxySettings.fromEnv(env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-secret", "AWS_SESSION_TOKEN", "session-token-value"));

        assertEquals(Optional.of("session-token-value"), settings.proxy().credentials().orElseThrow().sessionToken());
        assertFalse(settings.toString().contains("wJalrXUtnFEMI-secret"));
        assertFalse(settings.toString().contains("session-token-value"));
    }
}
