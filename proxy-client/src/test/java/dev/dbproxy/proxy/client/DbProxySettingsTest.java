package dev.dbproxy.proxy.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
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
}
