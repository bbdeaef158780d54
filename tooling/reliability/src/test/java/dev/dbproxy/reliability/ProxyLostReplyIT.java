package dev.dbproxy.reliability;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import dev.dbproxy.notes.core.port.NoteRepositories;
import dev.dbproxy.notes.core.port.NoteRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The write whose answer is lost: the proxy's request reaches the database and is applied, then the connection breaks
 * before the reply comes back. Through the real stack (SDK, local platform, proxy, a relay in front of the embedded
 * MongoDB), the caller hears a transient {@code UNAVAILABLE} that says the write may or may not have applied, and
 * retrying the notes' writes, as that error invites, leaves exactly one copy of what was asked.
 */
class ProxyLostReplyIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aCreateOrUpdateWhoseReplyIsLost_saysItMayHaveApplied_andRetryingItLeavesExactlyOneCopy() throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                FaultyTcpRelay relay = FaultyTcpRelay.to(db.address());
                LocalLambdaPlatform platform = LocalLambdaPlatform.start();
                MongoClient admin = MongoClients.create(db.connectionString())) {
            platform.deploy(FunctionDefinition.builder("db-proxy", "dev.dbproxy.proxy.handler.DbProxyHandler")
                    .timeout(Duration.ofSeconds(6))
                    .environmentVariable("MONGODB_URI", relay.mongoConnectionString())
                    .environmentVariable("PROXY_ALLOWED_DATABASE", "notes")
                    .environmentVariable("PROXY_ALLOWED_COLLECTIONS", "notes")
                    .environmentVariable("PROXY_ALLOWED_ACTIONS", "findOne,insertOne,updateOne")
                    .build());
            MongoCollection<Document> stored = admin.getDatabase("notes").getCollection("notes");
            try (NoteRepository notes = NoteRepositories.fromEnvironment(Map.of(
                    "NOTES_REPOSITORY", "lambda-proxy",
                    "NOTES_PROXY_FUNCTION", "db-proxy",
                    "AWS_ENDPOINT_URL_LAMBDA", platform.invokeEndpoint().toString(),
                    "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"))) {
                notes.create(aNote().build()).block(WAIT);
                Note note = aNote().withTitle("asked once").build();

                relay.loseReplies();
                Throwable lostCreate = failureOf(notes.create(note));
                relay.heal();

                assertMayHaveApplied(lostCreate);
                assertEquals(1, copies(stored, note), "the create reached the database before its reply was lost");
                assertEquals(note, notes.create(note).block(WAIT), "retrying the create is a success");
                assertEquals(1, copies(stored, note));

                NoteChanges rename = new NoteChanges(Optional.of("renamed"), Optional.empty());
                Instant renamedAt = note.createdAt().plusSeconds(1);
                relay.loseReplies();
                Throwable lostUpdate = failureOf(notes.update(note.id(), rename, renamedAt));
                relay.heal();

                assertMayHaveApplied(lostUpdate);
                assertEquals("renamed", notes.update(note.id(), rename, renamedAt).block(WAIT).title());
                assertEquals(1, copies(stored, note));
                assertEquals("renamed", stored.find(new Document("_id", new ObjectId(note.id().value()))).first()
                        .getString("title"));
            }
        }
    }

    private static void assertMayHaveApplied(Throwable error) {
        TransientFailureException unavailable = assertInstanceOf(TransientFailureException.class, error);
        assertEquals(Reason.UNAVAILABLE, unavailable.reason());
        assertTrue(unavailable.getMessage().contains("may or may not have applied"), unavailable.getMessage());
    }

    private static long copies(MongoCollection<Document> stored, Note note) {
        return stored.countDocuments(new Document("_id", new ObjectId(note.id().value())));
    }

    private static Throwable failureOf(Mono<?> operation) {
        return operation.then().materialize().block(WAIT).getThrowable();
    }
}
