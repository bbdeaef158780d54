package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The requests that the Node.js and Python callers of {@code PROTOCOL.md} ("Calling the proxy from Node.js and
 * Python") really send, replayed byte for byte through the Invoke API with a plain HTTP client: each gets the
 * documented response. Serialised in canonical mode, they wrap every number, the envelope's too
 * ({@code "version": {"$numberInt": "1"}}), which the proxy once refused with {@code VALIDATION}.
 *
 * <p>Where the bytes come from: the two snippets of the document, unchanged but for the Lambda client's endpoint and
 * credentials, were run against this proxy on the local Lambda platform, and the payloads were logged as the client
 * sent them. Node.js 20.20.2 with bson 6.10.4 ({@code EJSON.stringify(request, { relaxed: false })}) and
 * {@code @aws-sdk/client-lambda} 3.1164.0; Python 3.11.2 with pymongo 3.11.0
 * ({@code json_util.dumps(request, json_options=CANONICAL_JSON_OPTIONS)}) and boto3 1.26.27, Debian 12's packages.
 * The {@code find} requests (limit and skip, which the snippets do not use) were serialised the same way by a script
 * beside them. Each was "now + 3 s" when captured, so only the deadline's digits are renewed on replay; its
 * {@code $numberLong} wrapper stays as the serialiser wrote it. The text blocks end lines with {@code \} so that they
 * hold each payload on one line, as sent.
 */
class NodeAndPythonCallersIT {

    /** The note that the snippets look up, as example 1 of the document inserts it and example 2 reads it back. */
    private static final String NOTE = """
            {"_id": {"$oid": "665f1c2e8a1b2c3d4e5f6a01"}, "title": "Groceries", "tags": ["home"],
             "createdAt": {"$date": {"$numberLong": "1717495200000"}}, "views": {"$numberLong": "12"},
             "rating": {"$numberDecimal": "4.50"}}""";
    private static final Pattern DEADLINE = Pattern.compile(
            "\"deadlineEpochMillis\": ?\\{\"\\$numberLong\": ?\"(\\d+)\"}");

    private static EmbeddedMongoDb mongoDb;
    private static PlatformProxy proxy;

    @BeforeAll
    static void start() {
        mongoDb = EmbeddedMongoDb.start();
        proxy = PlatformProxy.start(HandlerInvoker.environment(mongoDb.connectionString()));
        JsonNode inserted = HandlerInvoker.answered(proxy.invokeOverHttp(HandlerInvoker.request(
                HandlerInvoker.op("insertOne", "\"document\": " + NOTE)).getBytes(StandardCharsets.UTF_8)));
        HandlerInvoker.result(inserted, 0);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        mongoDb.close();
    }

    /** (caller, captured request, the documented result of its one operation). */
    static Stream<Arguments> capturedRequests() {
        return Stream.of(
                Arguments.of("Node.js findNote of an existing note", """
                        {"version":{"$numberInt":"1"},"requestId":"6eeea683-bcf8-4623-938c-1c11f7569482",\
                        "deadlineEpochMillis":{"$numberLong":"1795786319197"},"operations":[{"action":"findOne",\
                        "database":"app","collection":"notes","filter":{"_id":{"$oid":"665f1c2e8a1b2c3d4e5f6a01"}}}]}\
                        """, "{\"document\": " + NOTE + "}"),
                Arguments.of("Node.js findNote of a missing note", """
                        {"version":{"$numberInt":"1"},"requestId":"16b4e2d8-2b21-4d19-b2e2-784baced2688",\
                        "deadlineEpochMillis":{"$numberLong":"1795786322434"},"operations":[{"action":"findOne",\
                        "database":"app","collection":"notes","filter":{"_id":{"$oid":"665f1c2e8a1b2c3d4e5f6aff"}}}]}\
                        """, "{\"document\": null}"),
                Arguments.of("Node.js find with sort, limit and skip", """
                        {"version":{"$numberInt":"1"},"requestId":"node-find",\
                        "deadlineEpochMillis":{"$numberLong":"1795786375357"},"ordered":false,"operations":[\
                        {"action":"find","database":"app","collection":"notes","filter":{"tags":"home"},\
                        "sort":{"createdAt":{"$numberInt":"-1"}},"limit":{"$numberInt":"10"},\
                        "skip":{"$numberInt":"0"}}]}\
                        """, "{\"documents\": [" + NOTE + "]}"),
                Arguments.of("Python find_note of an existing note", """
                        {"version": {"$numberInt": "1"}, "requestId": "d5e9d754-42f5-4521-aef0-e0e55207a755", \
                        "deadlineEpochMillis": {"$numberLong": "1795786323223"}, "operations": [{"action": \
                        "findOne", "database": "app", "collection": "notes", "filter": {"_id": {"$oid": \
                        "665f1c2e8a1b2c3d4e5f6a01"}}}]}\
                        """, "{\"document\": " + NOTE + "}"),
                Arguments.of("Python find_note of a missing note", """
                        {"version": {"$numberInt": "1"}, "requestId": "c2558dbc-a476-4a78-91d7-1482fcd9517c", \
                        "deadlineEpochMillis": {"$numberLong": "1795786323248"}, "operations": [{"action": \
                        "findOne", "database": "app", "collection": "notes", "filter": {"_id": {"$oid": \
                        "665f1c2e8a1b2c3d4e5f6aff"}}}]}\
                        """, "{\"document\": null}"),
                Arguments.of("Python find with sort, limit and skip", """
                        {"version": {"$numberInt": "1"}, "requestId": "python-find", \
                        "deadlineEpochMillis": {"$numberLong": "1795786376251"}, "ordered": false, "operations": \
                        [{"action": "find", "database": "app", "collection": "notes", "filter": {"tags": "home"}, \
                        "sort": {"createdAt": {"$numberInt": "-1"}}, "limit": {"$numberInt": "10"}, \
                        "skip": {"$numberInt": "0"}}]}\
                        """, "{\"documents\": [" + NOTE + "]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedRequests")
    void aRequestAsTheCanonicalSerialiserWroteIt_getsTheDocumentedResponse(String caller, String captured,
                                                                          String documentedResult) {
        assertFalse(captured.contains("\n"), "a captured payload is one line");
        String requestId = HandlerInvoker.json(captured).path("requestId").asText();

        JsonNode response = HandlerInvoker.answered(proxy.invokeOverHttp(withFreshDeadline(captured)));

        JsonNode documented = HandlerInvoker.json("""
                {"version": 1, "requestId": "%s", "results": [{"status": "ok", "result": %s}],
                 "metadata": {"coldStart": false, "environmentId": "9c9f9860fc928bb8", "serverTimeMs": 4}}"""
                .formatted(requestId, documentedResult));
        assertEquals(HandlerInvoker.withoutVaryingMetadata(documented), HandlerInvoker.withoutVaryingMetadata(response),
                () -> caller + " answered " + response.toPrettyString());
    }

    /** The captured bytes with the digits of the deadline, and nothing else, set to 10 seconds from now. */
    private static byte[] withFreshDeadline(String captured) {
        Matcher deadline = DEADLINE.matcher(captured);
        assertTrue(deadline.find(), () -> "no canonical deadline in " + captured);
        String renewed = captured.substring(0, deadline.start(1)) + (System.currentTimeMillis() + 10_000)
                + captured.substring(deadline.end(1));
        assertFalse(deadline.find(), "one deadline");
        return renewed.getBytes(StandardCharsets.UTF_8);
    }
}
