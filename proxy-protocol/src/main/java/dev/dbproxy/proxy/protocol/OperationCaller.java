package dev.dbproxy.proxy.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * Whose an operation of a version 2 request is: the request id and the deadline of the caller it belongs to, so that
 * one request can carry the operations of several callers (the concurrent invocations of one Lambda Managed Instances
 * environment) and each operation still runs within its own caller's time and is logged under its own caller's id.
 *
 * @param requestId the caller's id for the operation; 1 to {@value ProxyRequest#MAX_REQUEST_ID_LENGTH} characters,
 *                  no control characters
 * @param deadline  when this caller stops waiting; never later than its request's deadline
 */
public record OperationCaller(String requestId, Instant deadline) {

    public OperationCaller {
        ProxyRequest.checkRequestId(requestId, "requestId");
        Objects.requireNonNull(deadline, "deadline");
    }
}
