package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoCredential;
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
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ProxyAction;
import dev.dbproxy.proxy.protocol.ProxyError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonMaximumSizeExceededException;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real driver exceptions, carrying the server's address, the connection string and the user name in their own
 * messages as the driver writes them, each translated to its protocol code and retryable flag without any of that.
 */
class MongoErrorTranslationTest {

    private static final String HOST = "db-7.internal.example";
    private static final int PORT = 27123;
    private static final ServerAddress SERVER = new ServerAddress(HOST, PORT);
    private static final String USER = "proxyuser";
    private static final String PASSWORD = "s3cr3t-pw";
    private static final String URI = "mongodb://" + USER + ":" + PASSWORD + "@" + HOST + ":" + PORT + "/app";
    private static final MongoCredential CREDENTIAL =
            MongoCredential.createScramSha256Credential(USER, "admin", PASSWORD.toCharArray());
    /** What the driver's server selection timeout says: the whole cluster, addresses included. */
    private static final String CLUSTER_VIEW = "Timed out while waiting for a server that matches"
            + " WritableServerSelector. Client view of cluster state is {type=REPLICA_SET, servers=[{address=" + HOST
            + ":" + PORT + ", type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException:"
            + " Exception opening socket}}]";

    static Stream<Arguments> driverFailures() {
        return Stream.of(
                Arguments.of("socket read failure", new MongoSocketReadException(
                        "Prematurely reached end of stream", SERVER), ErrorCode.DATABASE_UNAVAILABLE, true),
                // Sent, but the answer did not come in time: TIMEOUT, as in the direct adapter.
                Arguments.of("socket read timeout", new MongoSocketReadTimeoutException("Timeout while receiving"
                        + " message", SERVER, new SocketTimeoutException("Read timed out")),
                        ErrorCode.TIMEOUT, true),
                Arguments.of("socket write failure", new MongoSocketWriteException("Exception sending message",
                        SERVER, new IOException("Broken pipe")), ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("socket open failure", new MongoSocketOpenException("Exception opening socket", SERVER,
                        new ConnectException("Connection refused")), ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("server selection timeout", new MongoTimeoutException(CLUSTER_VIEW),
                        ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("client-side operation timeout", new MongoOperationTimeoutException(CLUSTER_VIEW),
                        ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("connection pool cleared", new MongoConnectionPoolClearedException(
                        new ServerId(new ClusterId(), SERVER), new MongoSocketReadException("reset", SERVER)),
                        ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("server no longer available", new MongoServerUnavailableException(
                        "The server at " + SERVER + " is no longer available"), ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("stale primary", new MongoStalePrimaryException("Primary " + SERVER + " is stale"),
                        ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("not primary", new MongoNotPrimaryException(serverError(10107, "not primary"), SERVER),
                        ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("node recovering", new MongoNodeIsRecoveringException(
                        serverError(11600, "interrupted at shutdown"), SERVER), ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("not primary as a plain command error", new MongoCommandException(
                        serverError(10107, "not primary"), SERVER), ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("write concern not satisfied", new MongoWriteConcernException(new WriteConcernError(64,
                        "WriteConcernFailed", "waiting for replication timed out on " + SERVER, new BsonDocument()),
                        SERVER), ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("write concern not satisfied in a batch", new MongoBulkWriteException(
                        BulkWriteResult.unacknowledged(), List.of(), new WriteConcernError(64, "WriteConcernFailed",
                        "waiting for replication timed out on " + SERVER, new BsonDocument()), SERVER, Set.of()),
                        ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("Atlas ingress rate limit", new MongoCommandException(serverError(462,
                        "IngressRequestRateLimitExceeded"), SERVER), ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("overloaded server", new MongoCommandException(serverError(1, "overloaded")
                        .append("errorLabels", new BsonArray(List.of(new BsonString("SystemOverloadedError")))),
                        SERVER), ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("duplicate key and write concern not satisfied in a batch", new MongoBulkWriteException(
                        BulkWriteResult.unacknowledged(), List.of(new BulkWriteError(11000,
                        "E11000 duplicate key error", new BsonDocument(), 1)), new WriteConcernError(64,
                        "WriteConcernFailed", "waiting for replication timed out", new BsonDocument()), SERVER,
                        Set.of()),
                        ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("login that lost its connection", new MongoSecurityException(CREDENTIAL,
                        "Exception authenticating " + CREDENTIAL, new MongoSocketReadException("reset", SERVER)),
                        ErrorCode.DATABASE_UNAVAILABLE, true),
                Arguments.of("time limit reached on the server", new MongoExecutionTimeoutException(50,
                        "operation exceeded time limit"), ErrorCode.TIMEOUT, true),
                Arguments.of("time limit as a command error", new MongoCommandException(
                        serverError(50, "operation exceeded time limit"), SERVER), ErrorCode.TIMEOUT, true),
                Arguments.of("interrupted", new MongoInterruptedException("Interrupted waiting for " + SERVER,
                        new InterruptedException()), ErrorCode.TIMEOUT, true),
                Arguments.of("login refused", new MongoSecurityException(CREDENTIAL, "Exception authenticating "
                        + CREDENTIAL, new MongoCommandException(serverError(18, "Authentication failed."), SERVER)),
                        ErrorCode.INTERNAL, false),
                Arguments.of("user lacks a right", new MongoCommandException(serverError(13,
                        "not authorized on app to execute command { find: \"notes\" } as " + USER), SERVER),
                        ErrorCode.INTERNAL, false),
                Arguments.of("authentication failed as a command error", new MongoCommandException(serverError(18,
                        "Authentication failed for " + USER), SERVER), ErrorCode.INTERNAL, false),
                Arguments.of("driver refusal naming the connection string", new MongoClientException(
                        "This MongoDB deployment does not support retryable writes. Add retryWrites=false to " + URI),
                        ErrorCode.INTERNAL, false),
                Arguments.of("duplicate key", new MongoWriteException(new WriteError(11000, "E11000 duplicate key"
                        + " error collection: app.notes index: _id_ dup key: { _id: 1 }", new BsonDocument()), SERVER),
                        ErrorCode.DUPLICATE_KEY, false),
                Arguments.of("duplicate key in a batch", new MongoBulkWriteException(BulkWriteResult.unacknowledged(),
                        List.of(new BulkWriteError(11000, "E11000 duplicate key error", new BsonDocument(), 1)), null,
                        SERVER, Set.of()), ErrorCode.DUPLICATE_KEY, false),
                Arguments.of("document over 16 MB as BSON", new BsonMaximumSizeExceededException(
                        "Payload document size is larger than maximum of 16793600."), ErrorCode.VALIDATION, false),
                Arguments.of("invalid operation refused by the database", new MongoCommandException(serverError(2,
                        "unknown operator: $foo"), SERVER), ErrorCode.VALIDATION, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("driverFailures")
    void translate_givesTheCodeAndRetryableFlag_withoutServerConnectionStringOrUser(
            String what, RuntimeException failure, ErrorCode code, boolean retryable) {
        ProxyError error = MongoErrorTranslation.translate(failure, ProxyAction.FIND);

        assertEquals(code, error.code(), what);
        assertEquals(retryable, error.retryable(), what);
        assertSafe(error);
    }

    /** Failures that may come after the write reached the database: its outcome is unknown. */
    static Stream<Arguments> failuresAfterSending() {
        return Stream.of(
                Arguments.of("socket read failure", new MongoSocketReadException("Prematurely reached end of stream",
                        SERVER)),
                Arguments.of("socket read timeout", new MongoSocketReadTimeoutException("Timeout while receiving"
                        + " message", SERVER, new SocketTimeoutException("Read timed out"))),
                Arguments.of("socket write failure after an earlier attempt", new MongoSocketWriteException(
                        "Exception sending message", SERVER, new IOException("Broken pipe"))),
                Arguments.of("not primary after an earlier attempt", new MongoNotPrimaryException(
                        serverError(10107, "not primary"), SERVER)),
                Arguments.of("shutdown interrupting the write", new MongoCommandException(
                        serverError(11600, "interrupted at shutdown"), SERVER)),
                Arguments.of("write concern not satisfied", new MongoWriteConcernException(new WriteConcernError(64,
                        "WriteConcernFailed", "waiting for replication timed out", new BsonDocument()), SERVER)),
                Arguments.of("write concern not satisfied in a batch", new MongoBulkWriteException(
                        BulkWriteResult.unacknowledged(), List.of(), new WriteConcernError(64, "WriteConcernFailed",
                        "waiting for replication timed out", new BsonDocument()), SERVER, Set.of())),
                Arguments.of("time limit reached on the server", new MongoExecutionTimeoutException(50,
                        "operation exceeded time limit")),
                Arguments.of("interrupted", new MongoInterruptedException("Interrupted", new InterruptedException())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failuresAfterSending")
    void translate_whenAWriteMayHaveReachedTheDatabase_saysItMayHaveApplied_andStaysRetryable(
            String what, RuntimeException failure) {
        ProxyError error = MongoErrorTranslation.translate(failure, ProxyAction.UPDATE_MANY);

        assertTrue(error.message().contains("the write may or may not have applied"), error.message());
        assertTrue(error.message().contains("only if applying it twice is harmless"), error.message());
        assertTrue(error.retryable(), what);
        assertSafe(error);
    }

    /** Failures in getting a server or a connection: the driver sent nothing (its retry reports the first failure). */
    static Stream<Arguments> failuresBeforeSending() {
        return Stream.of(
                Arguments.of("socket open failure", new MongoSocketOpenException("Exception opening socket", SERVER,
                        new ConnectException("Connection refused"))),
                Arguments.of("server selection timeout", new MongoTimeoutException(CLUSTER_VIEW)),
                Arguments.of("connection pool cleared", new MongoConnectionPoolClearedException(
                        new ServerId(new ClusterId(), SERVER), null)),
                Arguments.of("server no longer available", new MongoServerUnavailableException(
                        "The server at " + SERVER + " is no longer available")),
                Arguments.of("login that lost its connection", new MongoSecurityException(CREDENTIAL,
                        "Exception authenticating " + CREDENTIAL, new MongoSocketReadException("reset", SERVER))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failuresBeforeSending")
    void translate_whenAWriteWasNeverSent_saysRetryLater_withoutAWarning(String what, RuntimeException failure) {
        ProxyError error = MongoErrorTranslation.translate(failure, ProxyAction.UPDATE_MANY);

        assertEquals(ErrorCode.DATABASE_UNAVAILABLE, error.code(), what);
        assertTrue(error.message().endsWith("; retry later"), error.message());
        assertFalse(error.message().contains("may or may not"), error.message());
        assertTrue(error.retryable(), what);
    }

    @Test
    void translate_whenAnInsertMayHaveApplied_saysRetryingItIsSafe() {
        ProxyError error = MongoErrorTranslation.translate(
                new MongoSocketReadException("Prematurely reached end of stream", SERVER), ProxyAction.INSERT_MANY);

        assertEquals(ErrorCode.DATABASE_UNAVAILABLE, error.code());
        assertTrue(error.message().contains("the insert may or may not have applied; retrying it is safe"),
                error.message());
        assertTrue(error.retryable());
    }

    @Test
    void translate_whenAReadLostItsConnection_saysRetryLater_withoutAWriteWarning() {
        ProxyError error = MongoErrorTranslation.translate(
                new MongoSocketReadException("Prematurely reached end of stream", SERVER), ProxyAction.AGGREGATE);

        assertEquals("the connection to the database failed; retry later", error.message());
    }

    @Test
    void withUnknownWriteOutcome_leavesAReadsErrorAsItIs() {
        ProxyError timeout = ProxyError.of(ErrorCode.TIMEOUT, "operation 0 did not finish before the deadline");

        assertEquals(timeout, MongoErrorTranslation.withUnknownWriteOutcome(timeout, ProxyAction.FIND));
        assertTrue(MongoErrorTranslation.withUnknownWriteOutcome(timeout, ProxyAction.DELETE_ONE).message()
                .contains("the write may or may not have applied"));
    }

    @Test
    void translate_keepsTheDatabasesOwnWordsAboutARefusedOperation_butNotTheServerItNames() {
        MongoCommandException refused = new MongoCommandException(serverError(2, "unknown operator: $foo"), SERVER);

        ProxyError error = MongoErrorTranslation.translate(refused, ProxyAction.FIND);

        assertTrue(refused.getMessage().contains(HOST), "the driver's own message names the server");
        assertTrue(error.message().contains("unknown operator: $foo"), error.message());
        assertTrue(error.message().contains("error 2"), error.message());
    }

    @Test
    void translate_saysTheDocumentExceedsMongoDbsLimit() {
        ProxyError error = MongoErrorTranslation.translate(new BsonMaximumSizeExceededException(
                "Payload document size is larger than maximum of 16793600."), ProxyAction.INSERT_ONE);

        assertTrue(error.message().contains("16 MB"), error.message());
    }

    @Test
    void translate_pointsInternalErrorsToTheProxysLog() {
        ProxyError error = MongoErrorTranslation.translate(new MongoClientException("Cursor has been closed"),
                ProxyAction.FIND);

        assertTrue(error.message().contains("log"), error.message());
        assertFalse(error.message().contains("Cursor has been closed"), error.message());
    }

    @Test
    void translate_returnsNothingForAFailureThatIsNotTheDrivers() {
        assertNull(MongoErrorTranslation.translate(new IllegalStateException("state should be: open"),
                ProxyAction.FIND));
    }

    private static void assertSafe(ProxyError error) {
        String message = error.message();
        for (String secret : List.of(HOST, Integer.toString(PORT), "mongodb://", USER, PASSWORD, "Exception",
                "\tat ")) {
            assertFalse(message.contains(secret), () -> "'" + secret + "' in: " + message);
        }
    }

    private static BsonDocument serverError(int code, String message) {
        return new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(code))
                .append("errmsg", new BsonString(message));
    }
}
