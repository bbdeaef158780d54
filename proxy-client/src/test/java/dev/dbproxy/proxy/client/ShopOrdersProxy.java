package dev.dbproxy.proxy.client;

import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.time.Duration;

/** The real DB proxy function as the client's integration tests deploy it: {@code shop.orders} on {@code db}. */
final class ShopOrdersProxy {

    private ShopOrdersProxy() {
    }

    /** The function {@code name}, reserved concurrency 4, allowed {@code actions} (comma-separated) on shop.orders. */
    static FunctionDefinition.Builder builder(String name, EmbeddedMongoDb db, String actions) {
        return FunctionDefinition.builder(name, "dev.dbproxy.proxy.handler.DbProxyHandler")
                .memoryMb(512)
                .timeout(Duration.ofSeconds(6))
                .reservedConcurrency(4)
                .environmentVariable("MONGODB_URI", db.connectionString())
                .environmentVariable("PROXY_ALLOWED_DATABASE", "shop")
                .environmentVariable("PROXY_ALLOWED_COLLECTIONS", "orders")
                .environmentVariable("PROXY_ALLOWED_ACTIONS", actions);
    }
}
