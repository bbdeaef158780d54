package dev.dbproxy.mongodb.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoSocketWriteException;
import com.mongodb.MongoSocketWriteTimeoutException;
import com.mongodb.MongoStalePrimaryException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.WriteConcernError;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ServerId;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonMaximumSizeExceededException;
import org.bson.BsonString;
import org.bson.codecs.configuration.CodecConfigurationException;
import org.bson.json.JsonParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one table of the classification: real driver exceptions, built as the driver builds them (with the server's
 * address and the user in their messages), each with its kind and whether a write that failed so may have applied.
 */
class MongoErrorClassifierTest {

    private static final String HOST = "db-7.internal.example";
    private static final int PORT = 27123;
    private static final ServerAddress SERVER = new ServerAddress(HOST, PORT);
    private static final String USER = "notesuser";
    private static final String PASSWORD = "s3cr3t-pw";
    private static final MongoCredential CREDENTIAL =
            MongoCredential.createScramSha256Credential(USER, "admin", PASSWORD.toCharArray());
    /** What BaseCluster says when server selection gives up: the whole cluster, addresses included. */
    private static final String SERVER_SELECTION_GAVE_UP = "Timed out while waiting for a server that matches"
            + " WritableServerSelector. Client view of cluster state is {type=REPLICA_SET, servers=[{address=" + HOST
            + ":" + PORT + ", type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException:"
            + " Exception opening socket}}]";
    private static final WriteConcernError WRITE_CONCERN_ERROR = new WriteConcernError(64, "WriteConcernFailed",
            "waiting for replication timed out on " + SERVER, new BsonDocument());

    static Stream<Arguments> classifications() {
        return Stream.of(
                // No server, no connection: nothing was sent.
                row("server selection timeout", new MongoTimeoutException(SERVER_SELECTION_GAVE_UP),
                        MongoErrorKind.UNAVAILABLE, false),
                row("server selection that gave up under a client-side timeout",
                        new MongoOperationTimeoutException(SERVER_SELECTION_GAVE_UP), MongoErrorKind.UNAVAILABLE,
                        false),
                row("socket open failure", new MongoSocketOpenException("Exception opening socket", SERVER,
                        new ConnectException("Connection refused")), MongoErrorKind.UNAVAILABLE, false),
                row("connection pool cleared", new MongoConnectionPoolClearedException(
                        new ServerId(new ClusterId(), SERVER), new MongoSocketReadException("reset", SERVER)),
                        MongoErrorKind.UNAVAILABLE, false),
                row("server no longer available", new MongoServerUnavailableException(
                        "The server at " + SERVER + " is no longer available"), MongoErrorKind.UNAVAILABLE, false),
                row("login that lost its connection", new MongoSecurityException(CREDENTIAL,
                        "Exception authenticating " + CREDENTIAL, new MongoSocketReadException("reset", SERVER)),
                        MongoErrorKind.UNAVAILABLE, false),
                // Sent, then lost or refused by a failing-over database: it may have run.
                row("socket read failure", new MongoSocketReadException("Prematurely reached end of stream",
                        SERVER), MongoErrorKind.UNAVAILABLE, true),
                row("socket write failure", new MongoSocketWriteException("Exception sending message", SERVER,
                        new IOException("Broken pipe")), MongoErrorKind.UNAVAILABLE, true),
                row("stale primary", new MongoStalePrimaryException("Primary " + SERVER + " is stale"),
                        MongoErrorKind.UNAVAILABLE, true),
                row("not primary", new MongoNotPrimaryException(serverError(10107, "not primary"), SERVER),
                        MongoErrorKind.UNAVAILABLE, true),
                row("node recovering", new MongoNodeIsRecoveringException(serverError(11600,
                        "interrupted at shutdown"), SERVER), MongoErrorKind.UNAVAILABLE, true),
                row("shutdown in progress as a command error", command(91, "shutting down"),
                        MongoErrorKind.UNAVAILABLE, true),
                row("labelled retryable by the server", new MongoCommandException(serverError(1, "try again")
                        .append("errorLabels", labels("RetryableError")), SERVER), MongoErrorKind.UNAVAILABLE, true),
                row("a one-document insert refused with a failover code", new MongoBulkWriteException(
                        BulkWriteResult.unacknowledged(), List.of(new BulkWriteError(11602,
                        "InterruptedDueToReplStateChange", new BsonDocument(), 0)), null, SERVER, Set.of()),
                        MongoErrorKind.UNAVAILABLE, true),
                row("write concern not satisfied", new MongoWriteConcernException(WRITE_CONCERN_ERROR, SERVER),
                        MongoErrorKind.UNAVAILABLE, true),
                row("write concern not satisfied next to a duplicate key", new MongoBulkWriteException(
                        BulkWriteResult.unacknowledged(), List.of(new BulkWriteError(11000,
                        "E11000 duplicate key error", new BsonDocument(), 1)), WRITE_CONCERN_ERROR, SERVER,
                        Set.of()), MongoErrorKind.UNAVAILABLE, true),
                row("retry out of time after a lost connection", new MongoOperationTimeoutException(
                        "Retry attempt exceeded the timeout limit.", new MongoSocketReadException("reset", SERVER)),
                        MongoErrorKind.UNAVAILABLE, true),
                // Out of time.
                row("read timeout under a client-side timeout", new MongoOperationTimeoutException(
                        "Operation exceeded the timeout limit: Timeout while receiving message",
                        readTimeout()), MongoErrorKind.TIMEOUT, true),
                row("client-side timeout with no cause", new MongoOperationTimeoutException(
                        "Operation exceeded the timeout limit."), MongoErrorKind.TIMEOUT, true),
                row("deadline too close for a round trip", new MongoOperationTimeoutException(
                        "Remaining timeoutMS is less than or equal to the server's minimum round trip time."),
                        MongoErrorKind.TIMEOUT, false),
                row("no pooled connection free before the deadline", new MongoOperationTimeoutException(
                        "Timed out after 150 ms while waiting for a connection to server " + SERVER + "."),
                        MongoErrorKind.TIMEOUT, false),
                row("socket read timeout", readTimeout(), MongoErrorKind.TIMEOUT, true),
                row("read timeout of a write the driver labels retryable", labelled(readTimeout(),
                        "RetryableWriteError"), MongoErrorKind.TIMEOUT, true),
                row("socket write timeout", new MongoSocketWriteTimeoutException("Timeout while sending message",
                        SERVER, new SocketTimeoutException("Write timed out")), MongoErrorKind.TIMEOUT, true),
                row("time limit reached on the server", new MongoExecutionTimeoutException(50,
                        "operation exceeded time limit"), MongoErrorKind.TIMEOUT, true),
                row("time limit as a command error", command(50, "operation exceeded time limit"),
                        MongoErrorKind.TIMEOUT, true),
                row("interrupted", new MongoInterruptedException("Interrupted waiting for " + SERVER,
                        new InterruptedException()), MongoErrorKind.TIMEOUT, true),
                // Load shed before running: never applied.
                row("Atlas ingress rate limit", command(462, "IngressRequestRateLimitExceeded"),
                        MongoErrorKind.OVERLOADED, false),
                row("overloaded server, also labelled retryable", new MongoCommandException(serverError(1,
                        "overloaded").append("errorLabels", new BsonArray(List.of(new BsonString(
                        "SystemOverloadedError"), new BsonString("RetryableError")))), SERVER),
                        MongoErrorKind.OVERLOADED, false),
                row("overloaded label on a client-side failure", labelled(new MongoClientException("overloaded"),
                        "SystemOverloadedError"), MongoErrorKind.OVERLOADED, false),
                // Permanent.
                row("duplicate key", new MongoWriteException(new WriteError(11000, "E11000 duplicate key error"
                        + " collection: app.notes index: _id_ dup key: { _id: 1 }", new BsonDocument()), SERVER),
                        MongoErrorKind.DUPLICATE_KEY, false),
                row("duplicate key in a batch", new MongoBulkWriteException(BulkWriteResult.unacknowledged(),
                        List.of(new BulkWriteError(11000, "E11000 duplicate key error", new BsonDocument(), 1)), null,
                        SERVER, Set.of()), MongoErrorKind.DUPLICATE_KEY, false),
                row("invalid operation refused by the database", command(2, "unknown operator: $foo"),
                        MongoErrorKind.INVALID_OPERATION, false),
                row("document over 16 MB as BSON", new BsonMaximumSizeExceededException(
                        "Payload document size is larger than maximum of 16793600."),
                        MongoErrorKind.INVALID_OPERATION, false),
                row("malformed Extended JSON", new JsonParseException("Invalid JSON input"),
                        MongoErrorKind.INVALID_OPERATION, false),
                row("invalid BSON value", new BsonInvalidOperationException("readInt32 can only be called when"
                        + " CurrentBSONType is INT32"), MongoErrorKind.INVALID_OPERATION, false),
                row("value without a codec", new CodecConfigurationException("Can't find a codec for class X."),
                        MongoErrorKind.INVALID_OPERATION, false),
                row("argument the driver refuses", new IllegalArgumentException("state should be: databaseName"
                        + " does not contain '.'"), MongoErrorKind.INVALID_OPERATION, false),
                row("login refused", new MongoSecurityException(CREDENTIAL, "Exception authenticating " + CREDENTIAL,
                        command(18, "Authentication failed.")), MongoErrorKind.NOT_AUTHORIZED, false),
                row("user lacks a right", command(13, "not authorized on app to execute command as " + USER),
                        MongoErrorKind.NOT_AUTHORIZED, false),
                row("database's internal error", command(1, "internal error"), MongoErrorKind.DATABASE_FAILURE,
                        true),
                row("driver refusal", new MongoClientException("This MongoDB deployment does not support"
                        + " retryable writes. Add retryWrites=false to mongodb://" + USER + ":" + PASSWORD + "@"
                        + HOST), MongoErrorKind.DRIVER_FAILURE, false),
                row("not the driver's failure", new IllegalStateException("a bug"),
                        MongoErrorKind.NOT_A_DRIVER_FAILURE, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifications")
    void classify_givesTheKindAndWhetherAWriteMayHaveApplied_inWordsWithoutServerOrUser(
            String what, Throwable failure, MongoErrorKind kind, boolean mayHaveApplied) {
        MongoErrorClassification classification = MongoErrorClassifier.classify(failure);

        assertEquals(kind, classification.kind(), what);
        assertEquals(mayHaveApplied, classification.mayHaveApplied(), what);
        for (String secret : List.of(HOST, Integer.toString(PORT), USER, PASSWORD, "Exception")) {
            assertFalse(classification.description().contains(secret), classification::description);
        }
    }

    @Test
    void classify_keepsTheDatabasesOwnWordsAsTheDetail_notInTheDescription() {
        MongoErrorClassification refused = MongoErrorClassifier.classify(command(2, "unknown operator: $foo"));

        assertEquals("the database refused the operation (error 2)", refused.description());
        assertEquals("unknown operator: $foo", refused.detail());
        assertEquals("the database refused the operation (error 2): unknown operator: $foo",
                refused.descriptionWithDetail());
    }

    @Test
    void classify_namesTheFailingDocumentOfABatch_andShortensLongWords() {
        MongoErrorClassification duplicate = MongoErrorClassifier.classify(new MongoBulkWriteException(
                BulkWriteResult.unacknowledged(), List.of(new BulkWriteError(11000, "E11000 " + "x".repeat(1_000),
                new BsonDocument(), 3)), null, SERVER, Set.of()));

        assertTrue(duplicate.detail().startsWith("document 3: E11000 xxx"), duplicate.detail());
        assertEquals(MongoErrorClassifier.MAX_DETAIL_CHARACTERS + "...".length(), duplicate.detail().length());
    }

    @Test
    void classify_leavesNoDetail_whereTheDriversMessageWouldNameTheServer() {
        MongoErrorClassification stale = MongoErrorClassifier.classify(
                new MongoStalePrimaryException("Primary " + SERVER + " is stale"));

        assertEquals("", stale.detail());
    }

    private static Arguments row(String what, Throwable failure, MongoErrorKind kind, boolean mayHaveApplied) {
        return Arguments.of(what, failure, kind, mayHaveApplied);
    }

    private static MongoSocketReadTimeoutException readTimeout() {
        return new MongoSocketReadTimeoutException("Timeout while receiving message", SERVER,
                new SocketTimeoutException("Read timed out"));
    }

    private static <T extends MongoException> T labelled(T error, String label) {
        error.addLabel(label);
        return error;
    }

    private static MongoCommandException command(int code, String message) {
        return new MongoCommandException(serverError(code, message), SERVER);
    }

    private static BsonArray labels(String label) {
        return new BsonArray(List.of(new BsonString(label)));
    }

    private static BsonDocument serverError(int code, String message) {
        return new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(code))
                .append("errmsg", new BsonString(message));
    }
}
