package dev.dbproxy.proxy.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteError;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoIterable;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.UpdateResult;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import dev.dbproxy.proxy.protocol.OperationResult;
import dev.dbproxy.proxy.protocol.ProxyError;
import dev.dbproxy.proxy.protocol.ProxyJsonCodec;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.json.JsonParseException;

/**
 * Runs one protocol operation with the MongoDB driver, after the policy and limits allowed it, on the calling thread:
 * the proxy is a Lambda handler with one invocation at a time, so the synchronous driver reads the answer where it
 * is needed, without a thread hand-off. Each operation is bounded by the driver's client-side operation timeout
 * ({@code withTimeout}, marked Alpha in driver 5.x) set to the allowance's time, which covers server selection,
 * connection checkout and the database's own time (sent as {@code maxTimeMS}). Documents travel as BSON inside and
 * as Extended JSON text outside: a read's result documents stay raw BSON bytes ({@link RawBsonDocument}, never
 * decoded into a tree), each rendered once as Extended JSON straight from its bytes ({@link ExtendedJsonText}) and
 * written verbatim into the response.
 */
final class MongoOperationRunner {

    /** Bytes a result adds to the response besides its documents and ids (counts, status), generously rounded up. */
    private static final long SMALL_RESULT_BYTES = 200;

    private final ProxyPolicy policy;
    private final ProxyLimits limits;
    private final ProxyJsonCodec codec;

    MongoOperationRunner(ProxyPolicy policy, ProxyLimits limits, ProxyJsonCodec codec) {
        this.policy = policy;
        this.limits = limits;
        this.codec = codec;
    }

    /**
     * Runs the operation on {@code client} and returns its result.
     *
     * @throws OperationFailedException                   for what the policy, the limits or the input refuse
     * @throws com.mongodb.MongoOperationTimeoutException when the allowance's time ran out, or earlier when no server
     *                                                    was found within the server selection timeout
     * @throws RuntimeException                           whatever else the driver throws
     */
    ExecutedOperation run(MongoClient client, ProxyOperation operation, OperationAllowance allowance) {
        policy.check(operation);
        MongoCollection<BsonDocument> collection = client.getDatabase(operation.namespace().database())
                .getCollection(operation.namespace().collection(), BsonDocument.class)
                .withTimeout(allowance.maxTimeMillis(), TimeUnit.MILLISECONDS);
        return switch (operation) {
            case ProxyOperation.Find find -> find(collection, find, allowance);
            case ProxyOperation.FindOne findOne -> findOne(collection, findOne, allowance);
            case ProxyOperation.CountDocuments count ->
                    small(new OperationResult.Counted(collection.countDocuments(bson(count.filter(), "filter"))));
            case ProxyOperation.InsertOne insert -> insertOne(collection, insert, allowance);
            case ProxyOperation.InsertMany insert -> insertMany(collection, insert, allowance);
            case ProxyOperation.UpdateOne update -> {
                UpdateOptions options = new UpdateOptions().upsert(update.upsert());
                BsonDocument filter = bson(update.filter(), "filter");
                List<BsonDocument> changes = changes(update.update());
                yield updated(update.update().isArray()
                        ? () -> collection.updateOne(filter, changes, options)
                        : () -> collection.updateOne(filter, changes.getFirst(), options),
                        update.upsert(), idsAnUpdateMayUpsert(filter, update.update().isArray(), changes), allowance);
            }
            case ProxyOperation.UpdateMany update -> {
                UpdateOptions options = new UpdateOptions().upsert(update.upsert());
                BsonDocument filter = bson(update.filter(), "filter");
                List<BsonDocument> changes = changes(update.update());
                yield updated(update.update().isArray()
                        ? () -> collection.updateMany(filter, changes, options)
                        : () -> collection.updateMany(filter, changes.getFirst(), options),
                        update.upsert(), idsAnUpdateMayUpsert(filter, update.update().isArray(), changes), allowance);
            }
            case ProxyOperation.ReplaceOne replace -> {
                BsonDocument filter = bson(replace.filter(), "filter");
                BsonDocument replacement = bson(replace.replacement(), "replacement");
                List<BsonValue> ids = filterIds(filter);
                addIfPresent(replacement.get("_id"), ids);
                yield updated(() -> collection.replaceOne(filter, replacement,
                        new ReplaceOptions().upsert(replace.upsert())), replace.upsert(), ids, allowance);
            }
            case ProxyOperation.DeleteOne delete -> small(new OperationResult.Deleted(
                    collection.deleteOne(bson(delete.filter(), "filter")).getDeletedCount()));
            case ProxyOperation.DeleteMany delete -> small(new OperationResult.Deleted(
                    collection.deleteMany(bson(delete.filter(), "filter")).getDeletedCount()));
            case ProxyOperation.Aggregate aggregate -> documents(collection.withDocumentClass(RawBsonDocument.class)
                            .aggregate(bsonList(aggregate.pipeline(), "pipeline"))
                            .batchSize(limits.maxFindLimit()),
                    allowance, limits.maxFindLimit(), "the pipeline returned more than " + limits.maxFindLimit()
                            + " documents; add a $limit stage and page with $skip, or narrow the $match");
        };
    }

    private ExecutedOperation find(MongoCollection<BsonDocument> collection, ProxyOperation.Find find,
                                   OperationAllowance allowance) {
        int limit = find.limit() == 0 ? limits.defaultFindLimit() : find.limit();
        if (limit > limits.maxFindLimit()) {
            throw failure(ErrorCode.VALIDATION, "limit " + limit + " is over this proxy's maximum of "
                    + limits.maxFindLimit() + " documents per find; page with limit and skip");
        }
        FindIterable<RawBsonDocument> found = collection.withDocumentClass(RawBsonDocument.class)
                .find(bson(find.filter(), "filter"))
                .skip(find.skip())
                .limit(limit)
                // One round trip: the whole (bounded) result in the first batch.
                .batchSize(limit);
        if (!find.projection().isEmpty()) {
            found = found.projection(bson(find.projection(), "projection"));
        }
        if (!find.sort().isEmpty()) {
            found = found.sort(bson(find.sort(), "sort"));
        }
        return documents(found, allowance, limit, "unreachable: the limit bounds the result");
    }

    private ExecutedOperation findOne(MongoCollection<BsonDocument> collection, ProxyOperation.FindOne findOne,
                                      OperationAllowance allowance) {
        FindIterable<RawBsonDocument> found = collection.withDocumentClass(RawBsonDocument.class)
                .find(bson(findOne.filter(), "filter")).limit(1);
        if (!findOne.projection().isEmpty()) {
            found = found.projection(bson(findOne.projection(), "projection"));
        }
        if (!findOne.sort().isEmpty()) {
            found = found.sort(bson(findOne.sort(), "sort"));
        }
        RawBsonDocument document = found.first();
        if (document == null) {
            return small(new OperationResult.FoundOne(NullNode.getInstance()));
        }
        String json = ExtendedJsonText.of(document, allowance.writerSettings());
        long bytes = utf8Length(json) + SMALL_RESULT_BYTES;
        requireRoom(bytes, allowance);
        return new ExecutedOperation(new OperationResult.FoundOne(ExtendedJson.preSerialized(json)), bytes);
    }

    private ExecutedOperation documents(MongoIterable<RawBsonDocument> results, OperationAllowance allowance,
                                        int maxDocuments, String tooManyMessage) {
        long bytes = SMALL_RESULT_BYTES;
        List<JsonNode> documents = new ArrayList<>();
        try (MongoCursor<RawBsonDocument> cursor = results.cursor()) {
            while (cursor.hasNext()) {
                if (documents.size() == maxDocuments) {
                    throw failure(ErrorCode.RESULT_TOO_LARGE, tooManyMessage);
                }
                String json = ExtendedJsonText.of(cursor.next(), allowance.writerSettings());
                bytes += utf8Length(json) + 1;
                if (bytes > allowance.responseBytes()) {
                    throw tooLarge(allowance);
                }
                documents.add(ExtendedJson.preSerialized(json));
            }
        }
        return new ExecutedOperation(new OperationResult.FoundMany(documents), bytes);
    }

    /**
     * Inserts one document; a duplicate key on a document identical to the stored one is a retry of an insert that
     * already succeeded, reported as success.
     */
    private ExecutedOperation insertOne(MongoCollection<BsonDocument> collection, ProxyOperation.InsertOne insert,
                                        OperationAllowance allowance) {
        BsonDocument document = bson(insert.document(), "document");
        JsonNode id = json(document.get("_id"), allowance);
        ExecutedOperation inserted = new ExecutedOperation(new OperationResult.InsertedOne(id), resultBytesWith(id));
        requireRoom(inserted.responseBytes(), allowance);
        try {
            insertUnlessStored(collection, List.of(document));
        } catch (MongoBulkWriteException bulk) {
            if (bulk.getWriteConcernError() == null && bulk.getWriteErrors().size() == 1) {
                // Reported as insertOne reports it: without the position of the document in a batch.
                BulkWriteError error = bulk.getWriteErrors().getFirst();
                throw new MongoWriteException(new WriteError(error.getCode(), error.getMessage(), error.getDetails()),
                        bulk.getServerAddress(), bulk.getErrorLabels());
            }
            throw bulk;
        }
        return inserted;
    }

    /**
     * Inserts documents without stopping at a duplicate, so that a retried batch inserts what the first attempt did
     * not; duplicates identical to the stored documents count as inserted.
     */
    private ExecutedOperation insertMany(MongoCollection<BsonDocument> collection, ProxyOperation.InsertMany insert,
                                         OperationAllowance allowance) {
        List<BsonDocument> documents = bsonList(insert.documents(), "documents");
        List<JsonNode> ids = new ArrayList<>(documents.size());
        for (BsonDocument document : documents) {
            ids.add(json(document.get("_id"), allowance));
        }
        ExecutedOperation inserted = new ExecutedOperation(new OperationResult.InsertedMany(ids),
                SMALL_RESULT_BYTES + ids.stream().mapToLong(id -> utf8Length(id.toString()) + 1).sum());
        requireRoom(inserted.responseBytes(), allowance);
        insertUnlessStored(collection, documents);
        return inserted;
    }

    /**
     * Inserts the documents without stopping at a duplicate; returns normally when every document is now stored as
     * sent, whether by this call or by an earlier attempt. Single documents go through {@code insertMany} too: its
     * {@link MongoBulkWriteException} keeps a write concern error next to a duplicate key, which {@code insertOne}'s
     * {@link MongoWriteException} drops, and a retry must not pass for a success while its write is unconfirmed.
     */
    private static void insertUnlessStored(MongoCollection<BsonDocument> collection, List<BsonDocument> documents) {
        try {
            collection.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException bulk) {
            List<BulkWriteError> errors = bulk.getWriteErrors();
            // Only duplicates of documents already stored make a retried insert a success; a write concern error
            // means the new documents may still be rolled back, so it is reported whatever else happened.
            if (bulk.getWriteConcernError() != null || errors.isEmpty() || errors.stream().anyMatch(error ->
                    error.getCategory() != ErrorCategory.DUPLICATE_KEY)) {
                throw bulk;
            }
            List<BsonValue> duplicateIds = errors.stream()
                    .map(error -> documents.get(error.getIndex()).get("_id")).toList();
            Map<BsonValue, BsonDocument> stored = storedDocuments(collection, duplicateIds);
            for (BulkWriteError error : errors) {
                BsonDocument sent = documents.get(error.getIndex());
                if (!sent.equals(stored.get(sent.get("_id")))) {
                    throw bulk;
                }
            }
        }
    }

    private static Map<BsonValue, BsonDocument> storedDocuments(MongoCollection<BsonDocument> collection,
                                                               List<BsonValue> ids) {
        Map<BsonValue, BsonDocument> stored = new HashMap<>();
        collection.find(new BsonDocument("_id", new BsonDocument("$in", new BsonArray(ids))))
                .forEach(document -> stored.put(document.get("_id"), document));
        return stored;
    }

    /**
     * Runs an update or a replacement and reports its counts and the id of the document it upserted, if any. An upsert
     * needs room, before it may write, for the largest of the ids it may be given ({@code ids}), or for an ObjectId
     * when it has none: the response echoes only that id, never the update or the replacement. An id the update
     * computes otherwise (an update pipeline) is measured after the write, and when it does not fit the error says
     * that the write was applied.
     */
    private ExecutedOperation updated(Supplier<UpdateResult> update, boolean upsert, List<BsonValue> ids,
                                      OperationAllowance allowance) {
        if (upsert) {
            requireRoom(ids.stream().mapToLong(id -> resultBytesWith(json(id, allowance))).max()
                    .orElseGet(() -> resultBytesWith(json(new BsonObjectId(), allowance))), allowance);
        }
        UpdateResult result = update.get();
        BsonValue upserted = result.getUpsertedId();
        if (upserted == null) {
            return small(new OperationResult.Updated(result.getMatchedCount(), result.getModifiedCount(),
                    NullNode.getInstance()));
        }
        JsonNode upsertedId = json(upserted, allowance);
        long bytes = resultBytesWith(upsertedId);
        if (bytes > allowance.responseBytes()) {
            throw failure(ErrorCode.RESULT_TOO_LARGE, "the upsert was applied, but the id it computed for the new"
                    + " document does not fit in the " + allowance.responseBytes() + " bytes left in this response");
        }
        return new ExecutedOperation(new OperationResult.Updated(result.getMatchedCount(), result.getModifiedCount(),
                upsertedId), bytes);
    }

    /** An update as BSON: its pipeline's stages, or its one update document. */
    private static List<BsonDocument> changes(JsonNode update) {
        return update.isArray() ? pipeline(update, "update") : List.of(bson(update, "update"));
    }

    /**
     * The values an update may give the document it upserts as {@code _id}: the filter's {@code _id} equalities, and
     * an update document's {@code $set} or {@code $setOnInsert} of {@code _id}. A pipeline's id is known only after
     * the write.
     */
    private static List<BsonValue> idsAnUpdateMayUpsert(BsonDocument filter, boolean pipeline,
                                                        List<BsonDocument> changes) {
        List<BsonValue> ids = filterIds(filter);
        if (!pipeline) {
            for (String operator : List.of("$set", "$setOnInsert")) {
                if (changes.getFirst().get(operator) instanceof BsonDocument fields) {
                    addIfPresent(fields.get("_id"), ids);
                }
            }
        }
        return ids;
    }

    /**
     * The filter's {@code _id} equalities ({@code {_id: X}}, {@code {_id: {$eq: X}}}), also inside {@code $and}:
     * MongoDB copies them into the document an upsert inserts.
     */
    private static List<BsonValue> filterIds(BsonDocument filter) {
        List<BsonValue> ids = new ArrayList<>();
        BsonValue id = filter.get("_id");
        if (id instanceof BsonDocument condition && !condition.isEmpty() && condition.getFirstKey().startsWith("$")) {
            addIfPresent(condition.get("$eq"), ids);
        } else {
            addIfPresent(id, ids);
        }
        if (filter.get("$and") instanceof BsonArray clauses) {
            for (BsonValue clause : clauses) {
                if (clause instanceof BsonDocument clauseFilter) {
                    ids.addAll(filterIds(clauseFilter));
                }
            }
        }
        return ids;
    }

    private static void addIfPresent(BsonValue value, List<BsonValue> values) {
        if (value != null) {
            values.add(value);
        }
    }

    /** The bytes a small result (counts, status) carrying this id adds to the response. */
    private static long resultBytesWith(JsonNode id) {
        return SMALL_RESULT_BYTES + utf8Length(id.toString());
    }

    private JsonNode json(BsonValue value, OperationAllowance allowance) {
        return codec.readTree(new BsonDocument("v", value).toJson(allowance.writerSettings())).get("v");
    }

    private static BsonDocument bson(JsonNode node, String field) {
        try {
            return BsonDocument.parse(node.toString());
        } catch (JsonParseException | BsonInvalidOperationException | IllegalArgumentException e) {
            // The BSON reader reports a malformed value ({"$oid": "xyz"}) with any of these.
            throw failure(ErrorCode.VALIDATION, field + " is not valid Extended JSON: " + shorten(e.getMessage()));
        }
    }

    private static List<BsonDocument> bsonList(List<ObjectNode> nodes, String field) {
        List<BsonDocument> documents = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            documents.add(bson(nodes.get(i), field + "[" + i + "]"));
        }
        return documents;
    }

    private static List<BsonDocument> pipeline(JsonNode stages, String field) {
        List<BsonDocument> documents = new ArrayList<>(stages.size());
        for (int i = 0; i < stages.size(); i++) {
            documents.add(bson(stages.get(i), field + "[" + i + "]"));
        }
        return documents;
    }

    private static ExecutedOperation small(OperationResult result) {
        return new ExecutedOperation(result, SMALL_RESULT_BYTES);
    }

    private static void requireRoom(long bytes, OperationAllowance allowance) {
        if (bytes > allowance.responseBytes()) {
            throw tooLarge(allowance);
        }
    }

    private static OperationFailedException tooLarge(OperationAllowance allowance) {
        return failure(ErrorCode.RESULT_TOO_LARGE, "the result does not fit in the " + allowance.responseBytes()
                + " bytes left in this response; page with a smaller limit and skip (or a range filter on a sorted"
                + " field), project fewer fields, or split the batch");
    }

    private static OperationFailedException failure(ErrorCode code, String message) {
        return new OperationFailedException(ProxyError.of(code, message));
    }

    private static String shorten(String message) {
        String text = String.valueOf(message);
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** The UTF-8 size of the text without encoding it. */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                bytes += 2;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
