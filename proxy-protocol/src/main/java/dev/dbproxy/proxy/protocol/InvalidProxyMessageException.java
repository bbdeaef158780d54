package dev.dbproxy.proxy.protocol;

/**
 * A request or response that does not follow the protocol: not JSON, a missing or unknown field, a wrong type.
 * {@link #error()} is the {@link ErrorCode#VALIDATION} error to send back; its message names the field, such as
 * {@code operations[2].limit}.
 */
public final class InvalidProxyMessageException extends RuntimeException {

    private final transient ProxyError error;

    public InvalidProxyMessageException(String message) {
        super(message);
        this.error = ProxyError.of(ErrorCode.VALIDATION, message);
    }

    /** The validation error that describes the problem, safe to send to the caller. */
    public ProxyError error() {
        return error;
    }
}
