package dev.dbproxy.proxy.protocol;

/**
 * A request or response that does not follow the protocol: not JSON, a missing or unknown field, a wrong type.
 * {@link #error()} is the {@link ErrorCode#VALIDATION} error to send back; its message names the field, such as
 * {@code operations[2].limit}.
 */
public final class InvalidProxyMessageException extends RuntimeException {

    private final transient ProxyError error;
    private final String requestId;

    public InvalidProxyMessageException(String message) {
        this(message, "");
    }

    private InvalidProxyMessageException(String message, String requestId) {
        super(message);
        this.error = ProxyError.of(ErrorCode.VALIDATION, message);
        this.requestId = requestId;
    }

    /**
     * The same problem, for the request with this id (read from an otherwise invalid request, so the response can
     * still echo it).
     */
    InvalidProxyMessageException forRequest(String requestId) {
        return new InvalidProxyMessageException(getMessage(), requestId);
    }

    /** The request's id when it could be read despite the problem, otherwise an empty string. */
    public String requestId() {
        return requestId;
    }

    /** The validation error that describes the problem, safe to send to the caller. */
    public ProxyError error() {
        return error;
    }
}
