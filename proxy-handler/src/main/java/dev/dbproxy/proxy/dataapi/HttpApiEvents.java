package dev.dbproxy.proxy.dataapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Tells an API Gateway HTTP API event (payload format 2.0) from a proxy protocol request, both JSON objects given to
 * the same function. The test is the top-level {@code version} field: the string {@code "2.0"} in an HTTP API event,
 * an integer in a protocol request (which refuses a string there), so no valid protocol request is ever taken for an
 * event, and an event is never run as a protocol request. Only the top level is tokenized, nested values are
 * skipped, and the scan stops at {@code version}, which both writers put first.
 */
public final class HttpApiEvents {

    private static final JsonFactory JSON = new JsonFactory();

    private HttpApiEvents() {
    }

    /** Whether the payload is a JSON object whose top-level {@code version} is the string {@code "2.0"}. */
    public static boolean isHttpApiEvent(byte[] payload) {
        try (JsonParser parser = JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("version".equals(name)) {
                    return value == JsonToken.VALUE_STRING && "2.0".equals(parser.getText());
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException | RuntimeException notJson) {
            return false;
        }
    }
}
