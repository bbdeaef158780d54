package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Loads the API Gateway HTTP API (payload 2.0) event fixtures of {@code src/test/resources/events}. */
final class ApiGatewayEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ApiGatewayEvents() {
    }

    /** The fixture {@code name}, with each {@code ${key}} replaced by its value (JSON-escaped). */
    static APIGatewayV2HTTPEvent load(String name, Map<String, String> values) {
        try {
            APIGatewayV2HTTPEvent event = MAPPER.readValue(json(name, values), APIGatewayV2HTTPEvent.class);
            if (event.getQueryStringParameters() != null) {
                event.getQueryStringParameters().values().removeIf(v -> v.startsWith("${"));
            }
            return event;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the fixture {@code name}, as API Gateway sends it, with each {@code ${key}} replaced by its value. */
    static String json(String name, Map<String, String> values) {
        try (InputStream in = ApiGatewayEvents.class.getResourceAsStream("/events/" + name + ".json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                String escaped = MAPPER.writeValueAsString(value.getValue());
                json = json.replace("${" + value.getKey() + "}", escaped.substring(1, escaped.length() - 1));
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
