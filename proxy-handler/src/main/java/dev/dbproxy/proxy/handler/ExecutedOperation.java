package dev.dbproxy.proxy.handler;

import dev.dbproxy.proxy.protocol.OperationResult;

/** An operation's result and the bytes it adds to the response, for the response size limit. */
record ExecutedOperation(OperationResult result, long responseBytes) {
}
