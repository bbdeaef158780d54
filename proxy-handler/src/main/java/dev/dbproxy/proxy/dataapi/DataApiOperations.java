package dev.dbproxy.proxy.dataapi;

import dev.dbproxy.proxy.handler.ProxyPolicy;
import dev.dbproxy.proxy.protocol.OperationOutcome;
import dev.dbproxy.proxy.protocol.ProxyOperation;

/**
 * How the Data API endpoint runs an operation: on the DB proxy's own execution path (its MongoDB client, limits and
 * error translation), under the caller's key's policy and within the invocation's remaining time.
 */
@FunctionalInterface
public interface DataApiOperations {

    /**
     * Runs one operation.
     *
     * @return the operation's outcome: its result, or the structured error the protocol would report (a refusal by
     *         the policy, a limit, a timeout, the database's failure); never throws for any of these
     */
    OperationOutcome run(String requestId, ProxyOperation operation, ProxyPolicy policy, DataApiFormat format);
}
