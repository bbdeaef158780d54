package dev.dbproxy.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Version 2 requests: operations of several callers, each with its own request id and deadline, beside version 1
 * requests, which read and write as before.
 */
class ProxyJsonCodecVersion2Test {

    private static final ProxyJsonCodec CODEC = ProxyJsonCodec.create();
    private static final Namespace NOTES = Namespace.of("app", "notes");
    private static final Instant EARLY = Instant.parse("2030-01-01T00:00:01Z");
    private static final Instant LATE = Instant.parse("2030-01-01T00:00:03Z");
    private static final String FIND = "\"action\": \"find\", \"database\": \"app\", \"collection\": \"notes\"";

    @Test
    void aRequestOfSeveralCallers_isWrittenAsVersion2_andReadBackWithEveryOperationsCaller() {
        ProxyRequest request = ProxyRequest.builder()
                .requestId("sender/1").ordered(false)
                .add(ProxyOperation.find(NOTES, ProxyJsonCodecRequestTest.json("{}")),
                        new OperationCaller("invocation-a/1", EARLY))
                .add(ProxyOperation.countDocuments(NOTES, ProxyJsonCodecRequestTest.json("{}")),
                        new OperationCaller("invocation-b/1", LATE))
                .build();

        byte[] json = CODEC.writeRequest(request);
        ProxyRequest read = CODEC.readRequest(json);

        assertEquals(request, read);
        assertEquals(2, read.version());
        assertEquals(LATE, read.deadline(), "the latest of the callers' deadlines");
        assertEquals(new OperationCaller("invocation-a/1", EARLY), read.callerOf(0));
        assertEquals(new OperationCaller("invocation-b/1", LATE), read.callerOf(1));
        JsonNode tree = CODEC.readTree(new String(json, StandardCharsets.UTF_8));
        assertEquals(2, tree.get("version").asInt());
        assertEquals("invocation-a/1", tree.at("/operations/0/requestId").asText());
        assertEquals(EARLY.toEpochMilli(), tree.at("/operations/0/deadlineEpochMillis").asLong());
    }

    @Test
    void aVersion1Request_isWrittenExactlyAsBefore_withoutCallerFields() {
        ProxyRequest request = ProxyRequest.builder().requestId("r").deadline(LATE)
                .add(ProxyOperation.find(NOTES, ProxyJsonCodecRequestTest.json("{}"))).build();

        String json = new String(CODEC.writeRequest(request), StandardCharsets.UTF_8);

        assertEquals("{\"version\":1,\"requestId\":\"r\",\"deadlineEpochMillis\":1893456003000,\"ordered\":true,"
                + "\"extendedJsonMode\":\"canonical\",\"operations\":[{\"action\":\"find\",\"database\":\"app\","
                + "\"collection\":\"notes\",\"filter\":{}}]}", json);
        assertEquals(1, request.version());
        assertEquals(new OperationCaller("r", LATE), request.callerOf(0), "every operation is the sender's");
    }

    @Test
    void aVersion2Operation_withoutCallerFields_belongsToTheRequestsIdAndDeadline() {
        ProxyRequest request = read("{\"version\": 2, \"requestId\": \"sender\", \"deadlineEpochMillis\": "
                + LATE.toEpochMilli() + ", \"operations\": [{" + FIND + "}, {" + FIND + ", \"requestId\": \"b\"},"
                + " {" + FIND + ", \"deadlineEpochMillis\": {\"$numberLong\": \"" + EARLY.toEpochMilli() + "\"}}]}");

        assertEquals(List.of(new OperationCaller("sender", LATE), new OperationCaller("b", LATE),
                new OperationCaller("sender", EARLY)), request.callers());
    }

    @Test
    void aResponseToAVersion2Request_saysVersion2_andReadsBack() {
        ProxyResponse response = new ProxyResponse.Completed("sender/1", List.of(new OperationOutcome.Skipped()),
                new ResponseMetadata(false, "e", 1), 2);

        byte[] json = CODEC.writeResponse(response);

        assertTrue(new String(json, StandardCharsets.UTF_8).startsWith("{\"version\":2,\"requestId\":\"sender/1\""));
        assertEquals(response, CODEC.readResponse(json));
    }

    @Test
    void anInvalidVersion2Request_keepsItsVersionAndRequestId_forTheRejection() {
        InvalidProxyMessageException invalid = assertThrows(InvalidProxyMessageException.class,
                () -> read("{\"version\": 2, \"requestId\": \"sender\", \"deadlineEpochMillis\": 1, \"operations\": [{"
                        + FIND + ", \"requestId\": 7}]}"));

        assertEquals("sender", invalid.requestId());
        assertEquals(2, invalid.version());
    }

    @Test
    void theBuilder_refusesACallerWhoseDeadlineIsLaterThanTheRequests() {
        ProxyRequest.Builder builder = ProxyRequest.builder().requestId("s").deadline(EARLY)
                .add(ProxyOperation.find(NOTES, ProxyJsonCodecRequestTest.json("{}")), new OperationCaller("a", LATE));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, builder::build);

        assertTrue(refused.getMessage().contains("operations[0].deadlineEpochMillis is later than"),
                refused.getMessage());
    }

    static Stream<Arguments> malformedVersion2Requests() {
        String envelope = "{\"version\": 2, \"requestId\": \"s\", \"deadlineEpochMillis\": 1893456003000, ";
        return Stream.of(
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"deadlineEpochMillis\": 1893456003001}]}",
                        "operations[0].deadlineEpochMillis is later than the request's deadlineEpochMillis;"
                                + " the request's deadline must be the latest of its operations'"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + "}, {" + FIND
                                + ", \"deadlineEpochMillis\": {\"$numberLong\": \"1893456004000\"}}]}",
                        "operations[1].deadlineEpochMillis is later than the request's deadlineEpochMillis"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"deadlineEpochMillis\": \"soon\"}]}",
                        "operations[0].deadlineEpochMillis must be a positive integer: milliseconds since"
                                + " 1970-01-01T00:00:00Z"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"deadlineEpochMillis\": 0}]}",
                        "operations[0].deadlineEpochMillis must be a positive integer"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"deadlineEpochMillis\": null}]}",
                        "operations[0].deadlineEpochMillis must be a positive integer"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"requestId\": 7}]}",
                        "operations[0].requestId must be a string"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"requestId\": \" \"}]}",
                        "operations[0].requestId must be a non-empty string"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"requestId\": \"" + "x".repeat(129) + "\"}]}",
                        "operations[0].requestId must be at most 128 characters"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"requestId\": \"a\\nFAKE LOG LINE\"}]}",
                        "operations[0].requestId must not contain control characters"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"requestId\": \"a\", \"requestId\": \"b\"}]}",
                        "Duplicate field 'requestId'"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + ", \"caller\": \"a\"}]}",
                        "operations[0].caller is not an argument of find"),
                Arguments.of(envelope + "\"operations\": [{" + FIND + "}], \"callers\": []}",
                        "unknown field 'callers' in the request"),
                Arguments.of("{\"version\": 2, \"requestId\": \"s\", \"operations\": [{" + FIND + "}]}",
                        "deadlineEpochMillis is required"),
                Arguments.of("{\"version\": 2, \"deadlineEpochMillis\": 1893456003000, \"operations\": [{" + FIND
                        + ", \"requestId\": \"a\"}]}", "requestId is required"));
    }

    @ParameterizedTest
    @MethodSource("malformedVersion2Requests")
    void aMalformedVersion2Request_isRefusedWithAValidationErrorNamingTheField(String json, String expected) {
        InvalidProxyMessageException thrown = assertThrows(InvalidProxyMessageException.class, () -> read(json));

        assertEquals(ErrorCode.VALIDATION, thrown.error().code());
        assertTrue(thrown.error().message().contains(expected), () -> "message was: " + thrown.error().message());
    }

    @Test
    void aVersion1Operation_mayNotCarryCallerFields_asBefore() {
        InvalidProxyMessageException thrown = assertThrows(InvalidProxyMessageException.class,
                () -> read("{\"version\": 1, \"requestId\": \"r\", \"deadlineEpochMillis\": 1893456003000,"
                        + " \"operations\": [{" + FIND + ", \"requestId\": \"a\"}]}"));

        assertEquals("operations[0].requestId is not an argument of find; its arguments are [filter, projection,"
                + " sort, limit, skip]", thrown.error().message());
    }

    @Test
    void aSingleOperationRead_forOtherEnvelopes_refusesCallerFields() {
        InvalidProxyMessageException thrown = assertThrows(InvalidProxyMessageException.class,
                () -> CODEC.readOperation(CODEC.readTree("{" + FIND + ", \"deadlineEpochMillis\": 1}"), "body"));

        assertTrue(thrown.error().message().startsWith("body.deadlineEpochMillis is not an argument of find"),
                thrown.error().message());
    }

    private static ProxyRequest read(String json) {
        return CODEC.readRequest(json.getBytes(StandardCharsets.UTF_8));
    }
}
