/**
 * The DB proxy's wire protocol: versioned JSON requests carrying a batch of MongoDB operations, and responses carrying
 * each operation's own result or error. Values travel as MongoDB Extended JSON. Jackson only: a caller of the proxy
 * needs neither the MongoDB driver nor BSON. The format itself is described in {@code proxy-protocol/PROTOCOL.md}.
 *
 * <p>Start at {@link dev.dbproxy.proxy.protocol.ProxyRequest#builder()} to build a request,
 * {@link dev.dbproxy.proxy.protocol.ProxyOperation} for the operations, {@link dev.dbproxy.proxy.protocol.ExtendedJson}
 * for typed values and {@link dev.dbproxy.proxy.protocol.ProxyJsonCodec} to turn both directions into bytes.
 */
package dev.dbproxy.proxy.protocol;
