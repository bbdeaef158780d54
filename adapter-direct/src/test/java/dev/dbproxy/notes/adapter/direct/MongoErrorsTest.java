package dev.dbproxy.notes.adapter.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoStalePrimaryException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.WriteConcernError;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How the direct adapter classifies the driver's failures: what a later attempt may get past is transient. */
class MongoErrorsTest {

    private static final String HOST = "db-7.internal.example";
    private static final ServerAddress SERVER = new ServerAddress(HOST, 27017);
    private static final MongoCredential CREDENTIAL =
            MongoCredential.createScramSha256Credential("notesuser", "admin", "s3cr3t".toCharArray());

    static Stream<Arguments> transientFailures() {
        return Stream.of(
                Arguments.of("connection lost while logging in", new MongoSecurityException(CREDENTIAL,
                        "Exception authenticating " + CREDENTIAL, new MongoSocketReadException("reset", SERVER)),
                        Reason.UNAVAILABLE),
                Arguments.of("stale primary", new MongoStalePrimaryException("Primary " + SERVER + " is stale"),
                        Reason.UNAVAILABLE),
                Arguments.of("shutdown in progress", new MongoCommandException(serverError(91, "shutting down"),
                        SERVER), Reason.UNAVAILABLE),
                Arguments.of("labelled retryable by the server", new MongoCommandException(
                        serverError(1, "try again").append("errorLabels", labels("RetryableError")), SERVER),
                        Reason.UNAVAILABLE),
                Arguments.of("write concern not satisfied", new MongoWriteConcernException(new WriteConcernError(64,
                        "WriteConcernFailed", "waiting for replication timed out on " + SERVER, new BsonDocument()),
                        SERVER), Reason.UNAVAILABLE),
                Arguments.of("read timeout of a write the driver labels retryable",
                        labelled(new MongoSocketReadTimeoutException("Timeout while receiving message", SERVER,
                                new SocketTimeoutException("Read timed out")), "RetryableWriteError"), Reason.TIMEOUT),
                Arguments.of("a one-document insert the database refuses with a failover code",
                        new MongoBulkWriteException(BulkWriteResult.unacknowledged(), List.of(new BulkWriteError(
                                11602, "InterruptedDueToReplStateChange", new BsonDocument(), 0)), null, SERVER,
                                Set.of()), Reason.UNAVAILABLE),
                Arguments.of("Atlas ingress rate limit", new MongoCommandException(serverError(462,
                        "IngressRequestRateLimitExceeded"), SERVER), Reason.THROTTLED),
                Arguments.of("overloaded server", new MongoCommandException(serverError(1, "overloaded")
                        .append("errorLabels", labels("SystemOverloadedError")), SERVER), Reason.THROTTLED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFailures")
    void failuresALaterAttemptMayGetPast_areTransient_withoutServerOrUser(String what, RuntimeException failure,
                                                                         Reason reason) {
        Throwable error = MongoErrors.toNotesException("create", failure);

        assertEquals(reason, assertInstanceOf(TransientFailureException.class, error, what).reason(), what);
        assertSafe(error);
    }

    @Test
    void loginRefused_isPermanent_withoutTheUser() {
        Throwable error = MongoErrors.toNotesException("create", new MongoSecurityException(CREDENTIAL,
                "Exception authenticating " + CREDENTIAL, new MongoCommandException(serverError(18,
                        "Authentication failed."), SERVER)));

        assertInstanceOf(PermanentFailureException.class, error);
        assertSafe(error);
    }

    @Test
    void anOperationTheDatabaseRefuses_isPermanent() {
        Throwable error = MongoErrors.toNotesException("create", new MongoCommandException(serverError(2,
                "unknown operator"), SERVER));

        assertInstanceOf(PermanentFailureException.class, error);
        assertSafe(error);
    }

    private static void assertSafe(Throwable error) {
        for (Throwable at = error; at != null; at = at.getCause()) {
            String message = String.valueOf(at.getMessage());
            assertFalse(message.contains(HOST), message);
            assertFalse(message.contains("notesuser"), message);
            assertFalse(message.contains("s3cr3t"), message);
        }
    }

    private static RuntimeException labelled(MongoException error, String label) {
        error.addLabel(label);
        return error;
    }

    private static BsonArray labels(String label) {
        return new BsonArray(List.of(new BsonString(label)));
    }

    private static BsonDocument serverError(int code, String message) {
        return new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(code))
                .append("errmsg", new BsonString(message));
    }
}
