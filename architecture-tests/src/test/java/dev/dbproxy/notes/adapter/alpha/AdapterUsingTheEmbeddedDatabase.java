package dev.dbproxy.notes.adapter.alpha;

import dev.dbproxy.localmongodb.EmbeddedMongoDb;

/** Deliberate violation, test-only: product code starting the embedded database, which only tooling may use. */
public class AdapterUsingTheEmbeddedDatabase {
    public String connect() {
        try (EmbeddedMongoDb database = EmbeddedMongoDb.start()) {
            return database.connectionString();
        }
    }
}
