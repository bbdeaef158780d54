package dev.dbproxy.proxy.protocol;

/**
 * Where an operation runs: a database and a collection, as the Atlas Data API's {@code database} and
 * {@code collection} arguments.
 *
 * @param database   the database name, not blank
 * @param collection the collection name, not blank
 */
public record Namespace(String database, String collection) {

    public Namespace {
        requireName(database, "database");
        requireName(collection, "collection");
    }

    /** The namespace of this collection in this database. */
    public static Namespace of(String database, String collection) {
        return new Namespace(database, collection);
    }

    private static void requireName(String name, String field) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty string");
        }
        if (name.length() > 120) {
            throw new IllegalArgumentException(field + " must be at most 120 characters");
        }
    }

    @Override
    public String toString() {
        return database + "." + collection;
    }
}
