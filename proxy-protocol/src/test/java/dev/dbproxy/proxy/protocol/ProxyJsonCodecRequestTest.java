package dev.dbproxy.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ProxyJsonCodecRequestTest {

    private static final ProxyJsonCodec CODEC = ProxyJsonCodec.create();
    private static final Namespace NOTES = Namespace.of("app", "notes");
    private static final Instant DEADLINE = Instant.parse("2030-01-01T00:00:02.500Z");

    static Stream<ProxyOperation> everyAction() {
        ObjectNode filter = json("{\"_id\": {\"$oid\": \"65f0c0ffee0123456789abcd\"}}");
        ObjectNode document = json("{\"_id\": {\"$oid\": \"65f0c0ffee0123456789abcd\"}, \"title\": \"t\","
                + " \"createdAt\": {\"$date\": {\"$numberLong\": \"1700000000000\"}}}");
        return Stream.of(
                new ProxyOperation.Find(NOTES, json("{\"tags\": \"a\"}"), json("{\"title\": 1}"),
                        json("{\"createdAt\": -1, \"_id\": -1}"), 20, 40),
                ProxyOperation.find(NOTES, json("{}")),
                new ProxyOperation.FindOne(NOTES, filter, json("{\"body\": 0}"), json("{\"createdAt\": 1}")),
                ProxyOperation.countDocuments(NOTES, json("{\"title\": {\"$exists\": true}}")),
                ProxyOperation.insertOne(NOTES, document),
                ProxyOperation.insertMany(NOTES, List.of(document, json("{\"_id\": \"k2\", \"n\": 2}"))),
                new ProxyOperation.UpdateOne(NOTES, filter, json("{\"$set\": {\"title\": \"u\"}}"), true),
                ProxyOperation.updateMany(NOTES, json("{}"), json("{\"$inc\": {\"views\": 1}}")),
                new ProxyOperation.UpdateMany(NOTES, json("{}"),
                        CODEC.readTree("[{\"$set\": {\"total\": {\"$add\": [\"$a\", \"$b\"]}}}]"), false),
                new ProxyOperation.ReplaceOne(NOTES, filter, json("{\"title\": \"r\"}"), true),
                ProxyOperation.deleteOne(NOTES, filter),
                ProxyOperation.deleteMany(NOTES, json("{\"title\": \"gone\"}")),
                ProxyOperation.aggregate(NOTES, List.of(json("{\"$match\": {\"n\": {\"$gt\": 1}}}"),
                        json("{\"$group\": {\"_id\": \"$tag\", \"total\": {\"$sum\": \"$n\"}}}"))));
    }

    @ParameterizedTest
    @MethodSource("everyAction")
    void writeRequest_thenReadRequest_givesTheSameOperation(ProxyOperation operation) {
        ProxyRequest request = ProxyRequest.builder().requestId("req-1").deadline(DEADLINE).add(operation).build();

        ProxyRequest read = CODEC.readRequest(CODEC.writeRequest(request));

        assertEquals(request, read);
        assertEquals(operation.action(), read.operations().getFirst().action());
    }

    @Test
    void writeRequest_thenReadRequest_keepsBatchSettingsAndOrderOfOperations() {
        ProxyRequest request = ProxyRequest.builder()
                .requestId("batch-7").deadline(DEADLINE).ordered(false).extendedJsonMode(ExtendedJsonMode.RELAXED)
                .addAll(everyAction().toList())
                .build();

        ProxyRequest read = CODEC.readRequest(CODEC.writeRequest(request));

        assertEquals(request, read);
        assertFalse(read.ordered());
        assertEquals(ExtendedJsonMode.RELAXED, read.extendedJsonMode());
        assertEquals(DEADLINE, read.deadline());
    }

    @Test
    void readRequest_appliesDefaults_whenOptionalFieldsAreAbsent() {
        ProxyRequest request = read("""
                {"version": 1, "requestId": "r", "deadlineEpochMillis": 1893456000000,
                 "operations": [{"action": "find", "database": "app", "collection": "notes"}]}""");

        assertTrue(request.ordered());
        assertEquals(ExtendedJsonMode.CANONICAL, request.extendedJsonMode());
        ProxyOperation.Find find = (ProxyOperation.Find) request.operations().getFirst();
        assertTrue(find.filter().isEmpty());
        assertEquals(0, find.limit());
    }

    @Test
    void readRequest_keepsTheTextOfDecimalNumbers_soDoublesStayDoubles() {
        ProxyRequest request = read("""
                {"version": 1, "requestId": "r", "deadlineEpochMillis": 1893456000000,
                 "operations": [{"action": "find", "database": "app", "collection": "notes",
                                 "filter": {"price": 1.0, "ratio": 2.50}}]}""");

        ObjectNode filter = ((ProxyOperation.Find) request.operations().getFirst()).filter();

        assertEquals("{\"price\":1.0,\"ratio\":2.50}", filter.toString());
    }

    /** (form, version, deadlineEpochMillis, limit, skip): 1, 1893456000000, 10 and 5 in each form. */
    static Stream<Arguments> integersInEveryForm() {
        return Stream.of(
                Arguments.of("plain JSON integers", "1", "1893456000000", "10", "5"),
                Arguments.of("canonical, as bson's EJSON and pymongo's json_util write them",
                        number("$numberInt", "1"), number("$numberLong", "1893456000000"), number("$numberInt", "10"),
                        number("$numberInt", "5")),
                Arguments.of("$numberLong for small values too", number("$numberLong", "1"),
                        number("$numberLong", "1893456000000"), number("$numberLong", "10"),
                        number("$numberLong", "5")),
                Arguments.of("whole $numberDouble", number("$numberDouble", "1.0"),
                        number("$numberDouble", "1.893456E12"), number("$numberDouble", "10.0"),
                        number("$numberDouble", "5")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integersInEveryForm")
    void readRequest_readsEnvelopeAndArgumentIntegers_plainOrAsExtendedJsonNumbers(String form, String version,
                                                                                   String deadline, String limit,
                                                                                   String skip) {
        ProxyRequest request = read("""
                {"version": %s, "requestId": "r", "deadlineEpochMillis": %s,
                 "operations": [{"action": "find", "database": "app", "collection": "notes",
                                 "limit": %s, "skip": %s}]}"""
                .formatted(version, deadline, limit, skip));

        ProxyOperation.Find find = (ProxyOperation.Find) request.operations().getFirst();
        assertEquals(Instant.ofEpochMilli(1_893_456_000_000L), request.deadline(), form);
        assertEquals(10, find.limit(), form);
        assertEquals(5, find.skip(), form);
    }

    static Stream<Arguments> invalidRequests() {
        String envelope = "{\"version\": 1, \"requestId\": \"r\", \"deadlineEpochMillis\": 1893456000000, ";
        String find = "{\"action\": \"find\", \"database\": \"app\", \"collection\": \"notes\"";
        return Stream.of(
                Arguments.of("", "is empty"),
                Arguments.of("{not json", "not valid JSON"),
                Arguments.of("[1, 2]", "must be a JSON object"),
                Arguments.of(envelope + "\"operations\": [" + find + "}]} trailing", "not valid JSON"),
                Arguments.of(envelope + "\"operations\": [" + find + "}], \"extra\": 1}", "unknown field 'extra'"),
                Arguments.of("{\"requestId\": \"r\", \"deadlineEpochMillis\": 1, \"operations\": []}",
                        "version is required"),
                Arguments.of(envelope.replace("\"version\": 1", "\"version\": 3") + "\"operations\": [" + find + "}]}",
                        "unsupported protocol version 3; this proxy speaks versions 1 and 2"),
                Arguments.of(envelope.replace("\"version\": 1", "\"version\": \"1\"") + "\"operations\": []}",
                        "version must be an integer"),
                Arguments.of("{\"version\": 1, \"deadlineEpochMillis\": 1, \"operations\": [" + find + "}]}",
                        "requestId is required"),
                Arguments.of("{\"version\": 1, \"requestId\": \"" + "x".repeat(129) + "\", \"deadlineEpochMillis\": 1,"
                        + " \"operations\": [" + find + "}]}", "at most 128"),
                Arguments.of("{\"version\": 1, \"requestId\": \"r\\nFAKE LOG LINE\", \"deadlineEpochMillis\": 1,"
                        + " \"operations\": [" + find + "}]}", "must not contain control characters"),
                Arguments.of("{\"version\": 1, \"requestId\": \"r\", \"operations\": [" + find + "}]}",
                        "deadlineEpochMillis is required"),
                Arguments.of("{\"version\": 1, \"requestId\": \"r\", \"deadlineEpochMillis\": \"soon\","
                        + " \"operations\": [" + find + "}]}", "deadlineEpochMillis must be a positive integer"),
                Arguments.of(envelope + "\"ordered\": \"yes\", \"operations\": [" + find + "}]}",
                        "ordered must be true or false"),
                Arguments.of(envelope + "\"extendedJsonMode\": \"shell\", \"operations\": [" + find + "}]}",
                        "extendedJsonMode must be"),
                Arguments.of(envelope + "\"operations\": []}", "operations must be a non-empty array"),
                Arguments.of(envelope + "\"operations\": [42]}", "operations[0] must be an object"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"drop\", \"database\": \"app\","
                        + " \"collection\": \"notes\"}]}", "operations[0]: unknown action 'drop'"),
                Arguments.of(envelope + "\"operations\": [" + find + ", \"update\": {\"$set\": {}}}]}",
                        "operations[0].update is not an argument of find"),
                Arguments.of(envelope + "\"operations\": [" + find + ", \"dataSource\": \"x\"}]}",
                        "operations[0].dataSource is not an argument of find"),
                Arguments.of(envelope + "\"operations\": [" + find + ", \"limit\": \"10\"}]}",
                        "operations[0].limit must be a non-negative integer"),
                Arguments.of(envelope + "\"operations\": [" + find + ", \"limit\": -1}]}",
                        "operations[0].limit must be a non-negative integer"),
                Arguments.of(envelope + "\"operations\": [" + find + ", \"filter\": [1]}]}",
                        "operations[0].filter must be an object"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"find\", \"collection\": \"notes\"}]}",
                        "operations[0].database is required"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"find\", \"database\": \"\","
                        + " \"collection\": \"notes\"}]}", "operations[0].database must be a non-empty string"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"insertOne\", \"database\": \"app\","
                        + " \"collection\": \"notes\", \"document\": {\"title\": \"no id\"}}]}",
                        "operations[0].document must carry an _id"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"insertMany\", \"database\": \"app\","
                        + " \"collection\": \"notes\", \"documents\": [{\"_id\": 1}, {\"n\": 2}]}]}",
                        "operations[0].documents[1] must carry an _id"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"updateOne\", \"database\": \"app\","
                        + " \"collection\": \"notes\", \"filter\": {}, \"update\": {\"title\": \"x\"}}]}",
                        "update must contain only update operators"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"updateOne\", \"database\": \"app\","
                        + " \"collection\": \"notes\", \"update\": {\"$set\": {\"a\": 1}}}]}",
                        "operations[0].filter is required"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"updateOne\", \"database\": \"app\","
                        + " \"collection\": \"notes\", \"filter\": {}, \"update\": {\"$set\": {}}, \"upsert\": 1}]}",
                        "operations[0].upsert must be true or false"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"replaceOne\", \"database\": \"app\","
                        + " \"collection\": \"notes\", \"filter\": {}, \"replacement\": {\"$set\": {}}}]}",
                        "replacement must not contain update operators"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"deleteMany\", \"database\": \"app\","
                        + " \"collection\": \"notes\"}]}", "operations[0].filter is required"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"aggregate\", \"database\": \"app\","
                        + " \"collection\": \"notes\", \"pipeline\": [{\"$match\": {}, \"$limit\": 1}]}]}",
                        "operations[0].pipeline[0] must be an object with exactly one stage operator"),
                Arguments.of(envelope + "\"operations\": [" + find + ", \"filter\": {\"a\": 1, \"a\": 2}}]}",
                        "Duplicate field 'a'"),
                Arguments.of(withVersion(number("$numberInt", "3"), find), "unsupported protocol version 3"),
                Arguments.of(withVersion(number("$numberDouble", "1.5"), find), "version must be an integer"),
                Arguments.of(withVersion("{\"$numberInt\": 1}", find), "version must be an integer"),
                Arguments.of(withVersion(number("$numberInt", ""), find), "version must be an integer"),
                Arguments.of(withVersion(number("$numberInt", "one"), find), "version must be an integer"),
                Arguments.of(withVersion(number("$numberDecimal", "1"), find), "version must be an integer"),
                Arguments.of(withVersion(number("$numberLong", "4294967297"), find), "version must be an integer"),
                Arguments.of(withVersion("{\"$numberInt\": \"1\", \"$comment\": \"x\"}", find),
                        "version must be an integer"),
                Arguments.of(withDeadline(number("$numberLong", "-1717495203000"), find),
                        "deadlineEpochMillis must be a positive integer"),
                Arguments.of(withDeadline(number("$numberLong", "99999999999999999999"), find),
                        "deadlineEpochMillis must be a positive integer"),
                Arguments.of(withDeadline(number("$numberLong", "1" + "0".repeat(40)), find),
                        "deadlineEpochMillis must be a positive integer"),
                Arguments.of(withDeadline(number("$numberInt", "1717495203000"), find),
                        "deadlineEpochMillis must be a positive integer"),
                Arguments.of(withDeadline(number("$numberDouble", "1717495203000.5"), find),
                        "deadlineEpochMillis must be a positive integer"),
                Arguments.of(withDeadline(number("$numberDouble", "Infinity"), find),
                        "deadlineEpochMillis must be a positive integer"),
                Arguments.of(withDeadline(number("$numberDouble", "1e400"), find),
                        "deadlineEpochMillis must be a positive integer"),
                Arguments.of(withDeadline("{\"$date\": {\"$numberLong\": \"1717495203000\"}}", find),
                        "deadlineEpochMillis must be a positive integer"),
                Arguments.of(withFindArgument("limit", number("$numberInt", "-1"), find),
                        "operations[0].limit must be a non-negative integer"),
                Arguments.of(withFindArgument("skip", number("$numberLong", "3000000000"), find),
                        "operations[0].skip must be a non-negative integer"),
                Arguments.of(withFindArgument("limit", number("$numberDouble", "NaN"), find),
                        "operations[0].limit must be a non-negative integer"),
                Arguments.of(withFindArgument("limit", number("$numberDouble", "2.5"), find),
                        "operations[0].limit must be a non-negative integer"),
                Arguments.of(envelope + "\"operations\": [{\"action\": \"updateOne\", \"database\": \"app\","
                        + " \"collection\": \"notes\", \"filter\": {}, \"update\": {\"$set\": {}},"
                        + " \"upsert\": {\"$numberInt\": \"1\"}}]}", "operations[0].upsert must be true or false"));
    }

    private static String withVersion(String version, String find) {
        return "{\"version\": " + version + ", \"requestId\": \"r\", \"deadlineEpochMillis\": 1893456000000,"
                + " \"operations\": [" + find + "}]}";
    }

    private static String withFindArgument(String field, String value, String find) {
        return "{\"version\": 1, \"requestId\": \"r\", \"deadlineEpochMillis\": 1893456000000,"
                + " \"operations\": [" + find + ", \"" + field + "\": " + value + "}]}";
    }

    private static String withDeadline(String deadline, String find) {
        return "{\"version\": 1, \"requestId\": \"r\", \"deadlineEpochMillis\": " + deadline + ","
                + " \"operations\": [" + find + "}]}";
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void readRequest_rejectsWithValidationErrorNamingTheProblem(String json, String expectedInMessage) {
        InvalidProxyMessageException thrown = assertThrows(InvalidProxyMessageException.class, () -> read(json));

        assertEquals(ErrorCode.VALIDATION, thrown.error().code());
        assertFalse(thrown.error().retryable());
        assertTrue(thrown.error().message().contains(expectedInMessage),
                () -> "message was: " + thrown.error().message());
    }

    @Test
    void readRequest_keepsTheRequestIdOfAnInvalidRequest_whenItCanBeRead() {
        InvalidProxyMessageException readable = assertThrows(InvalidProxyMessageException.class,
                () -> read("{\"version\": 1, \"requestId\": \"r-9\", \"operations\": []}"));
        InvalidProxyMessageException unreadable = assertThrows(InvalidProxyMessageException.class,
                () -> read("{\"version\": 1, \"requestId\": 9, \"operations\": []}"));

        assertEquals("r-9", readable.requestId());
        assertEquals("", unreadable.requestId());
    }

    @Test
    void builder_refusesARequestWithoutOperations() {
        ProxyRequest.Builder builder = ProxyRequest.builder().requestId("r").deadline(DEADLINE);

        assertThrows(IllegalArgumentException.class, builder::build);
    }

    /** Extended JSON {@code {"$numberInt": "…"}} and the like. */
    private static String number(String type, String text) {
        return "{\"" + type + "\": \"" + text + "\"}";
    }

    private static ProxyRequest read(String json) {
        return CODEC.readRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode json(String json) {
        JsonNode node = CODEC.readTree(json);
        return (ObjectNode) node;
    }
}
