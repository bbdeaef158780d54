package dev.dbproxy.proxy.dataapi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpApiEventsTest {

    private static boolean isEvent(String json) {
        return HttpApiEvents.isHttpApiEvent(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anHttpApiEvent_isRecognised_whereverItsVersionIs() {
        assertTrue(isEvent("{\"version\": \"2.0\", \"routeKey\": \"POST /action/{action}\"}"));
        assertTrue(isEvent("{\"rawPath\": \"/action/find\", \"headers\": {\"version\": 1},"
                + " \"requestContext\": {\"http\": {\"method\": \"POST\"}}, \"version\": \"2.0\"}"));
    }

    @Test
    void protocolRequestsAndAnythingElse_areNotEvents() {
        assertFalse(isEvent("{\"version\": 1, \"requestId\": \"r\", \"operations\": []}"));
        assertFalse(isEvent("{\"version\": {\"$numberInt\": \"1\"}, \"requestId\": \"r\"}"));
        assertFalse(isEvent("{\"version\": 2, \"requestId\": \"r\", \"operations\": []}"), "protocol version 2");
        assertFalse(isEvent("{\"version\": {\"$numberInt\": \"2\"}, \"requestId\": \"r\"}"));
        assertFalse(isEvent("{\"version\": \"1.0\"}"));
        assertFalse(isEvent("{\"requestId\": \"r\", \"nested\": {\"version\": \"2.0\"}}"));
        assertFalse(isEvent("[{\"version\": \"2.0\"}]"));
        assertFalse(isEvent(""));
        assertFalse(isEvent("not json"));
    }
}
