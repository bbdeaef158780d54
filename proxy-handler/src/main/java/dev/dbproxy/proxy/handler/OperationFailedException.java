package dev.dbproxy.proxy.handler;

import dev.dbproxy.proxy.protocol.ProxyError;

/** One operation ends with this protocol error: refused by the policy or a limit, or a failure already translated. */
final class OperationFailedException extends RuntimeException {

    private final transient ProxyError error;

    OperationFailedException(ProxyError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    ProxyError error() {
        return error;
    }
}
