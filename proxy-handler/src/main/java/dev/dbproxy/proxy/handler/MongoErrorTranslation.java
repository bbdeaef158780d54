package dev.dbproxy.proxy.handler;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoStalePrimaryException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ProxyAction;
import dev.dbproxy.proxy.protocol.ProxyError;
import java.util.Set;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonMaximumSizeExceededException;
import org.bson.codecs.configuration.CodecConfigurationException;
import org.bson.json.JsonParseException;

/**
 * Turns what the MongoDB driver throws into protocol errors with a stable code, a message safe to show (the
 * database's own words about the operation at most, never a server address, connection string, user name or stack
 * trace) and the retryable flag.
 *
 * <p>Driver messages are never echoed, except the database's own error text for a refused operation
 * ({@link MongoCommandException#getErrorMessage()}, not {@code getMessage()}, which names the server) and the parser's
 * words about the caller's own input: a driver message may name the server ({@code MongoTimeoutException} describes
 * the whole cluster, {@code MongoConnectionPoolClearedException} and {@code MongoServerUnavailableException} give its
 * address) or the user ({@code MongoSecurityException}).
 */
final class MongoErrorTranslation {

    /** Server error codes of a database that is failing over, shutting down or unreachable: retry later. */
    private static final Set<Integer> UNAVAILABLE_CODES = Set.of(6, 7, 89, 91, 134, 189, 262, 462, 9001, 10107,
            11600, 11602, 13435, 13436);
    /** Labels the server or the driver puts on a failure that a later attempt may not meet (an overloaded server). */
    private static final Set<String> RETRYABLE_LABELS = Set.of("RetryableError", "RetryableWriteError",
            "TransientTransactionError", "SystemOverloadedError");
    /** Server error codes of a proxy that may not do this: its database user lacks a right, or its login failed. */
    private static final Set<Integer> NOT_AUTHORIZED_CODES = Set.of(13, 18);
    /** Server error codes of the database's own failures, which say nothing about the operation. */
    private static final Set<Integer> SERVER_FAILURE_CODES = Set.of(1, 8);
    private static final int MAX_TIME_EXPIRED = 50;
    private static final int MAX_DATABASE_MESSAGE = 300;
    private static final String SEE_THE_LOG = "; the proxy's log has the details under this request id";
    private static final String ELECTING = "the database is electing a new primary";
    private static final String WRITE_NOT_ACKNOWLEDGED = "the write was not acknowledged by enough database servers";

    private MongoErrorTranslation() {
    }

    /**
     * The protocol error for a failure while running an operation of this action. Returns {@code null} for a failure
     * that is not the driver's (the caller reports those as {@link ErrorCode#INTERNAL} and logs them).
     *
     * <p>A write that failed after it may have reached the database (a timeout, a connection lost while waiting for
     * the answer, a failover reported by the database) gets a message saying it may have been applied; one that failed
     * before any attempt was sent (no server selected, no connection opened) does not. The error stays retryable:
     * only the caller knows whether its write is safe to repeat.
     */
    static ProxyError translate(Throwable failure, ProxyAction action) {
        ProxyError error = translate(failure);
        if (error == null) {
            return null;
        }
        boolean mayHaveApplied = error.code() == ErrorCode.TIMEOUT
                || error.code() == ErrorCode.DATABASE_UNAVAILABLE && !failedBeforeSending(failure);
        if (action.writes() && mayHaveApplied) {
            return withUnknownWriteOutcome(error, action);
        }
        if (error.code() == ErrorCode.DATABASE_UNAVAILABLE) {
            return new ProxyError(error.code(), error.message() + "; retry later", error.retryable());
        }
        return error;
    }

    /**
     * The error with a warning that the write may have been applied, when the action writes: an insert is safe to
     * retry (an identical stored document counts as inserted), any other write only when applying it twice is harmless.
     */
    static ProxyError withUnknownWriteOutcome(ProxyError error, ProxyAction action) {
        if (!action.writes()) {
            return error;
        }
        String warning = action == ProxyAction.INSERT_ONE || action == ProxyAction.INSERT_MANY
                ? "the insert may or may not have applied; retrying it is safe: a stored document identical to the"
                        + " one sent counts as inserted"
                : "the write may or may not have applied; retry it only if applying it twice is harmless";
        return new ProxyError(error.code(), error.message() + "; " + warning, error.retryable());
    }

    /**
     * Whether the driver failed while getting a server or a connection, before sending the operation. When the
     * driver's own retry of a write fails this way, it reports the first attempt's failure instead, so these mean that
     * no attempt was sent. A {@code MongoOperationTimeoutException} gets here only when it came well before the
     * deadline (the handler reports the others as {@link ErrorCode#TIMEOUT}): a server selection or checkout wait.
     */
    private static boolean failedBeforeSending(Throwable failure) {
        return failure instanceof MongoTimeoutException
                || failure instanceof MongoSocketOpenException
                || failure instanceof MongoConnectionPoolClearedException
                || failure instanceof MongoServerUnavailableException
                || failure instanceof MongoSecurityException;
    }

    private static ProxyError translate(Throwable failure) {
        return switch (failure) {
            case OperationFailedException failed -> failed.error();
            case MongoExecutionTimeoutException timeout -> ProxyError.of(ErrorCode.TIMEOUT,
                    "the database stopped the operation at its time limit (maxTimeMS), derived from the deadline");
            case MongoTimeoutException timeout -> ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE,
                    "no database server was reachable in time");
            case MongoSocketException socket -> ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE,
                    "the connection to the database failed");
            case MongoConnectionPoolClearedException cleared -> ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE,
                    "the connections to the database were reset after a failure");
            case MongoServerUnavailableException gone -> ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE,
                    "the database server chosen for the operation is no longer available");
            case MongoNotPrimaryException notPrimary -> ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE, ELECTING);
            case MongoStalePrimaryException stale -> ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE, ELECTING);
            case MongoNodeIsRecoveringException recovering -> ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE,
                    "the database is recovering");
            case MongoInterruptedException interrupted -> ProxyError.of(ErrorCode.TIMEOUT,
                    "the operation was interrupted before it finished");
            case MongoSecurityException security when isUnavailable(security.getCause()) -> ProxyError.of(
                    ErrorCode.DATABASE_UNAVAILABLE, "the connection to the database failed while the proxy logged in");
            case MongoSecurityException security -> new ProxyError(ErrorCode.INTERNAL,
                    "the proxy could not log in to the database; its configuration needs fixing" + SEE_THE_LOG, false);
            case MongoWriteException write -> fromWriteError(write.getError().getCategory(), write.getError().getCode(),
                    write.getError().getMessage());
            // The documents without a write error were written, but not to enough servers: they may be rolled back.
            case MongoBulkWriteException bulk when bulk.getWriteConcernError() != null -> ProxyError.of(
                    ErrorCode.DATABASE_UNAVAILABLE, WRITE_NOT_ACKNOWLEDGED);
            case MongoBulkWriteException bulk when !bulk.getWriteErrors().isEmpty() -> {
                BulkWriteError first = bulk.getWriteErrors().getFirst();
                yield fromWriteError(ErrorCategory.fromErrorCode(first.getCode()), first.getCode(),
                        "document " + first.getIndex() + ": " + first.getMessage());
            }
            case MongoWriteConcernException concern -> ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE,
                    WRITE_NOT_ACKNOWLEDGED);
            case MongoServerException labelled when RETRYABLE_LABELS.stream().anyMatch(labelled::hasErrorLabel) ->
                    ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE, "the database is overloaded or failing over (error "
                            + labelled.getCode() + ")");
            case MongoCommandException command -> fromServerCode(command.getErrorCode(), command.getErrorMessage());
            // Other server exceptions' messages may name the server's address: keep only the code.
            case MongoServerException server -> fromServerCode(server.getCode(), "no details");
            case BsonMaximumSizeExceededException tooLarge -> ProxyError.of(ErrorCode.VALIDATION,
                    "a document of the operation is larger than MongoDB's limit of 16 MB once encoded as BSON;"
                            + " store fewer or smaller values in one document");
            case JsonParseException parse -> ProxyError.of(ErrorCode.VALIDATION,
                    "not valid Extended JSON: " + shorten(parse.getMessage()));
            case BsonInvalidOperationException bson -> ProxyError.of(ErrorCode.VALIDATION,
                    "not a valid BSON value: " + shorten(bson.getMessage()));
            case CodecConfigurationException codec -> ProxyError.of(ErrorCode.VALIDATION,
                    "a value cannot be encoded as BSON: " + shorten(codec.getMessage()));
            case IllegalArgumentException argument -> ProxyError.of(ErrorCode.VALIDATION,
                    "the database driver refused the operation: " + shorten(argument.getMessage()));
            case MongoClientException client -> new ProxyError(ErrorCode.INTERNAL,
                    "the database driver refused the operation" + SEE_THE_LOG, false);
            default -> null;
        };
    }

    /** Whether the cause is one of the failures that make the database unavailable (a login that lost its socket). */
    private static boolean isUnavailable(Throwable cause) {
        ProxyError error = cause == null ? null : translate(cause);
        return error != null && error.code() == ErrorCode.DATABASE_UNAVAILABLE;
    }

    private static ProxyError fromWriteError(ErrorCategory category, int code, String message) {
        if (category == ErrorCategory.DUPLICATE_KEY) {
            return ProxyError.of(ErrorCode.DUPLICATE_KEY,
                    "a document with the same unique key already exists: " + shorten(message));
        }
        if (category == ErrorCategory.EXECUTION_TIMEOUT) {
            return fromServerCode(MAX_TIME_EXPIRED, message);
        }
        return fromServerCode(code, message);
    }

    private static ProxyError fromServerCode(int code, String message) {
        if (code == MAX_TIME_EXPIRED) {
            return ProxyError.of(ErrorCode.TIMEOUT,
                    "the database stopped the operation at its time limit (maxTimeMS), derived from the deadline");
        }
        if (UNAVAILABLE_CODES.contains(code)) {
            return ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE,
                    "the database is unavailable (error " + code + ")");
        }
        if (NOT_AUTHORIZED_CODES.contains(code)) {
            return new ProxyError(ErrorCode.INTERNAL, "the proxy's database user may not do this (error " + code
                    + "); its configuration needs fixing" + SEE_THE_LOG, false);
        }
        if (SERVER_FAILURE_CODES.contains(code)) {
            return new ProxyError(ErrorCode.INTERNAL, "the database failed (error " + code + ")" + SEE_THE_LOG, false);
        }
        return ProxyError.of(ErrorCode.VALIDATION,
                "the database refused the operation (error " + code + "): " + shorten(message));
    }

    private static String shorten(String message) {
        String text = String.valueOf(message);
        return text.length() <= MAX_DATABASE_MESSAGE ? text : text.substring(0, MAX_DATABASE_MESSAGE) + "...";
    }
}
