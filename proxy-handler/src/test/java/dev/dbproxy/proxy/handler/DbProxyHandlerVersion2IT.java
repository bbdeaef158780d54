package dev.dbproxy.proxy.handler;

import static dev.dbproxy.proxy.handler.HandlerInvoker.callerOp;
import static dev.dbproxy.proxy.handler.HandlerInvoker.error;
import static dev.dbproxy.proxy.handler.HandlerInvoker.invoke;
import static dev.dbproxy.proxy.handler.HandlerInvoker.op;
import static dev.dbproxy.proxy.handler.HandlerInvoker.rejection;
import static dev.dbproxy.proxy.handler.HandlerInvoker.result;
import static dev.dbproxy.proxy.handler.HandlerInvoker.version2Request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Version 2 requests on the real handler and the embedded MongoDB: operations of several callers in one request, each
 * run within its own caller's deadline, answered in the version 1 shape with {@code "version": 2}.
 */
class DbProxyHandlerVersion2IT {

    private static EmbeddedMongoDb mongoDb;
    private static DbProxyHandler handler;

    @BeforeAll
    static void start() {
        mongoDb = EmbeddedMongoDb.start();
        handler = new DbProxyHandler(DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())));
    }

    @AfterAll
    static void stop() {
        handler.close();
        mongoDb.close();
    }

    @BeforeEach
    void oneNote() {
        invoke(handler, HandlerInvoker.request(op("deleteMany", "\"filter\": {}")));
        invoke(handler, HandlerInvoker.request(op("insertOne", "\"document\": {\"_id\": \"n1\", \"title\": \"t\"}")));
    }

    @Test
    void aCallerWhoseDeadlineIsTooNear_getsTimeout_whileAnotherCallersOperationInTheSameRequestRuns() {
        JsonNode response = invoke(handler, version2Request("sender/1", 10_000,
                callerOp("near/1", 5, "insertOne", "\"document\": {\"_id\": \"n2\"}") + ", "
                        + callerOp("far/1", 10_000, "findOne", "\"filter\": {\"_id\": \"n1\"}")), 2);

        assertEquals("sender/1", response.path("requestId").asText());
        JsonNode timeout = error(response, 0);
        assertEquals("TIMEOUT", timeout.path("code").asText());
        assertEquals("the deadline passed before operation 0 could start", timeout.path("message").asText());
        assertEquals("t", result(response, 1).path("document").path("title").asText());
        JsonNode count = invoke(handler, HandlerInvoker.request(op("countDocuments", "\"filter\": {\"_id\": \"n2\"}")));
        assertEquals(0, result(count, 0).path("count").asInt(), "the timed-out insert never ran");
    }

    @Test
    void aFarCallersOperation_runsAfterANearCallersOne_withItsOwnTime() {
        JsonNode response = invoke(handler, version2Request("sender/2", 10_000,
                callerOp("near/2", 2_000, "countDocuments", "") + ", "
                        + callerOp("far/2", 10_000, "find", "\"filter\": {}")), 2);

        assertEquals(1, result(response, 0).path("count").asInt());
        assertEquals(1, result(response, 1).path("documents").size());
    }

    @Test
    void anOrderedVersion2Request_skipsEveryCallersLaterOperations_afterAFailure() {
        JsonNode response = invoke(handler, version2Request("sender/3", 10_000,
                callerOp("a/3", 10_000, "insertOne", "\"document\": {\"_id\": \"n1\", \"title\": \"other\"}") + ", "
                        + callerOp("b/3", 10_000, "countDocuments", "")).replace("\"ordered\": false",
                "\"ordered\": true"), 2);

        assertEquals("DUPLICATE_KEY", error(response, 0).path("code").asText());
        assertEquals("skipped", response.path("results").path(1).path("status").asText());
    }

    @Test
    void aVersion2RequestWhoseLatestDeadlineHasPassed_isRefusedWhole_withTimeout() {
        JsonNode response = invoke(handler, version2Request("sender/4", -1_000,
                callerOp("a/4", -2_000, "countDocuments", "")), 2);

        assertEquals("sender/4", response.path("requestId").asText());
        assertEquals("TIMEOUT", rejection(response).path("code").asText());
    }

    @Test
    void anOperationWhoseDeadlineIsLaterThanTheRequests_refusesTheWholeRequest_withValidation() {
        JsonNode response = invoke(handler, version2Request("sender/5", 1_000,
                callerOp("a/5", 10_000, "insertOne", "\"document\": {\"_id\": \"n3\"}")), 2);

        assertEquals("sender/5", response.path("requestId").asText());
        JsonNode refused = rejection(response);
        assertEquals("VALIDATION", refused.path("code").asText());
        assertEquals("operations[0].deadlineEpochMillis is later than the request's deadlineEpochMillis; the"
                + " request's deadline must be the latest of its operations'", refused.path("message").asText());
        JsonNode count = invoke(handler, HandlerInvoker.request(op("countDocuments", "\"filter\": {\"_id\": \"n3\"}")));
        assertEquals(0, result(count, 0).path("count").asInt(), "nothing ran");
    }

    @Test
    void anOperationWithAMalformedCallerId_refusesTheWholeRequest_withValidationNamingIt() {
        JsonNode response = invoke(handler, version2Request("sender/6", 10_000,
                "{\"requestId\": \"\", " + op("countDocuments", "").substring(1)), 2);

        JsonNode refused = rejection(response);
        assertEquals("VALIDATION", refused.path("code").asText());
        assertTrue(refused.path("message").asText().startsWith("operations[0].requestId must be a non-empty string"),
                refused::toString);
    }
}
