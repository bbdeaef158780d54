/**
 * The DB proxy Lambda function: {@link dev.dbproxy.proxy.handler.DbProxyHandler} reads a protocol request, checks
 * every operation against a deny-by-default {@link dev.dbproxy.proxy.handler.ProxyPolicy} and the
 * {@link dev.dbproxy.proxy.handler.ProxyLimits}, runs it on one small MongoDB connection pool per execution
 * environment, and answers with each operation's result or structured error. Configured by
 * {@link dev.dbproxy.proxy.handler.DbProxySettings#fromEnv(java.util.Map)}.
 */
package dev.dbproxy.proxy.handler;
