package dev.dbproxy.notes.adapter.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.connection.ServerMonitoringMode;
import dev.dbproxy.notes.core.error.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MongoDbSettingsTest {

    private static final String SECRET_URI = "mongodb://app:s3cr3t-pa55@db.example.com:27017/?authSource=admin";

    @Test
    void fromEnv_withoutMongoDbUri_namesTheVariable() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> MongoDbSettings.fromEnv(Map.of()));

        assertTrue(e.getMessage().startsWith("MONGODB_URI is not set"), e.getMessage());
    }

    @Test
    void fromEnv_appliesLambdaFriendlyDefaults() {
        MongoDbSettings settings = MongoDbSettings.fromEnv(
                Map.of("MONGODB_URI", SECRET_URI, "AWS_LAMBDA_FUNCTION_NAME", "getNotes"));

        assertEquals("notes", settings.database());
        assertEquals("notes", settings.collection());
        assertEquals(1, settings.maxPoolSize());
        assertEquals(Duration.ofSeconds(2), settings.serverSelectionTimeout());
        assertEquals("getNotes", settings.appName());
    }

    @Test
    void fromEnv_onManagedInstances_poolsOneConnectionPer32ConcurrentInvocations_unlessThePoolSizeIsSet() {
        Map<String, String> managed = Map.of("MONGODB_URI", SECRET_URI, "AWS_LAMBDA_MAX_CONCURRENCY", "96");

        assertEquals(3, MongoDbSettings.fromEnv(managed).maxPoolSize());
        assertEquals(1, MongoDbSettings.fromEnv(Map.of("MONGODB_URI", SECRET_URI,
                "AWS_LAMBDA_MAX_CONCURRENCY", "96", "MONGODB_MAX_POOL_SIZE", "1")).maxPoolSize());
    }

    @Test
    void fromEnv_rejectsInvalidNumbers_namingTheVariable() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> MongoDbSettings.fromEnv(
                Map.of("MONGODB_URI", SECRET_URI, "MONGODB_MAX_POOL_SIZE", "zero")));

        assertTrue(e.getMessage().startsWith("MONGODB_MAX_POOL_SIZE"), e.getMessage());
    }

    @Test
    void aDatabaseOrCollectionNameMongoDbRefuses_failsNamingTheVariable() {
        ConfigurationException database = assertThrows(ConfigurationException.class, () -> MongoDbSettings.fromEnv(
                Map.of("MONGODB_URI", SECRET_URI, "NOTES_DATABASE", "my.notes")));
        ConfigurationException collection = assertThrows(ConfigurationException.class, () -> MongoDbSettings.fromEnv(
                Map.of("MONGODB_URI", SECRET_URI, "NOTES_COLLECTION", "system.notes")));

        assertTrue(database.getMessage().startsWith("NOTES_DATABASE"), database.getMessage());
        assertTrue(collection.getMessage().startsWith("NOTES_COLLECTION"), collection.getMessage());
    }

    @Test
    void theUriNeverAppearsInToStringOrErrors() {
        MongoDbSettings settings = MongoDbSettings.fromEnv(Map.of("MONGODB_URI", SECRET_URI));
        String invalidUri = "mongodb:/app:s3cr3t-pa55@broken";

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DirectNoteRepositoryProvider.clientSettings(MongoDbSettings.fromEnv(Map.of("MONGODB_URI", invalidUri))));

        assertFalse(settings.toString().contains("s3cr3t"), settings.toString());
        assertTrue(settings.toString().contains("<hidden>"));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertEquals(null, e.getCause());
    }

    @Test
    void clientSettings_useASmallPoolAndTheAppName() {
        var client = DirectNoteRepositoryProvider.clientSettings(MongoDbSettings.fromEnv(
                Map.of("MONGODB_URI", SECRET_URI, "MONGODB_APP_NAME", "notes-lab", "MONGODB_MAX_POOL_SIZE", "3")));

        assertEquals(0, client.getConnectionPoolSettings().getMinSize());
        assertEquals(3, client.getConnectionPoolSettings().getMaxSize());
        assertEquals("notes-lab", client.getApplicationName());
    }

    @Test
    void clientSettings_pollTheServers_evenWhenTheConnectionStringAsksToStream() {
        var client = DirectNoteRepositoryProvider.clientSettings(MongoDbSettings.fromEnv(
                Map.of("MONGODB_URI", "mongodb://127.0.0.1:27017/?serverMonitoringMode=stream")));

        assertEquals(ServerMonitoringMode.POLL, client.getServerSettings().getServerMonitoringMode());
    }
}
