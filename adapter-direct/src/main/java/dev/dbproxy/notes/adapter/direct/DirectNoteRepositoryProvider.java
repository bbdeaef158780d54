package dev.dbproxy.notes.adapter.direct;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.connection.ServerMonitoringMode;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.lambda.environment.FunctionEnvironment;
import dev.dbproxy.lambda.environment.ReopenableClient;
import dev.dbproxy.notes.core.error.ConfigurationException;
import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.notes.core.port.NoteRepositoryProvider;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Offers the direct strategy, {@code NOTES_REPOSITORY=direct}: every execution environment opens its own small
 * connection pool to MongoDB. Configured by {@link MongoDbSettings}. The repository it builds is safe for all the
 * invocations an environment runs at once: each call takes its caller's deadline from its own Reactor context, and
 * waits for a pooled connection within it.
 */
public final class DirectNoteRepositoryProvider implements NoteRepositoryProvider {

    /** The value of {@code NOTES_REPOSITORY} that selects this adapter. */
    public static final String NAME = "direct";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NoteRepository create(Map<String, String> environment) {
        return create(MongoDbSettings.fromEnv(environment), environment);
    }

    /**
     * Builds the repository and its one {@code MongoClient}; call once per execution environment. Under SnapStart
     * the client is closed before the snapshot and built again by the first call after a restore
     * ({@link ReopenableClient}).
     */
    public static NoteRepository create(MongoDbSettings settings) {
        return create(settings, FunctionEnvironment.variables());
    }

    private static NoteRepository create(MongoDbSettings settings, Map<String, String> environment) {
        MongoClientSettings clientSettings = clientSettings(settings);
        return new MongoNoteRepository(ReopenableClient.open(environment, "the direct adapter's MongoDB client",
                () -> MongoClients.create(clientSettings), MongoClient::close), settings);
    }

    static MongoClientSettings clientSettings(MongoDbSettings settings) {
        ConnectionString connectionString;
        try {
            connectionString = new ConnectionString(settings.uri());
        } catch (IllegalArgumentException e) {
            // The driver's message may quote the string, password included: report only the variable.
            throw new ConfigurationException(MongoDbSettings.MONGODB_URI + " is not a valid MongoDB connection string");
        }
        return MongoClientSettings.builder()
                .applyConnectionString(connectionString)
                .applicationName(settings.appName())
                .applyToConnectionPoolSettings(pool -> pool.minSize(0).maxSize(settings.maxPoolSize()))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(
                        settings.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(socket -> socket
                        .connectTimeout((int) settings.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout((int) settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS))
                // One monitoring connection per server, as the driver chooses by itself inside Lambda (streaming
                // would add a second one): the same count on the local platform and against any MONGODB_URI.
                .applyToServerSettings(server -> server.serverMonitoringMode(ServerMonitoringMode.POLL))
                .build();
    }
}
