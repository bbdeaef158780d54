package dev.dbproxy.proxy.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DbProxySettingsTest {

    @Test
    void fromEnv_readsTheDbProxyVariables_withTheDocumentedDefaults() {
        DbProxySettings settings = DbProxySettings.fromEnv(Map.of("DB_PROXY_FUNCTION", " shop-proxy ",
                "DB_PROXY_DEADLINE_MS", "3000", "AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9001"));

        assertEquals("shop-proxy", settings.functionName());
        assertEquals(Duration.ofSeconds(3), settings.deadline());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9001")), settings.endpoint());
        assertEquals(DbProxySettings.forFunction("shop-proxy").withDeadline(Duration.ofSeconds(3))
                .withEndpoint(URI.create("http://127.0.0.1:9001")), settings);
    }

    @Test
    void anApplicationsOwnPrefix_namesTheVariablesInItsErrors() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DbProxySettings.fromEnv(Map.of(), "ORDERS_PROXY_"));
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> DbProxySettings.fromEnv(Map.of("ORDERS_PROXY_FUNCTION", "p",
                        "ORDERS_PROXY_MAX_ATTEMPTS", "many"), "ORDERS_PROXY_"));

        assertTrue(missing.getMessage().startsWith("ORDERS_PROXY_FUNCTION is not set"), missing.getMessage());
        assertTrue(invalid.getMessage().startsWith("ORDERS_PROXY_MAX_ATTEMPTS must be a positive whole number"),
                invalid.getMessage());
    }

    @Test
    void coalescingAcrossInvocations_isOnWhereAnEnvironmentRunsSeveralInvocationsAtOnce_andOffElsewhere() {
        assertFalse(settings(Map.of()).coalesceAcrossInvocations(), "standard Lambda: one invocation at a time");
        assertFalse(settings(Map.of("AWS_LAMBDA_MAX_CONCURRENCY", "1")).coalesceAcrossInvocations());
        assertTrue(settings(Map.of("AWS_LAMBDA_MAX_CONCURRENCY", "32")).coalesceAcrossInvocations());
        assertFalse(settings(Map.of("AWS_LAMBDA_MAX_CONCURRENCY", "32", "DB_PROXY_COALESCE_ACROSS_INVOCATIONS",
                "false")).coalesceAcrossInvocations());
        assertTrue(settings(Map.of("DB_PROXY_COALESCE_ACROSS_INVOCATIONS", "true")).coalesceAcrossInvocations());
    }

    @Test
    void theHttpClient_isTheJdksUnlessTheVariableAsksForTheCrt() {
        assertEquals(HttpClientType.JDK, settings(Map.of()).httpClient(), "no jar default on this class path");
        assertEquals(HttpClientType.JDK, settings(Map.of("DB_PROXY_HTTP_CLIENT", "jdk")).httpClient());
        assertEquals(HttpClientType.CRT, settings(Map.of("DB_PROXY_HTTP_CLIENT", " CRT ")).httpClient());
        assertEquals(HttpClientType.CRT, DbProxySettings.fromEnv(Map.of("NOTES_PROXY_FUNCTION", "p",
                "NOTES_PROXY_HTTP_CLIENT", "crt"), "NOTES_PROXY_").httpClient());
    }

    @Test
    void anUnknownHttpClient_failsNamingTheVariableAndTheChoices() {
        IllegalArgumentException netty = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of("DB_PROXY_HTTP_CLIENT", "netty")));

        assertEquals("DB_PROXY_HTTP_CLIENT must be jdk or crt, was 'netty'", netty.getMessage());
    }

    @Test
    void anInvalidCoalescingSetting_failsNamingTheVariable() {
        IllegalArgumentException notABoolean = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of("DB_PROXY_COALESCE_ACROSS_INVOCATIONS", "yes")));
        IllegalArgumentException notAConcurrency = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of("AWS_LAMBDA_MAX_CONCURRENCY", "lots")));

        assertEquals("DB_PROXY_COALESCE_ACROSS_INVOCATIONS must be true or false, was 'yes'",
                notABoolean.getMessage());
        assertTrue(notAConcurrency.getMessage().startsWith("AWS_LAMBDA_MAX_CONCURRENCY must be a positive whole"
                + " number"), notAConcurrency.getMessage());
    }

    private static DbProxySettings settings(Map<String, String> variables) {
        Map<String, String> env = new HashMap<>(variables);
        env.put("DB_PROXY_FUNCTION", "shop-proxy");
        return DbProxySettings.fromEnv(env);
    }
}
