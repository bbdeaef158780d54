package dev.dbproxy.proxy.client;

import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ProxyError;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a call through the DB proxy failed, in the terms a caller decides on: whether retrying may help
 * ({@link #kind()}), when ({@link #retryAfter()}), and, for a write, whether it may have been applied
 * ({@link #mayHaveApplied()}), so that a caller retries a write only when it is idempotent (a caller-generated
 * {@code _id}, a filter that matches once).
 *
 * <p>The message is meant for logs and callers: it names the proxy function and the proxy's error code, never a
 * credential or a connection string.
 */
public final class DbProxyException extends RuntimeException {

    /** What kind of failure this is; the first three are worth a retry later. */
    public enum Kind {
        /** Lambda refused the invocation for the proxy's concurrency cap (still so after the client's retries). */
        THROTTLED,
        /** The proxy or the database behind it could not be reached, or the proxy crashed. */
        UNAVAILABLE,
        /** The caller's deadline, the proxy's time or the invocation timeout ran out. */
        TIMEOUT,
        /** The proxy refused the operation: invalid, forbidden by its policy, a duplicate key, a result too large. */
        REFUSED,
        /** Anything retrying will not cure: no such function, no permission, a closed client, an unreadable answer. */
        PERMANENT
    }

    private final Kind kind;
    private final ErrorCode proxyCode;
    private final boolean mayHaveApplied;
    private final Duration retryAfter;

    private DbProxyException(Kind kind, ErrorCode proxyCode, boolean mayHaveApplied, Duration retryAfter,
            String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.proxyCode = proxyCode;
        this.mayHaveApplied = mayHaveApplied;
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** A throttle that outlasted the client's retries; {@code retryAfter} is Lambda's advice. */
    public static DbProxyException throttled(String message, Duration retryAfter, Throwable cause) {
        return new DbProxyException(Kind.THROTTLED, null, false, retryAfter, message, cause);
    }

    /**
     * A failure of the invocation itself, not an answer of the proxy.
     *
     * @param mayHaveApplied whether the proxy may have run the operation (it was sent, and no answer came back)
     */
    public static DbProxyException invocationFailed(Kind kind, String message, boolean mayHaveApplied,
            Throwable cause) {
        return new DbProxyException(kind, null, mayHaveApplied, Duration.ofSeconds(1), message, cause);
    }

    /**
     * The error the proxy answered for an operation (or a whole request).
     *
     * @param write whether the operation writes: a write answered {@code DATABASE_UNAVAILABLE}, {@code TIMEOUT} or
     *              {@code INTERNAL} may have been applied (the database may have applied it before the connection
     *              broke or the time ran out)
     */
    public static DbProxyException answered(ProxyError error, boolean write) {
        Kind kind = switch (error.code()) {
            case DATABASE_UNAVAILABLE -> Kind.UNAVAILABLE;
            case TIMEOUT -> Kind.TIMEOUT;
            case INTERNAL -> Kind.PERMANENT;
            case VALIDATION, FORBIDDEN, NOT_FOUND, DUPLICATE_KEY, RESULT_TOO_LARGE -> Kind.REFUSED;
        };
        boolean unknownOutcome = kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT || kind == Kind.PERMANENT;
        return new DbProxyException(kind, error.code(), write && unknownOutcome, Duration.ofSeconds(1),
                "proxy error " + error.code() + ": " + error.message(), null);
    }

    /** A failure retrying will not cure, found on the caller's side. */
    public static DbProxyException permanent(String message, Throwable cause) {
        return new DbProxyException(Kind.PERMANENT, null, false, Duration.ofSeconds(1), message, cause);
    }

    /** What kind of failure this is. */
    public Kind kind() {
        return kind;
    }

    /** The proxy's error code when the proxy answered this error; empty when the invocation itself failed. */
    public Optional<ErrorCode> proxyCode() {
        return Optional.ofNullable(proxyCode);
    }

    /** Whether the proxy answered with {@code code}. */
    public boolean hasProxyCode(ErrorCode code) {
        return proxyCode == code;
    }

    /**
     * Whether a write may have been applied although it failed: it reached the proxy and no definite answer came
     * back. Always {@code false} for reads, throttles, refusals and calls made after their deadline.
     */
    public boolean mayHaveApplied() {
        return mayHaveApplied;
    }

    /** Whether the same call may succeed later: {@link Kind#THROTTLED}, {@link Kind#UNAVAILABLE}, {@link Kind#TIMEOUT}. */
    public boolean isRetryable() {
        return kind == Kind.THROTTLED || kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT;
    }

    /** How long to wait before retrying (Lambda's advice for a throttle, else one second). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
