/** The machinery of the DB proxy client (invoking, coalescing, retrying): not API, may change without notice. */
package dev.dbproxy.proxy.client.internal;
