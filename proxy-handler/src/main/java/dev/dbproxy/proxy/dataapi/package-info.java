/**
 * The DB proxy's HTTPS face: a replacement for the retired MongoDB Atlas Data API (v1), served by the same function
 * as the Invoke protocol, so that the same policy, limits, deadlines and reserved-concurrency cap apply and no extra
 * hop or connection pool is added. {@link dev.dbproxy.proxy.dataapi.DataApiEndpoint} answers API Gateway HTTP API
 * events ({@code POST /action/{action}}) in the Data API's request and response shapes;
 * {@link dev.dbproxy.proxy.dataapi.DataApiKeys} checks the {@code api-key} header against hashed key records, each
 * with its own {@link dev.dbproxy.proxy.handler.ProxyPolicy}. See {@code proxy-handler/DATA-API.md}.
 */
package dev.dbproxy.proxy.dataapi;
