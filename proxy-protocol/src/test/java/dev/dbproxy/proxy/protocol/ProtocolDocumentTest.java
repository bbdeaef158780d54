package dev.dbproxy.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The examples of PROTOCOL.md are valid protocol: the requests and responses read with this codec. */
class ProtocolDocumentTest {

    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example:([\\w-]+):(request|response) -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyExampleRequestAndResponse_readsWithTheCodec() throws IOException {
        ProxyJsonCodec codec = ProxyJsonCodec.create();
        Matcher matcher = EXAMPLE.matcher(Files.readString(Path.of("PROTOCOL.md")));
        int requests = 0;
        int responses = 0;
        while (matcher.find()) {
            byte[] json = matcher.group(3).getBytes(StandardCharsets.UTF_8);
            if (matcher.group(2).equals("request")) {
                if (matcher.group(1).equals("rejected")) {
                    InvalidProxyMessageException invalid = org.junit.jupiter.api.Assertions.assertThrows(
                            InvalidProxyMessageException.class, () -> codec.readRequest(json));
                    assertEquals("example-rejected", invalid.requestId());
                } else {
                    assertFalse(codec.readRequest(json).operations().isEmpty());
                }
                requests++;
            } else {
                ProxyResponse response = codec.readResponse(json);
                assertTrue(response.requestId().startsWith("example-"), response::requestId);
                responses++;
            }
        }
        assertTrue(requests >= 7, "examples found: " + requests);
        assertEquals(requests, responses);
    }
}
