package dev.dbproxy.examples.tasks.adapter.direct;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.dbproxy.examples.tasks.core.CallerContext;
import dev.dbproxy.examples.tasks.core.PermanentTaskStoreException;
import dev.dbproxy.examples.tasks.core.Task;
import dev.dbproxy.examples.tasks.core.TaskId;
import dev.dbproxy.examples.tasks.core.TaskIdTakenException;
import dev.dbproxy.examples.tasks.core.TaskRepository;
import dev.dbproxy.examples.tasks.core.TasksException;
import dev.dbproxy.examples.tasks.core.TransientTaskStoreException;
import dev.dbproxy.examples.tasks.core.TransientTaskStoreException.Reason;
import dev.dbproxy.lambda.environment.ReopenableClient;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link TaskRepository} on the MongoDB Reactive Streams driver: tasks are documents
 * {@code {_id: ObjectId, title, done, createdAt: Date}} of the collection {@code tasks}. A call made for a
 * {@link CallerContext} runs under the driver's client-side timeout of the time left (which the driver also sends the
 * server as {@code maxTimeMS}); driver errors become the core's, without the driver's message (it may name hosts).
 * The client is closed before a SnapStart snapshot and built again by the first call after a restore
 * ({@link ReopenableClient}); each call holds it until it ends.
 */
final class MongoTaskRepository implements TaskRepository {

    private static final Bson NEWEST_FIRST = Sorts.descending("createdAt", "_id");

    private final ReopenableClient<MongoClient> client;
    private final String database;

    MongoTaskRepository(ReopenableClient<MongoClient> client, String database) {
        this.client = client;
        this.database = database;
    }

    @Override
    public Mono<Task> add(Task task) {
        return call("add", tasks -> Mono.from(tasks.insertOne(toDocument(task))).thenReturn(task)
                .onErrorResume(MongoTaskRepository::isDuplicateKey, duplicate -> Mono.from(tasks.find(byId(task.id()))
                                .first()).map(MongoTaskRepository::toTask).filter(task::sameAddAs)
                        .switchIfEmpty(Mono.error(() -> new TaskIdTakenException(task.id()))))).next();
    }

    @Override
    public Mono<Task> findById(TaskId id) {
        return call("findById", tasks -> tasks.find(byId(id)).first()).next().map(MongoTaskRepository::toTask);
    }

    @Override
    public Flux<Task> listOpen(int limit) {
        int checked = TaskRepository.checkedLimit(limit);
        return call("listOpen", tasks -> tasks.find(eq("done", false)).sort(NEWEST_FIRST).limit(checked))
                .map(MongoTaskRepository::toTask);
    }

    @Override
    public Mono<Task> markDone(TaskId id) {
        return call("markDone", tasks -> tasks.findOneAndUpdate(byId(id), Updates.set("done", true),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).next()
                .map(MongoTaskRepository::toTask);
    }

    @Override
    public Mono<Boolean> delete(TaskId id) {
        return call("delete", tasks -> tasks.deleteOne(byId(id))).next().map(result -> result.getDeletedCount() > 0);
    }

    @Override
    public void close() {
        client.close();
    }

    /** Runs {@code operation} on the collection, bounded by the caller's deadline if any, with the core's errors. */
    private <T> Flux<T> call(String operation, Function<MongoCollection<Document>, Publisher<T>> work) {
        return Flux.deferContextual(context -> Flux.using(client::lease, lease -> {
                    MongoCollection<Document> tasks = lease.client().getDatabase(database).getCollection("tasks");
                    return CallerContext.from(context)
                            .map(caller -> caller.remaining().isPositive()
                                    ? Flux.from(work.apply(tasks.withTimeout(caller.remaining().toMillis() + 1,
                                            TimeUnit.MILLISECONDS)))
                                    : Flux.<T>error(caller.deadlinePassed(operation)))
                            .orElseGet(() -> Flux.from(work.apply(tasks)));
                }, ReopenableClient.Lease::close))
                .onErrorMap(error -> !(error instanceof TasksException), error -> toTasksException(operation, error));
    }

    private static TasksException toTasksException(String operation, Throwable error) {
        String message = "database failed " + operation + " (" + error.getClass().getSimpleName() + ")";
        if (error instanceof MongoOperationTimeoutException || error instanceof MongoSocketReadTimeoutException
                || error instanceof MongoExecutionTimeoutException) {
            return new TransientTaskStoreException(Reason.TIMEOUT, message, null);
        }
        if (error instanceof MongoTimeoutException || error instanceof MongoSocketException
                || error instanceof MongoNotPrimaryException || error instanceof MongoNodeIsRecoveringException) {
            return new TransientTaskStoreException(Reason.UNAVAILABLE, message, null);
        }
        return new PermanentTaskStoreException(message, null);
    }

    private static boolean isDuplicateKey(Throwable error) {
        return error instanceof MongoWriteException write
                && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    private static Bson byId(TaskId id) {
        return eq("_id", new ObjectId(id.value()));
    }

    private static Document toDocument(Task task) {
        return new Document("_id", new ObjectId(task.id().value())).append("title", task.title())
                .append("done", task.done()).append("createdAt", Date.from(task.createdAt()));
    }

    private static Task toTask(Document document) {
        return new Task(new TaskId(document.getObjectId("_id").toHexString()), document.getString("title"),
                document.getBoolean("done"), document.getDate("createdAt").toInstant());
    }
}
