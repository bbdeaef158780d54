package dev.dbproxy.mongodb.errors;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoSocketWriteTimeoutException;
import com.mongodb.MongoStalePrimaryException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import java.util.Set;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonMaximumSizeExceededException;
import org.bson.codecs.configuration.CodecConfigurationException;
import org.bson.json.JsonParseException;

/**
 * Classifies what the MongoDB driver throws, from the exception's type, its server error code and labels and its
 * cause chain, never from the time it took: the one place that decides transient or permanent, and whether a write
 * may have applied, for the direct adapter and the DB proxy alike.
 *
 * <p>Decisions worth knowing:
 * <ul>
 *   <li>"No server was selected" is a {@link MongoTimeoutException} from server selection (or a connection pool
 *       wait), or, under a client-side operation timeout ({@code timeoutMS}, which the driver then reports as a
 *       {@link MongoOperationTimeoutException} without a cause), the driver's own server-selection message. It is
 *       {@link MongoErrorKind#UNAVAILABLE} and the write was never sent, even when the caller's deadline, not the
 *       server selection timeout, ended the wait: nothing was reachable in the time there was.</li>
 *   <li>Atlas's error 462 ({@code IngressRequestRateLimitExceeded}) and the {@code SystemOverloadedError} label are
 *       {@link MongoErrorKind#OVERLOADED} and never applied: the database refused the work before running it. They
 *       win over the labels that mean a failover ({@code RetryableError} usually comes with them).</li>
 *   <li>A socket read or write timeout is {@link MongoErrorKind#TIMEOUT} (the request was sent, the answer did not
 *       come in time), before the labels: the driver labels a retryable write's read timeout
 *       {@code RetryableWriteError}.</li>
 *   <li>A write concern error wins over a duplicate key in the same batch: the documents without a write error were
 *       written, but not to enough servers, and may be rolled back.</li>
 * </ul>
 */
public final class MongoErrorClassifier {

    /** The most characters of the database's or the parser's words kept as the detail. */
    public static final int MAX_DETAIL_CHARACTERS = 300;

    /** Server error codes of a database that is failing over, shutting down or unreachable. */
    private static final Set<Integer> UNAVAILABLE_CODES = Set.of(6, 7, 89, 91, 134, 189, 262, 9001, 10107, 11600,
            11602, 13435, 13436);
    /** Labels the server or the driver puts on a failure that a later attempt may not meet. */
    private static final Set<String> RETRYABLE_LABELS = Set.of("RetryableError", "RetryableWriteError",
            "TransientTransactionError");
    /** Atlas refusing new work at its ingress rate limit. */
    private static final int INGRESS_RATE_LIMITED = 462;
    /** The label of a server that sheds load by refusing operations it has not started. */
    private static final String SYSTEM_OVERLOADED = "SystemOverloadedError";
    /** Server error codes of a login refused or a right missing. */
    private static final Set<Integer> NOT_AUTHORIZED_CODES = Set.of(13, 18);
    /** Server error codes of the database's own failures, which say nothing about the operation. */
    private static final Set<Integer> DATABASE_FAILURE_CODES = Set.of(1, 8);
    private static final int MAX_TIME_EXPIRED = 50;

    /** How the driver (BaseCluster) begins the message of a server selection that gave up. */
    private static final String SERVER_SELECTION_GAVE_UP = "Timed out while waiting for a server";
    /** How the driver (DefaultConnectionPool) words a wait for a pooled connection that gave up. */
    private static final String POOL_WAIT_GAVE_UP = "while waiting for a connection to server";
    /** How the driver (TimeoutContext) begins the message of a deadline too close for one round trip. */
    private static final String TOO_LITTLE_TIME_LEFT = "Remaining timeoutMS is less than";

    private static final String NO_SERVER = "no database server was reachable in time";
    private static final String CONNECTION_FAILED = "the connection to the database failed";
    private static final String ELECTING = "the database is electing a new primary";
    private static final String NOT_CONFIRMED =
            "the write was not confirmed by enough database servers and may be rolled back";
    private static final String PAST_THE_DEADLINE =
            "the database did not answer before the caller's deadline (the client-side operation timeout)";
    private static final String TIME_LIMIT = "the database stopped the operation at its time limit (maxTimeMS)";

    private MongoErrorClassifier() {
    }

    /**
     * The classification of {@code failure}, as the driver threw it (or as a reactive stream emitted it).
     *
     * @return {@link MongoErrorKind#NOT_A_DRIVER_FAILURE} for anything that is neither a MongoDB driver nor a BSON
     *         exception (nor an {@link IllegalArgumentException}, which the driver throws for invalid arguments)
     */
    public static MongoErrorClassification classify(Throwable failure) {
        return switch (failure) {
            case MongoOperationTimeoutException timeout -> clientSideTimeout(timeout);
            case MongoTimeoutException noServer -> notSent(MongoErrorKind.UNAVAILABLE, NO_SERVER);
            case MongoSocketOpenException notOpened -> notSent(MongoErrorKind.UNAVAILABLE, CONNECTION_FAILED);
            case MongoSocketReadTimeoutException late -> sent(MongoErrorKind.TIMEOUT,
                    "the database did not answer within the socket timeout");
            case MongoSocketWriteTimeoutException late -> sent(MongoErrorKind.TIMEOUT,
                    "the operation could not be sent to the database within the socket timeout");
            // The driver's retry that fails to get a connection reports the first attempt's failure: it may have run.
            case MongoSocketException lost -> sent(MongoErrorKind.UNAVAILABLE, CONNECTION_FAILED);
            case MongoConnectionPoolClearedException cleared -> notSent(MongoErrorKind.UNAVAILABLE,
                    "the connections to the database were reset after a failure");
            case MongoServerUnavailableException gone -> notSent(MongoErrorKind.UNAVAILABLE,
                    "the database server chosen for the operation is no longer available");
            case MongoSecurityException security -> login(security);
            case MongoExecutionTimeoutException limit -> sent(MongoErrorKind.TIMEOUT, TIME_LIMIT);
            case MongoInterruptedException interrupted -> sent(MongoErrorKind.TIMEOUT,
                    "the operation was interrupted before it finished");
            case MongoStalePrimaryException stale -> sent(MongoErrorKind.UNAVAILABLE, ELECTING);
            case MongoNotPrimaryException notPrimary -> sent(MongoErrorKind.UNAVAILABLE, ELECTING);
            case MongoNodeIsRecoveringException recovering -> sent(MongoErrorKind.UNAVAILABLE,
                    "the database is recovering");
            case MongoWriteConcernException concern -> sent(MongoErrorKind.UNAVAILABLE, NOT_CONFIRMED);
            case MongoBulkWriteException bulk when bulk.getWriteConcernError() != null ->
                    sent(MongoErrorKind.UNAVAILABLE, NOT_CONFIRMED);
            case MongoBulkWriteException bulk when !bulk.getWriteErrors().isEmpty() -> {
                BulkWriteError first = bulk.getWriteErrors().getFirst();
                yield fromServer(first.getCode(), first.getCategory(),
                        "document " + first.getIndex() + ": " + first.getMessage(), bulk);
            }
            case MongoWriteException write -> fromServer(write.getError().getCode(), write.getError().getCategory(),
                    write.getError().getMessage(), write);
            // getErrorMessage() is the database's errmsg; getMessage() would add the server's address.
            case MongoCommandException command -> fromServer(command.getErrorCode(),
                    ErrorCategory.fromErrorCode(command.getErrorCode()), command.getErrorMessage(), command);
            // Other server exceptions' messages may name the server's address: keep only the code.
            case MongoServerException server -> fromServer(server.getCode(),
                    ErrorCategory.fromErrorCode(server.getCode()), "", server);
            case MongoException labelled when labelled.hasErrorLabel(SYSTEM_OVERLOADED) ->
                    notSent(MongoErrorKind.OVERLOADED, "the database is overloaded and refused the operation");
            case MongoException labelled when RETRYABLE_LABELS.stream().anyMatch(labelled::hasErrorLabel) ->
                    sent(MongoErrorKind.UNAVAILABLE, "the database is failing over");
            case MongoException driver -> notSent(MongoErrorKind.DRIVER_FAILURE, "the database driver refused the"
                    + " operation");
            case BsonMaximumSizeExceededException tooLarge -> notSent(MongoErrorKind.INVALID_OPERATION,
                    "a document of the operation is larger than MongoDB's limit of 16 MB once encoded as BSON;"
                            + " store fewer or smaller values in one document");
            case JsonParseException parse -> invalid("not valid Extended JSON", parse.getMessage());
            case BsonInvalidOperationException bson -> invalid("not a valid BSON value", bson.getMessage());
            case CodecConfigurationException codec -> invalid("a value cannot be encoded as BSON", codec.getMessage());
            case IllegalArgumentException argument -> invalid("the database driver refused the operation",
                    argument.getMessage());
            // Unknown: a write may have run before it, so the conservative answer is that it may have applied.
            default -> new MongoErrorClassification(MongoErrorKind.NOT_A_DRIVER_FAILURE, true,
                    "the operation failed unexpectedly", "");
        };
    }

    /**
     * A client-side operation timeout ({@code timeoutMS}). With a cause, the driver wrapped what ended the attempt (a
     * socket read timeout) or, for "Retry attempt exceeded the timeout limit", the first attempt's failure; without
     * one, its message is all that says whether it gave up before sending anything.
     */
    private static MongoErrorClassification clientSideTimeout(MongoOperationTimeoutException timeout) {
        if (timeout.getCause() != null) {
            MongoErrorClassification cause = classify(timeout.getCause());
            if (cause.kind() == MongoErrorKind.UNAVAILABLE || cause.kind() == MongoErrorKind.OVERLOADED) {
                // The database failed first; its retry did not get past that in the time left.
                return cause;
            }
            return new MongoErrorClassification(MongoErrorKind.TIMEOUT, cause.mayHaveApplied(), PAST_THE_DEADLINE,
                    "");
        }
        String message = String.valueOf(timeout.getMessage());
        if (message.startsWith(SERVER_SELECTION_GAVE_UP)) {
            return notSent(MongoErrorKind.UNAVAILABLE, NO_SERVER);
        }
        if (message.contains(POOL_WAIT_GAVE_UP)) {
            return notSent(MongoErrorKind.TIMEOUT,
                    "no pooled connection to the database became free before the caller's deadline");
        }
        if (message.startsWith(TOO_LITTLE_TIME_LEFT)) {
            return notSent(MongoErrorKind.TIMEOUT,
                    "too little time was left before the caller's deadline for a round trip to the database");
        }
        return sent(MongoErrorKind.TIMEOUT, PAST_THE_DEADLINE);
    }

    /** The driver wraps a connection lost while logging in: then the database is unavailable, not refusing. */
    private static MongoErrorClassification login(MongoSecurityException security) {
        if (security.getCause() != null) {
            MongoErrorClassification cause = classify(security.getCause());
            if (cause.kind().retryMayHelp()) {
                // Logging in comes before the operation: nothing was sent.
                return notSent(cause.kind(), "the connection to the database failed while logging in");
            }
        }
        return notSent(MongoErrorKind.NOT_AUTHORIZED, "the database refused the login");
    }

    private static MongoErrorClassification fromServer(int code, ErrorCategory category, String databaseWords,
                                                       MongoException failure) {
        String detail = shorten(databaseWords);
        if (code == INGRESS_RATE_LIMITED || failure.hasErrorLabel(SYSTEM_OVERLOADED)) {
            return notSent(MongoErrorKind.OVERLOADED,
                    "the database is overloaded and refused the operation (error " + code + ")");
        }
        if (category == ErrorCategory.DUPLICATE_KEY) {
            // The failing document was not written (others of an unordered batch may have been: see its result).
            return new MongoErrorClassification(MongoErrorKind.DUPLICATE_KEY, false,
                    "a document with the same unique key already exists", detail);
        }
        if (code == MAX_TIME_EXPIRED || category == ErrorCategory.EXECUTION_TIMEOUT) {
            return sent(MongoErrorKind.TIMEOUT, TIME_LIMIT);
        }
        if (UNAVAILABLE_CODES.contains(code)) {
            return sent(MongoErrorKind.UNAVAILABLE, "the database is unavailable (error " + code + ")");
        }
        if (RETRYABLE_LABELS.stream().anyMatch(failure::hasErrorLabel)) {
            return sent(MongoErrorKind.UNAVAILABLE, "the database is failing over (error " + code + ")");
        }
        if (NOT_AUTHORIZED_CODES.contains(code)) {
            return notSent(MongoErrorKind.NOT_AUTHORIZED, "the database user may not do this (error " + code + ")");
        }
        if (DATABASE_FAILURE_CODES.contains(code)) {
            return sent(MongoErrorKind.DATABASE_FAILURE, "the database failed (error " + code + ")");
        }
        return new MongoErrorClassification(MongoErrorKind.INVALID_OPERATION, false,
                "the database refused the operation (error " + code + ")", detail);
    }

    private static MongoErrorClassification invalid(String description, String parserWords) {
        return new MongoErrorClassification(MongoErrorKind.INVALID_OPERATION, false, description,
                shorten(parserWords));
    }

    private static MongoErrorClassification sent(MongoErrorKind kind, String description) {
        return new MongoErrorClassification(kind, true, description, "");
    }

    private static MongoErrorClassification notSent(MongoErrorKind kind, String description) {
        return new MongoErrorClassification(kind, false, description, "");
    }

    private static String shorten(String words) {
        String text = words == null ? "" : words;
        return text.length() <= MAX_DETAIL_CHARACTERS ? text : text.substring(0, MAX_DETAIL_CHARACTERS) + "...";
    }
}
