/**
 * The DB proxy client: {@link dev.dbproxy.proxy.client.DbProxyClient} and its collection handles, settings, errors
 * and metrics. Everything under {@code internal} is not API and may change without notice.
 */
package dev.dbproxy.proxy.client;
