package dev.dbproxy.mongodb.errors;

/**
 * What kind of failure a MongoDB driver exception reports, in the terms a caller decides on: wait and retry (the first
 * three), or fix the request or the configuration (the others). Each user of the classification maps these to its own
 * error types (the domain's exceptions, the proxy protocol's codes), so both strategies answer the same failure alike.
 */
public enum MongoErrorKind {
    /**
     * The database cannot serve now: no server was selected in time, a connection failed or was lost, the replica set
     * is electing or a node is recovering or shutting down, or a write was applied but not confirmed by enough servers.
     */
    UNAVAILABLE(true),
    /**
     * The operation ran out of time: the client-side operation timeout (the caller's deadline) passed, the database
     * stopped it at {@code maxTimeMS}, the socket timeout passed while waiting for the answer, or it was interrupted.
     */
    TIMEOUT(true),
    /**
     * The database refused the work to shed load and never ran it: Atlas's error 462 (ingress request rate limit)
     * or a failure labelled {@code SystemOverloadedError}. Retry with backoff.
     */
    OVERLOADED(true),
    /** A write hit a unique index. */
    DUPLICATE_KEY(false),
    /**
     * The operation is invalid: the database refused it (any server error code not listed elsewhere), or the driver
     * could not encode or parse it (a document over 16 MB as BSON, a value without a codec, malformed Extended JSON).
     */
    INVALID_OPERATION(false),
    /** The database refused the login or the database user lacks a right (codes 13 and 18): a configuration fault. */
    NOT_AUTHORIZED(false),
    /** The database failed on its own (codes 1 {@code InternalError} and 8 {@code UnknownError}). */
    DATABASE_FAILURE(false),
    /** The driver refused or failed on its own: a closed cursor, an unsupported feature, an incompatible server. */
    DRIVER_FAILURE(false),
    /** Not the driver's failure at all: a bug of the caller, to be reported as internal and logged. */
    NOT_A_DRIVER_FAILURE(false);

    private final boolean retryMayHelp;

    MongoErrorKind(boolean retryMayHelp) {
        this.retryMayHelp = retryMayHelp;
    }

    /** Whether a later attempt of the same operation may succeed (not whether repeating a write is safe). */
    public boolean retryMayHelp() {
        return retryMayHelp;
    }
}
