package dev.dbproxy.notes.adapter.direct;

import dev.dbproxy.mongodb.errors.MongoErrorClassification;
import dev.dbproxy.mongodb.errors.MongoErrorClassifier;
import dev.dbproxy.notes.core.error.NotesException;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import java.time.Duration;

/**
 * Turns driver exceptions into the core's error types at the edge of the adapter, by their classification
 * ({@link MongoErrorClassifier}, shared with the DB proxy). Messages name the operation and the classification's
 * description only, never the database's words or the driver's message: those can carry host names, and a
 * misconfigured URI could carry credentials.
 */
final class MongoErrors {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private MongoErrors() {
    }

    /** The core's error for a driver failure during {@code operation}. */
    static Throwable toNotesException(String operation, Throwable error) {
        if (error instanceof NotesException) {
            return error;
        }
        MongoErrorClassification classification = MongoErrorClassifier.classify(error);
        String during = " during " + operation + ": " + classification.description();
        return switch (classification.kind()) {
            case UNAVAILABLE -> new TransientFailureException(Reason.UNAVAILABLE, "database unavailable" + during,
                    RETRY_AFTER, sanitized(error));
            case TIMEOUT -> new TransientFailureException(Reason.TIMEOUT, "database timed out" + during, RETRY_AFTER,
                    sanitized(error));
            case OVERLOADED -> new TransientFailureException(Reason.THROTTLED, "database overloaded" + during,
                    RETRY_AFTER, sanitized(error));
            // The driver's exception names the user: no cause at all.
            case NOT_AUTHORIZED -> new PermanentFailureException("database refused the credentials" + during);
            case DUPLICATE_KEY, INVALID_OPERATION, DATABASE_FAILURE, DRIVER_FAILURE ->
                    new PermanentFailureException("database error" + during, sanitized(error));
            case NOT_A_DRIVER_FAILURE -> new PermanentFailureException("unexpected failure during " + operation,
                    sanitized(error));
        };
    }

    /** Keeps the type and stack of the driver's exception for logs, without its message. */
    private static Throwable sanitized(Throwable error) {
        Throwable copy = new RuntimeException(error.getClass().getName());
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }
}
