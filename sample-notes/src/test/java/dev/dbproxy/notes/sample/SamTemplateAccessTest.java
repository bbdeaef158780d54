package dev.dbproxy.notes.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.lambda.platform.HttpApiAccess;
import dev.dbproxy.lambda.platform.template.SamTemplate;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployed notes API is not open: whichever {@code ApiAuthorizer} is chosen, every route of
 * {@code template.yaml} requires a SigV4 signature or a JWT, and every route is throttled. The loader reads the one
 * HTTP API all routes belong to (it refuses routes of a second API, and any per-route {@code Auth} that could open
 * one route), so this holds for every route.
 */
class SamTemplateAccessTest {

    private static final Path TEMPLATE = Path.of("template.yaml");

    @ParameterizedTest
    @ValueSource(strings = {"AWS_IAM", "JwtAuthorizer"})
    void everyRoute_requiresAuthorization_andIsThrottled(String authorizer) {
        SamTemplate template = SamTemplate.load(TEMPLATE, Map.of("MongoDbUri", "mongodb://127.0.0.1:1",
                "ApiAuthorizer", authorizer, "JwtIssuer", "https://issuer.example.com"));

        HttpApiAccess access = template.httpApiAccess();
        assertFalse(template.routes().isEmpty());
        assertTrue(access.requiresAuthorization(), access::toString);
        assertEquals(authorizer, access.defaultAuthorizer());
        assertNotEquals(HttpApiAccess.NONE, access.throttling(), "routes are throttled");
    }

    @Test
    void byDefault_routesRequireSigV4_andAreThrottled() {
        HttpApiAccess access = SamTemplate.load(TEMPLATE, Map.of("MongoDbUri", "mongodb://127.0.0.1:1"))
                .httpApiAccess();

        assertEquals(new HttpApiAccess("AWS_IAM", "AWS_IAM", "burst 50, rate 20 requests/s per route"), access);
    }
}
