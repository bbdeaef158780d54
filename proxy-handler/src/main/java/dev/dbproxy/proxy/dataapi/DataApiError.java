package dev.dbproxy.proxy.dataapi;

import dev.dbproxy.proxy.protocol.ErrorCode;

/**
 * The Data API errors the endpoint answers: an HTTP status and the {@code error_code} of the Data API's error body
 * {@code {"error", "error_code", "link"}}. The link leads to this error's entry in {@code DATA-API.md}.
 */
public enum DataApiError {
    /** 400: the body, a header or an argument is malformed (the message names it). */
    INVALID_PARAMETER(400, "InvalidParameter"),
    /** 400: {@code dataSource}, {@code database} or {@code collection} (or an action's required field) is missing. */
    MISSING_PARAMETER(400, "MissingParameter"),
    /** 400: an insert or upsert hit a unique index. */
    DUPLICATE_KEY(400, "DuplicateKey"),
    /** 400: the result would not fit in a response: page with {@code limit} and {@code skip}. */
    RESULT_TOO_LARGE(400, "ResultTooLarge"),
    /** 401: no key, or a key that matches no record; the two are not told apart. */
    INVALID_SESSION(401, "InvalidSession"),
    /** 403: the key's policy does not allow the database, collection, action or an operator. */
    FORBIDDEN(403, "Forbidden"),
    /** 404: the path names no Data API action. */
    UNKNOWN_ACTION(404, "UnknownAction"),
    /** 405: a method other than POST. */
    METHOD_NOT_ALLOWED(405, "MethodNotAllowed"),
    /** 413: the body is larger than the proxy's request limit. */
    REQUEST_TOO_LARGE(413, "RequestTooLarge"),
    /** 500: anything else; the proxy's log has the details under the request id. */
    INTERNAL(500, "InternalServerError"),
    /** 503: the database could not be reached in time; retry later. */
    DATABASE_UNAVAILABLE(503, "DatabaseUnavailable"),
    /** 503: the operation did not finish within the invocation's time; a write may or may not have been applied. */
    TIMEOUT(503, "Timeout");

    private final int status;
    private final String code;

    DataApiError(int status, String code) {
        this.status = status;
        this.code = code;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The {@code error_code} value. */
    public String code() {
        return code;
    }

    /**
     * The link the error body carries: this error's entry in the endpoint's document, relative to the repository
     * (the Data API linked to the App's logs, which do not exist here; the request id is in the response header
     * {@code Db-Proxy-Request-Id} and in the proxy's log).
     */
    public String link() {
        return "proxy-handler/DATA-API.md#" + code.toLowerCase(java.util.Locale.ROOT);
    }

    /** The error for a protocol error code, as the proxy reports it for an operation. */
    static DataApiError of(ErrorCode code) {
        return switch (code) {
            case VALIDATION -> INVALID_PARAMETER;
            case FORBIDDEN -> FORBIDDEN;
            case DUPLICATE_KEY -> DUPLICATE_KEY;
            case RESULT_TOO_LARGE -> RESULT_TOO_LARGE;
            case DATABASE_UNAVAILABLE -> DATABASE_UNAVAILABLE;
            case TIMEOUT -> TIMEOUT;
            case NOT_FOUND, INTERNAL -> INTERNAL;
        };
    }
}
