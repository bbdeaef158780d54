package dev.dbproxy.proxy.protocol;

import static dev.dbproxy.proxy.protocol.ProxyJsonCodecRequestTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyJsonCodecResponseTest {

    private static final ProxyJsonCodec CODEC = ProxyJsonCodec.create();
    private static final ResponseMetadata METADATA = new ResponseMetadata(true, "env-1", 12);

    @Test
    void writeResponse_thenReadResponse_givesEveryResultKindBack() {
        JsonNode id = ExtendedJson.objectId("65f0c0ffee0123456789abcd");
        List<OperationOutcome> outcomes = List.of(
                new OperationOutcome.Succeeded(new OperationResult.FoundOne(json("{\"_id\": 1, \"t\": \"x\"}"))),
                new OperationOutcome.Succeeded(new OperationResult.FoundOne(NullNode.getInstance())),
                new OperationOutcome.Succeeded(new OperationResult.FoundMany(List.of(json("{\"a\": 1}"),
                        json("{\"a\": 2}")))),
                new OperationOutcome.Succeeded(new OperationResult.FoundMany(List.of())),
                new OperationOutcome.Succeeded(new OperationResult.Counted(42)),
                new OperationOutcome.Succeeded(new OperationResult.InsertedOne(id)),
                new OperationOutcome.Succeeded(new OperationResult.InsertedMany(List.of(id, ExtendedJson.int64(7)))),
                new OperationOutcome.Succeeded(new OperationResult.Updated(1, 1, NullNode.getInstance())),
                new OperationOutcome.Succeeded(new OperationResult.Updated(0, 0, id)),
                new OperationOutcome.Succeeded(new OperationResult.Deleted(3)),
                new OperationOutcome.Failed(ProxyError.of(ErrorCode.DUPLICATE_KEY, "duplicate key")),
                new OperationOutcome.Failed(ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE, "database down")),
                new OperationOutcome.Skipped());
        ProxyResponse response = new ProxyResponse.Completed("req-9", outcomes, METADATA);

        ProxyResponse read = CODEC.readResponse(CODEC.writeResponse(response));

        assertEquals(response, read);
        ProxyResponse.Completed completed = assertInstanceOf(ProxyResponse.Completed.class, read);
        assertFalse(((OperationResult.FoundOne) ((OperationOutcome.Succeeded) completed.outcomes().get(1)).result())
                .found());
        assertTrue(((OperationOutcome.Failed) completed.outcomes().get(11)).error().retryable());
    }

    @Test
    void writeResponse_thenReadResponse_givesARejectionBack_withEmptyRequestIdWrittenAsNull() {
        ProxyResponse response = new ProxyResponse.Rejected("",
                ProxyError.of(ErrorCode.VALIDATION, "the request is not valid JSON"), METADATA);

        byte[] json = CODEC.writeResponse(response);

        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"requestId\":null"));
        assertEquals(response, CODEC.readResponse(json));
    }

    @Test
    void writeResponse_copiesPreSerializedDocumentsVerbatim() {
        String document = "{\"_id\": {\"$oid\": \"65f0c0ffee0123456789abcd\"}, \"n\": {\"$numberLong\": \"5\"}}";
        ProxyResponse response = new ProxyResponse.Completed("r", List.of(new OperationOutcome.Succeeded(
                new OperationResult.FoundMany(List.of(ExtendedJson.preSerialized(document))))), METADATA);

        byte[] json = CODEC.writeResponse(response);

        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"documents\":[" + document + "]"));
        ProxyResponse.Completed read = (ProxyResponse.Completed) CODEC.readResponse(json);
        OperationResult.FoundMany found = (OperationResult.FoundMany)
                ((OperationOutcome.Succeeded) read.outcomes().getFirst()).result();
        assertEquals(5L, ExtendedJson.readInt64(found.documents().getFirst().get("n")));
    }

    @Test
    void writeResponse_toAStream_writesASmallResponseInOnePiece_notOnePiecePerDocument() {
        List<JsonNode> documents = List.of(json("{\"a\": 1}"), json("{\"a\": 2}"),
                json("{\"a\": 3}"));
        ProxyResponse response = new ProxyResponse.Completed("r", List.of(
                new OperationOutcome.Succeeded(new OperationResult.FoundMany(documents)),
                new OperationOutcome.Succeeded(new OperationResult.FoundOne(json("{\"a\": 4}")))), METADATA);
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                writes.add(length);
                super.write(bytes, offset, length);
            }
        };

        CODEC.writeResponse(response, stream);

        assertEquals(List.of(stream.size()), writes);
        assertEquals(response, CODEC.readResponse(stream.toByteArray()));
    }

    @Test
    void readResponse_ignoresUnknownFields_andTreatsAnUnknownCodeAsInternal() {
        String json = """
                {"version": 1, "requestId": "r", "addedLater": true,
                 "results": [{"status": "error", "error": {"code": "QUOTA", "message": "over quota",
                                                          "retryable": true}, "hint": "x"}],
                 "metadata": {"coldStart": false, "environmentId": "e", "serverTimeMs": 1, "region": "x"}}""";

        ProxyResponse.Completed read = (ProxyResponse.Completed) CODEC.readResponse(json.getBytes(StandardCharsets.UTF_8));

        ProxyError error = ((OperationOutcome.Failed) read.outcomes().getFirst()).error();
        assertEquals(ErrorCode.INTERNAL, error.code());
        assertEquals("QUOTA: over quota", error.message());
        assertTrue(error.retryable());
    }

    @Test
    void readResponse_refusesAnotherVersionOrAMissingBody() {
        assertThrows(InvalidProxyMessageException.class,
                () -> CODEC.readResponse("{\"version\": 2, \"results\": []}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(InvalidProxyMessageException.class, () -> CODEC.readResponse(
                "{\"version\": 1, \"metadata\": {}}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(InvalidProxyMessageException.class, () -> CODEC.readResponse(new byte[0]));
    }

    @Test
    void proxyErrorOf_usesTheCodesRetryableDefault() {
        assertTrue(ProxyError.of(ErrorCode.TIMEOUT, "late").retryable());
        assertTrue(ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE, "down").retryable());
        assertFalse(ProxyError.of(ErrorCode.FORBIDDEN, "no").retryable());
        assertFalse(ProxyError.of(ErrorCode.RESULT_TOO_LARGE, "page").retryable());
    }
}
