package dev.dbproxy.examples.tasks.adapter.direct;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.connection.ServerMonitoringMode;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.examples.tasks.core.TaskRepository;
import dev.dbproxy.examples.tasks.core.TaskRepositoryProvider;
import dev.dbproxy.lambda.environment.EnvironmentNames;
import dev.dbproxy.lambda.environment.InvocationConcurrency;
import dev.dbproxy.lambda.environment.ReopenableClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code TASKS_REPOSITORY=direct}: every execution environment holds one MongoDB client, shared by the invocations it
 * runs at once, with one polling monitor and a pool of {@code MONGODB_MAX_POOL_SIZE} connections, by default one per
 * 32 concurrent invocations ({@link InvocationConcurrency}: one on standard Lambda), from {@code MONGODB_URI} and
 * {@code TASKS_DATABASE} (default {@code tasks}); under SnapStart none while the snapshot is taken.
 */
public final class DirectTaskRepositoryProvider implements TaskRepositoryProvider {

    public static final String MONGODB_URI = "MONGODB_URI";
    public static final String TASKS_DATABASE = "TASKS_DATABASE";
    public static final String MONGODB_MAX_POOL_SIZE = "MONGODB_MAX_POOL_SIZE";

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public TaskRepository create(Map<String, String> environment) {
        String database = EnvironmentNames.databaseName(environment, TASKS_DATABASE, "tasks",
                IllegalArgumentException::new);
        int poolSize = InvocationConcurrency.poolSize(environment, MONGODB_MAX_POOL_SIZE,
                IllegalArgumentException::new);
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(connectionString(environment.get(MONGODB_URI)))
                .applicationName(environment.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "tasks-direct"))
                .applyToConnectionPoolSettings(pool -> pool.minSize(0).maxSize(poolSize))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(2, TimeUnit.SECONDS))
                // Polling, as the driver picks by itself inside Lambda: one monitoring connection per server.
                .applyToServerSettings(server -> server.serverMonitoringMode(ServerMonitoringMode.POLL))
                .build();
        // Closed before a SnapStart snapshot, built again by the first call after a restore.
        return new MongoTaskRepository(ReopenableClient.open(environment, "the tasks' MongoDB client",
                () -> MongoClients.create(settings), MongoClient::close), database);
    }

    private static ConnectionString connectionString(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException(MONGODB_URI + " is not set; the direct adapter needs a MongoDB URI");
        }
        try {
            return new ConnectionString(uri.strip());
        } catch (IllegalArgumentException e) {
            // The driver's message may quote the URI, password included.
            throw new IllegalArgumentException(MONGODB_URI + " is not a valid MongoDB connection string");
        }
    }
}
