package dev.dbproxy.proxy.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.UpdateResult;
import com.mongodb.reactivestreams.client.FindPublisher;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
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
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonValue;
import org.bson.json.JsonParseException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs one protocol operation with the reactive MongoDB driver, after the policy and limits allowed it. Documents
 * travel as BSON inside and as Extended JSON text outside: each result document is rendered once by the driver and
 * written verbatim into the response.
 */
final class MongoOperationRunner {

    /** Bytes a result without documents adds to the response (counts, ids, status), generously rounded up. */
    private static final long SMALL_RESULT_BYTES = 200;

    private final MongoClient client;
    private final ProxyPolicy policy;
    private final ProxyLimits limits;
    private final ProxyJsonCodec codec;

    MongoOperationRunner(MongoClient client, ProxyPolicy policy, ProxyLimits limits, ProxyJsonCodec codec) {
        this.client = client;
        this.policy = policy;
        this.limits = limits;
        this.codec = codec;
    }

    /**
     * Emits the operation's result, or fails with an {@link OperationFailedException} (policy, limits, input) or the
     * driver's exception. Nothing runs before subscription.
     */
    Mono<ExecutedOperation> run(ProxyOperation operation, OperationAllowance allowance) {
        return Mono.defer(() -> {
            policy.check(operation);
            MongoCollection<BsonDocument> collection = client.getDatabase(operation.namespace().database())
                    .getCollection(operation.namespace().collection(), BsonDocument.class);
            return switch (operation) {
                case ProxyOperation.Find find -> find(collection, find, allowance);
                case ProxyOperation.FindOne findOne -> findOne(collection, findOne, allowance);
                case ProxyOperation.CountDocuments count -> Mono.from(collection.countDocuments(
                                bson(count.filter(), "filter"),
                                new CountOptions().maxTime(allowance.maxTimeMillis(), TimeUnit.MILLISECONDS)))
                        .map(counted -> small(new OperationResult.Counted(counted)));
                case ProxyOperation.InsertOne insert -> insertOne(collection, insert, allowance);
                case ProxyOperation.InsertMany insert -> insertMany(collection, insert, allowance);
                case ProxyOperation.UpdateOne update -> {
                    UpdateOptions options = new UpdateOptions().upsert(update.upsert());
                    BsonDocument filter = bson(update.filter(), "filter");
                    Publisher<UpdateResult> result = update.update().isArray()
                            ? collection.updateOne(filter, pipeline(update.update(), "update"), options)
                            : collection.updateOne(filter, bson(update.update(), "update"), options);
                    yield updated(result, allowance);
                }
                case ProxyOperation.UpdateMany update -> {
                    UpdateOptions options = new UpdateOptions().upsert(update.upsert());
                    BsonDocument filter = bson(update.filter(), "filter");
                    Publisher<UpdateResult> result = update.update().isArray()
                            ? collection.updateMany(filter, pipeline(update.update(), "update"), options)
                            : collection.updateMany(filter, bson(update.update(), "update"), options);
                    yield updated(result, allowance);
                }
                case ProxyOperation.ReplaceOne replace -> updated(collection.replaceOne(bson(replace.filter(), "filter"),
                        bson(replace.replacement(), "replacement"), new ReplaceOptions().upsert(replace.upsert())),
                        allowance);
                case ProxyOperation.DeleteOne delete -> Mono.from(collection.deleteOne(bson(delete.filter(), "filter")))
                        .map(deleted -> small(new OperationResult.Deleted(deleted.getDeletedCount())));
                case ProxyOperation.DeleteMany delete -> Mono.from(collection.deleteMany(
                                bson(delete.filter(), "filter")))
                        .map(deleted -> small(new OperationResult.Deleted(deleted.getDeletedCount())));
                case ProxyOperation.Aggregate aggregate -> documents(collection.aggregate(
                                        bsonList(aggregate.pipeline(), "pipeline"))
                                .maxTime(allowance.maxTimeMillis(), TimeUnit.MILLISECONDS)
                                .batchSize(limits.maxFindLimit()),
                        allowance, limits.maxFindLimit(), "the pipeline returned more than " + limits.maxFindLimit()
                                + " documents; add a $limit stage and page with $skip, or narrow the $match");
            };
        });
    }

    private Mono<ExecutedOperation> find(MongoCollection<BsonDocument> collection, ProxyOperation.Find find,
                                         OperationAllowance allowance) {
        int limit = find.limit() == 0 ? limits.defaultFindLimit() : find.limit();
        if (limit > limits.maxFindLimit()) {
            throw failure(ErrorCode.VALIDATION, "limit " + limit + " is over this proxy's maximum of "
                    + limits.maxFindLimit() + " documents per find; page with limit and skip");
        }
        FindPublisher<BsonDocument> publisher = collection.find(bson(find.filter(), "filter"))
                .skip(find.skip())
                .limit(limit)
                // One round trip: the whole (bounded) result in the first batch.
                .batchSize(limit)
                .maxTime(allowance.maxTimeMillis(), TimeUnit.MILLISECONDS);
        if (!find.projection().isEmpty()) {
            publisher = publisher.projection(bson(find.projection(), "projection"));
        }
        if (!find.sort().isEmpty()) {
            publisher = publisher.sort(bson(find.sort(), "sort"));
        }
        return documents(publisher, allowance, limit, "unreachable: the limit bounds the result");
    }

    private Mono<ExecutedOperation> findOne(MongoCollection<BsonDocument> collection, ProxyOperation.FindOne findOne,
                                            OperationAllowance allowance) {
        FindPublisher<BsonDocument> publisher = collection.find(bson(findOne.filter(), "filter"))
                .limit(1)
                .maxTime(allowance.maxTimeMillis(), TimeUnit.MILLISECONDS);
        if (!findOne.projection().isEmpty()) {
            publisher = publisher.projection(bson(findOne.projection(), "projection"));
        }
        if (!findOne.sort().isEmpty()) {
            publisher = publisher.sort(bson(findOne.sort(), "sort"));
        }
        return Mono.from(publisher.first())
                .map(document -> {
                    String json = document.toJson(allowance.writerSettings());
                    long bytes = utf8Length(json) + SMALL_RESULT_BYTES;
                    requireRoom(bytes, allowance);
                    return new ExecutedOperation(new OperationResult.FoundOne(ExtendedJson.preSerialized(json)), bytes);
                })
                .defaultIfEmpty(small(new OperationResult.FoundOne(NullNode.getInstance())));
    }

    private Mono<ExecutedOperation> documents(Publisher<BsonDocument> publisher, OperationAllowance allowance,
                                              int maxDocuments, String tooManyMessage) {
        return Mono.defer(() -> {
            long[] bytes = {SMALL_RESULT_BYTES};
            int[] count = {0};
            return Flux.from(publisher)
                    .<String>handle((document, sink) -> {
                        if (++count[0] > maxDocuments) {
                            sink.error(failure(ErrorCode.RESULT_TOO_LARGE, tooManyMessage));
                            return;
                        }
                        String json = document.toJson(allowance.writerSettings());
                        bytes[0] += utf8Length(json) + 1;
                        if (bytes[0] > allowance.responseBytes()) {
                            sink.error(tooLarge(allowance));
                            return;
                        }
                        sink.next(json);
                    })
                    .collectList()
                    .map(jsons -> new ExecutedOperation(new OperationResult.FoundMany(
                            jsons.stream().map(ExtendedJson::preSerialized).toList()), bytes[0]));
        });
    }

    /**
     * Inserts one document; a duplicate key on a document identical to the stored one is a retry of an insert that
     * already succeeded, reported as success.
     */
    private Mono<ExecutedOperation> insertOne(MongoCollection<BsonDocument> collection, ProxyOperation.InsertOne insert,
                                              OperationAllowance allowance) {
        BsonDocument document = bson(insert.document(), "document");
        ExecutedOperation inserted = small(new OperationResult.InsertedOne(
                json(document.get("_id"), allowance)));
        return Mono.from(collection.insertOne(document))
                .thenReturn(inserted)
                .onErrorResume(MongoWriteException.class, duplicate ->
                        duplicate.getError().getCategory() != ErrorCategory.DUPLICATE_KEY
                                ? Mono.error(duplicate)
                                : storedDocuments(collection, List.of(document.get("_id")))
                                        .flatMap(stored -> document.equals(stored.get(document.get("_id")))
                                                ? Mono.just(inserted)
                                                : Mono.error(duplicate)));
    }

    /**
     * Inserts documents without stopping at a duplicate, so that a retried batch inserts what the first attempt did
     * not; duplicates identical to the stored documents count as inserted.
     */
    private Mono<ExecutedOperation> insertMany(MongoCollection<BsonDocument> collection,
                                               ProxyOperation.InsertMany insert, OperationAllowance allowance) {
        List<BsonDocument> documents = bsonList(insert.documents(), "documents");
        List<JsonNode> ids = new ArrayList<>(documents.size());
        for (BsonDocument document : documents) {
            ids.add(json(document.get("_id"), allowance));
        }
        ExecutedOperation inserted = new ExecutedOperation(new OperationResult.InsertedMany(ids),
                SMALL_RESULT_BYTES + ids.stream().mapToLong(id -> utf8Length(id.toString()) + 1).sum());
        requireRoom(inserted.responseBytes(), allowance);
        return Mono.from(collection.insertMany(documents, new InsertManyOptions().ordered(false)))
                .thenReturn(inserted)
                .onErrorResume(MongoBulkWriteException.class, bulk -> {
                    List<BulkWriteError> errors = bulk.getWriteErrors();
                    if (errors.isEmpty() || errors.stream().anyMatch(error ->
                            error.getCategory() != ErrorCategory.DUPLICATE_KEY)) {
                        return Mono.error(bulk);
                    }
                    List<BsonValue> duplicateIds = errors.stream()
                            .map(error -> documents.get(error.getIndex()).get("_id")).toList();
                    return storedDocuments(collection, duplicateIds).flatMap(stored -> {
                        for (BulkWriteError error : errors) {
                            BsonDocument sent = documents.get(error.getIndex());
                            if (!sent.equals(stored.get(sent.get("_id")))) {
                                return Mono.error(bulk);
                            }
                        }
                        return Mono.just(inserted);
                    });
                });
    }

    private static Mono<Map<BsonValue, BsonDocument>> storedDocuments(MongoCollection<BsonDocument> collection,
                                                                     List<BsonValue> ids) {
        BsonDocument filter = new BsonDocument("_id", new BsonDocument("$in", new BsonArray(ids)));
        return Flux.from(collection.find(filter)).collect(HashMap::new, (stored, document) ->
                stored.put(document.get("_id"), document));
    }

    private Mono<ExecutedOperation> updated(Publisher<UpdateResult> update, OperationAllowance allowance) {
        return Mono.from(update).map(result -> {
            BsonValue upserted = result.getUpsertedId();
            JsonNode upsertedId = upserted == null ? NullNode.getInstance() : json(upserted, allowance);
            return small(new OperationResult.Updated(result.getMatchedCount(), result.getModifiedCount(), upsertedId));
        });
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
