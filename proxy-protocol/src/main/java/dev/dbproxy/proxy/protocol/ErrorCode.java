package dev.dbproxy.proxy.protocol;

/**
 * The stable error codes of the protocol. Clients switch on these, never on messages. A reader that meets a code it
 * does not know treats it as {@link #INTERNAL} (see {@link ProxyJsonCodec#readResponse(byte[])}).
 */
public enum ErrorCode {
    /** The request or an operation is malformed: bad JSON, wrong type, unknown field, a limit exceeded. */
    VALIDATION(false),
    /** The policy does not allow it: database, collection or action outside the allowlist, or a forbidden operator. */
    FORBIDDEN(false),
    /** Reserved: version 1 of the proxy reports absence as a {@code null} document or a zero count instead. */
    NOT_FOUND(false),
    /** A write hit a unique index with different content (a retried identical insert is a success instead). */
    DUPLICATE_KEY(false),
    /** The result would not fit in the response: page with {@code limit}/{@code skip} or a narrower filter. */
    RESULT_TOO_LARGE(false),
    /** The database could not be reached (no server selected in time, connection refused or lost). */
    DATABASE_UNAVAILABLE(true),
    /** The deadline or the function's remaining time ran out, or the database exceeded {@code maxTimeMS}. */
    TIMEOUT(true),
    /** Anything else; the proxy's log has the details under the request id. */
    INTERNAL(false);

    private final boolean retryableByDefault;

    ErrorCode(boolean retryableByDefault) {
        this.retryableByDefault = retryableByDefault;
    }

    /** Whether an error with this code is usually worth retrying (the error's own flag has the last word). */
    public boolean retryableByDefault() {
        return retryableByDefault;
    }
}
