package dev.dbproxy.proxy.handler;

import dev.dbproxy.mongodb.errors.MongoErrorClassification;
import dev.dbproxy.mongodb.errors.MongoErrorClassifier;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ProxyAction;
import dev.dbproxy.proxy.protocol.ProxyError;

/**
 * Turns what the MongoDB driver throws into protocol errors with a stable code, a message safe to show and the
 * retryable flag, by the failure's classification ({@link MongoErrorClassifier}, shared with the direct adapter).
 *
 * <p>A message is the classification's description (the classifier's own words and an error code, never a server
 * address, connection string, user name or stack trace), followed by its detail (the database's own words about a
 * refused operation, the parser's about the caller's input) only where the code is the caller's to fix:
 * {@link ErrorCode#VALIDATION} and {@link ErrorCode#DUPLICATE_KEY}. Atlas's error 462 and the
 * {@code SystemOverloadedError} label are {@link ErrorCode#DATABASE_UNAVAILABLE}: the protocol's code for "retry
 * later", and the write was not applied.
 */
final class MongoErrorTranslation {

    private static final String SEE_THE_LOG = "; the proxy's log has the details under this request id";

    private MongoErrorTranslation() {
    }

    /**
     * The protocol error for a failure while running an operation of this action. Returns {@code null} for a failure
     * that is not the driver's (the caller reports those as {@link ErrorCode#INTERNAL} and logs them).
     *
     * <p>A retryable error of a write that may have been applied (a timeout, a connection lost while waiting for the
     * answer, a failover reported by the database) gets a message saying so; one that failed before any attempt was
     * sent (no server selected, no connection opened, load shed) says {@code retry later}. The error stays retryable:
     * only the caller knows whether its write is safe to repeat.
     */
    static ProxyError translate(Throwable failure, ProxyAction action) {
        if (failure instanceof OperationFailedException failed) {
            return failed.error();
        }
        MongoErrorClassification classification = MongoErrorClassifier.classify(failure);
        ProxyError error = toProxyError(classification);
        if (error == null) {
            return null;
        }
        if (error.retryable() && action.writes() && classification.mayHaveApplied()) {
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

    private static ProxyError toProxyError(MongoErrorClassification classification) {
        String description = classification.description();
        return switch (classification.kind()) {
            case UNAVAILABLE, OVERLOADED -> ProxyError.of(ErrorCode.DATABASE_UNAVAILABLE, description);
            case TIMEOUT -> ProxyError.of(ErrorCode.TIMEOUT, description);
            case DUPLICATE_KEY -> ProxyError.of(ErrorCode.DUPLICATE_KEY, classification.descriptionWithDetail());
            case INVALID_OPERATION -> ProxyError.of(ErrorCode.VALIDATION, classification.descriptionWithDetail());
            case NOT_AUTHORIZED -> new ProxyError(ErrorCode.INTERNAL,
                    description + "; the proxy's configuration needs fixing" + SEE_THE_LOG, false);
            case DATABASE_FAILURE, DRIVER_FAILURE -> new ProxyError(ErrorCode.INTERNAL, description + SEE_THE_LOG,
                    false);
            case NOT_A_DRIVER_FAILURE -> null;
        };
    }
}
