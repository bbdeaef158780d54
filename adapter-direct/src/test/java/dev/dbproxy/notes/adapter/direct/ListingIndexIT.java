package dev.dbproxy.notes.adapter.direct;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.dbproxy.lambda.environment.ReopenableClient;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The newest-first listing's index is created by the first listing of a repository, and only by it. */
class ListingIndexIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void onlyTheFirstListing_createsTheIndex() {
        AtomicInteger createIndexes = new AtomicInteger();
        CommandListener counting = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                if (event.getCommandName().equals("createIndexes")) {
                    createIndexes.incrementAndGet();
                }
            }
        };
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start()) {
            MongoDbSettings settings = MongoDbSettings.fromEnv(Map.of("MONGODB_URI", db.connectionString()));
            MongoClientSettings clientSettings = MongoClientSettings.builder(
                            DirectNoteRepositoryProvider.clientSettings(settings))
                    .applyConnectionString(new ConnectionString(db.connectionString()))
                    .addCommandListener(counting)
                    .build();
            try (NoteRepository notes = new MongoNoteRepository(ReopenableClient.open("counted client",
                    () -> MongoClients.create(clientSettings), MongoClient::close), settings)) {
                notes.create(aNote().build()).block(TIMEOUT);
                assertEquals(0, createIndexes.get(), "no listing yet");

                for (int listing = 0; listing < 3; listing++) {
                    assertEquals(1, notes.listNewestFirst(NotePageRequest.first(10)).block(TIMEOUT).notes().size());
                }

                assertEquals(1, createIndexes.get(), "three listings, one index creation");
            }
        }
    }
}
