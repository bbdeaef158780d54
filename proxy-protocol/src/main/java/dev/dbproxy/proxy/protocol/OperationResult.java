package dev.dbproxy.proxy.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * What a successful operation returns, shaped as the Atlas Data API's results. Values are Extended JSON trees in the
 * mode the request asked for; read them with {@link ExtendedJson}.
 */
public sealed interface OperationResult {

    /**
     * The result of {@code findOne}.
     *
     * @param document the document, or a JSON {@code null} node ({@link JsonNode#isNull()}) when none matched
     */
    record FoundOne(JsonNode document) implements OperationResult {
        public FoundOne {
            Objects.requireNonNull(document, "document (use NullNode when none matched)");
        }

        /** Whether a document matched. */
        public boolean found() {
            return !document.isNull();
        }
    }

    /** The result of {@code find} and {@code aggregate}: the documents, in the order the database returned them. */
    record FoundMany(List<JsonNode> documents) implements OperationResult {
        public FoundMany {
            documents = List.copyOf(documents);
        }
    }

    /** The result of {@code countDocuments}. */
    record Counted(long count) implements OperationResult {
    }

    /** The result of {@code insertOne}: the document's {@code _id}. */
    record InsertedOne(JsonNode insertedId) implements OperationResult {
        public InsertedOne {
            Objects.requireNonNull(insertedId, "insertedId");
        }
    }

    /** The result of {@code insertMany}: the documents' {@code _id}s, in the order of the request. */
    record InsertedMany(List<JsonNode> insertedIds) implements OperationResult {
        public InsertedMany {
            insertedIds = List.copyOf(insertedIds);
        }
    }

    /**
     * The result of {@code updateOne}, {@code updateMany} and {@code replaceOne}.
     *
     * @param upsertedId the {@code _id} of a document inserted by an upsert, or a JSON {@code null} node when none was
     */
    record Updated(long matchedCount, long modifiedCount, JsonNode upsertedId) implements OperationResult {
        public Updated {
            Objects.requireNonNull(upsertedId, "upsertedId (use NullNode when nothing was upserted)");
        }
    }

    /** The result of {@code deleteOne} and {@code deleteMany}. */
    record Deleted(long deletedCount) implements OperationResult {
    }
}
