package dev.dbproxy.proxy.protocol;

/**
 * A request or response that does not follow the protocol: not JSON, a missing or unknown field, a wrong type.
 * {@link #error()} is the {@link ErrorCode#VALIDATION} error to send back; its message names the field, such as
 * {@code operations[2].limit}.
 */
public final class InvalidProxyMessageException extends RuntimeException {

    private final transient ProxyError error;
    private final String requestId;
    private final int version;

    public InvalidProxyMessageException(String message) {
        this(message, "", ProxyJsonCodec.PROTOCOL_VERSION);
    }

    private InvalidProxyMessageException(String message, String requestId, int version) {
        super(message);
        this.error = ProxyError.of(ErrorCode.VALIDATION, message);
        this.requestId = requestId;
        this.version = version;
    }

    /**
     * The same problem, for the request with this id and protocol version (read from an otherwise invalid request, so
     * the response can still echo them).
     */
    InvalidProxyMessageException forRequest(String requestId, int version) {
        return new InvalidProxyMessageException(getMessage(), requestId, version);
    }

    /** The protocol version to answer in: 2 when the request declared it, otherwise 1. */
    public int version() {
        return version;
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
