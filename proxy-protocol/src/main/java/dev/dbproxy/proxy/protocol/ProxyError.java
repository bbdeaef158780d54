package dev.dbproxy.proxy.protocol;

import java.util.Objects;

/**
 * An error the proxy reports, for the whole request or for one operation. The message is written to be shown to the
 * caller: it never holds a stack trace, a connection string or a credential.
 *
 * @param code      the stable code to switch on
 * @param message   what went wrong, in words, never blank
 * @param retryable whether sending the same operation again may succeed
 */
public record ProxyError(ErrorCode code, String message, boolean retryable) {

    public ProxyError {
        Objects.requireNonNull(code, "code");
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message must not be blank");
        }
    }

    /** An error whose retryable flag is the code's default ({@link ErrorCode#retryableByDefault()}). */
    public static ProxyError of(ErrorCode code, String message) {
        return new ProxyError(code, message, code.retryableByDefault());
    }
}
