package dev.dbproxy.lab.bench;

import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.time.Duration;

/** The DB proxy function as the benchmarks deploy it: the notes collection, the reads they make and inserts. */
final class BenchmarkProxyFunction {

    static final String NAME = "db-proxy";

    private BenchmarkProxyFunction() {
    }

    static FunctionDefinition on(EmbeddedMongoDb db) {
        return FunctionDefinition.builder(NAME, "dev.dbproxy.proxy.handler.DbProxyHandler")
                .memoryMb(512).timeout(Duration.ofSeconds(6))
                .environmentVariable("MONGODB_URI", db.connectionString())
                .environmentVariable("PROXY_ALLOWED_DATABASE", "notes")
                .environmentVariable("PROXY_ALLOWED_COLLECTIONS", "notes")
                .environmentVariable("PROXY_ALLOWED_ACTIONS", "find,findOne,countDocuments,insertOne")
                .build();
    }
}
