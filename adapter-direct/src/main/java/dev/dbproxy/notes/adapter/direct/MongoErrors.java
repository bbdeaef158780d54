package dev.dbproxy.notes.adapter.direct;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoStalePrimaryException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import dev.dbproxy.notes.core.error.NotesException;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import java.time.Duration;
import java.util.Set;

/**
 * Turns driver exceptions into the core's error types at the edge of the adapter. Messages name the operation and the
 * server's error code only: driver messages can carry host names, and a misconfigured URI could carry credentials.
 */
final class MongoErrors {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** Server error codes of a database that is failing over, shutting down or unreachable (as the proxy's). */
    private static final Set<Integer> UNAVAILABLE_CODES = Set.of(6, 7, 89, 91, 134, 189, 262, 9001, 10107, 11600,
            11602, 13435, 13436);
    /** Labels the server or the driver puts on a failure that a later attempt may not meet. */
    private static final Set<String> RETRYABLE_LABELS = Set.of("RetryableError", "RetryableWriteError",
            "TransientTransactionError");
    /** Atlas refusing new work at its ingress rate limit; the label of a server shedding load. */
    private static final int INGRESS_RATE_LIMITED = 462;
    private static final String SYSTEM_OVERLOADED = "SystemOverloadedError";

    private MongoErrors() {
    }

    /**
     * The core's error for a driver failure during {@code operation}.
     *
     * @param noServer whether a {@link MongoOperationTimeoutException} (a client-side timeout) means that no server
     *                 could be selected within the server selection timeout, so the database is unavailable; any
     *                 other is a {@code TIMEOUT}: the caller's deadline (or the operation timeout) ended the wait
     */
    static Throwable toNotesException(String operation, Throwable error, boolean noServer) {
        if (error instanceof NotesException) {
            return error;
        }
        if (error instanceof MongoOperationTimeoutException && !noServer) {
            return new TransientFailureException(Reason.TIMEOUT,
                    "database did not finish " + operation + " before the caller's deadline (or the operation timeout)",
                    RETRY_AFTER, sanitized(error));
        }
        if (error instanceof MongoTimeoutException || error instanceof MongoSocketException
                && !(error instanceof MongoSocketReadTimeoutException)) {
            return new TransientFailureException(Reason.UNAVAILABLE,
                    "database unavailable during " + operation, RETRY_AFTER, sanitized(error));
        }
        // Before the labels below: the driver labels a read timeout of a retryable write RetryableWriteError.
        if (error instanceof MongoSocketReadTimeoutException || error instanceof MongoExecutionTimeoutException) {
            return new TransientFailureException(Reason.TIMEOUT,
                    "database timed out during " + operation, RETRY_AFTER, sanitized(error));
        }
        if (error instanceof MongoWriteConcernException || error instanceof MongoBulkWriteException bulk
                && bulk.getWriteConcernError() != null) {
            return new TransientFailureException(Reason.UNAVAILABLE, "database applied " + operation
                    + " but not enough servers confirmed it; it may be rolled back", RETRY_AFTER, sanitized(error));
        }
        int code = codeOf(error);
        if (error instanceof MongoException overloaded && (code == INGRESS_RATE_LIMITED
                || overloaded.hasErrorLabel(SYSTEM_OVERLOADED))) {
            return new TransientFailureException(Reason.THROTTLED,
                    "database is overloaded and refused " + operation, RETRY_AFTER, sanitized(error));
        }
        if (error instanceof MongoNotPrimaryException || error instanceof MongoNodeIsRecoveringException
                || error instanceof MongoStalePrimaryException
                || error instanceof MongoConnectionPoolClearedException
                || error instanceof MongoServerUnavailableException
                || error instanceof MongoException failingOver && (UNAVAILABLE_CODES.contains(code)
                        || RETRYABLE_LABELS.stream().anyMatch(failingOver::hasErrorLabel))) {
            return new TransientFailureException(Reason.UNAVAILABLE,
                    "database unavailable during " + operation + " (a failover or a lost server)", RETRY_AFTER,
                    sanitized(error));
        }
        if (error instanceof MongoSecurityException && error.getCause() != null
                && toNotesException(operation, error.getCause(), noServer) instanceof TransientFailureException lost) {
            // The driver wraps a connection lost while logging in: the database is unavailable, not refusing.
            return lost;
        }
        if (error instanceof MongoSecurityException) {
            return new PermanentFailureException("database refused the credentials during " + operation);
        }
        if (error instanceof MongoException) {
            return new PermanentFailureException(
                    "database error " + code + " during " + operation, sanitized(error));
        }
        return new PermanentFailureException("unexpected failure during " + operation, sanitized(error));
    }

    /**
     * The server's error code: for a bulk write with one write error (how a one-document insert fails), that error's
     * code rather than the bulk exception's own.
     */
    private static int codeOf(Throwable error) {
        if (error instanceof MongoBulkWriteException bulk && bulk.getWriteErrors().size() == 1) {
            return bulk.getWriteErrors().getFirst().getCode();
        }
        return error instanceof MongoException mongo ? mongo.getCode() : -1;
    }

    /** Keeps the type and stack of the driver's exception for logs, without its message. */
    private static Throwable sanitized(Throwable error) {
        Throwable copy = new RuntimeException(error.getClass().getName());
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }
}
