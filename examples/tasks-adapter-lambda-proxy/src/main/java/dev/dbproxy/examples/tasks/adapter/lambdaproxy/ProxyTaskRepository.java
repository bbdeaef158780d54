package dev.dbproxy.examples.tasks.adapter.lambdaproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbproxy.examples.tasks.core.CallerContext;
import dev.dbproxy.examples.tasks.core.PermanentTaskStoreException;
import dev.dbproxy.examples.tasks.core.Task;
import dev.dbproxy.examples.tasks.core.TaskId;
import dev.dbproxy.examples.tasks.core.TaskIdTakenException;
import dev.dbproxy.examples.tasks.core.TaskRepository;
import dev.dbproxy.examples.tasks.core.TasksException;
import dev.dbproxy.examples.tasks.core.TransientTaskStoreException;
import dev.dbproxy.examples.tasks.core.TransientTaskStoreException.Reason;
import dev.dbproxy.proxy.client.DbProxyClient;
import dev.dbproxy.proxy.client.DbProxyException;
import dev.dbproxy.proxy.client.FindOptions;
import dev.dbproxy.proxy.client.InvocationContext;
import dev.dbproxy.proxy.client.OperationResults;
import dev.dbproxy.proxy.client.ProxyCollection;
import dev.dbproxy.proxy.protocol.ErrorCode;
import dev.dbproxy.proxy.protocol.ExtendedJson;
import dev.dbproxy.proxy.protocol.OperationResult;
import dev.dbproxy.proxy.protocol.ProxyOperation;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * {@link TaskRepository} on the {@link DbProxyClient}: the documents of the direct adapter (so both strategies share
 * the collection {@code tasks}), the caller's {@link CallerContext} handed to the client as its
 * {@link InvocationContext} (deadline and request id travel to the proxy; a call after the deadline sends nothing and
 * fails as {@code TIMEOUT}), and the client's error kinds as the core's errors.
 */
final class ProxyTaskRepository implements TaskRepository {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectNode OPEN = JSON.objectNode().put("done", false);
    private static final ObjectNode NEWEST_FIRST = JSON.objectNode().put("createdAt", -1).put("_id", -1);
    private static final ObjectNode SET_DONE = JSON.objectNode().set("$set", JSON.objectNode().put("done", true));

    private final DbProxyClient proxy;
    private final ProxyCollection tasks;

    ProxyTaskRepository(DbProxyClient proxy, String database) {
        this.proxy = proxy;
        this.tasks = proxy.database(database).collection("tasks");
    }

    @Override
    public Mono<Task> add(Task task) {
        return asCaller(tasks.insertOne(toDocument(task)).thenReturn(task)
                .onErrorResume(error -> error instanceof DbProxyException refused
                        && refused.hasProxyCode(ErrorCode.DUPLICATE_KEY), duplicate -> findById(task.id())
                        .filter(task::sameAddAs).switchIfEmpty(Mono.error(() -> new TaskIdTakenException(task.id())))));
    }

    @Override
    public Mono<Task> findById(TaskId id) {
        return asCaller(tasks.findOne(byId(id)).map(ProxyTaskRepository::toTask));
    }

    @Override
    public Flux<Task> listOpen(int limit) {
        FindOptions newestOpen = FindOptions.none().withSort(NEWEST_FIRST).withLimit(TaskRepository.checkedLimit(limit));
        return asCaller(tasks.find(OPEN, newestOpen).map(ProxyTaskRepository::toTask));
    }

    /** The update and the read of the task as stored, in order, in one proxy invocation. */
    @Override
    public Mono<Task> markDone(TaskId id) {
        return asCaller(proxy.orderedBatch(List.of(ProxyOperation.updateOne(tasks.namespace(), byId(id), SET_DONE),
                        ProxyOperation.findOne(tasks.namespace(), byId(id))))
                .map(outcomes -> {
                    OperationResults.require(outcomes.get(0), OperationResult.Updated.class);
                    return OperationResults.require(outcomes.get(1), OperationResult.FoundOne.class);
                })
                .filter(OperationResult.FoundOne::found)
                .map(found -> toTask(found.document())));
    }

    @Override
    public Mono<Boolean> delete(TaskId id) {
        return asCaller(tasks.deleteOne(byId(id)).map(deleted -> deleted > 0));
    }

    @Override
    public void close() {
        proxy.close();
    }

    private static <T> Mono<T> asCaller(Mono<T> work) {
        return work.contextWrite(ProxyTaskRepository::withInvocation)
                .onErrorMap(DbProxyException.class, ProxyTaskRepository::toTasksException);
    }

    private static <T> Flux<T> asCaller(Flux<T> work) {
        return work.contextWrite(ProxyTaskRepository::withInvocation)
                .onErrorMap(DbProxyException.class, ProxyTaskRepository::toTasksException);
    }

    private static Context withInvocation(Context context) {
        return CallerContext.from(context)
                .map(caller -> new InvocationContext(caller.requestId(), caller.deadline()).into(context))
                .orElse(context);
    }

    private static TasksException toTasksException(DbProxyException error) {
        return switch (error.kind()) {
            case THROTTLED -> new TransientTaskStoreException(Reason.THROTTLED, error.getMessage(), error);
            case UNAVAILABLE -> new TransientTaskStoreException(Reason.UNAVAILABLE, error.getMessage(), error);
            case TIMEOUT -> new TransientTaskStoreException(Reason.TIMEOUT, error.getMessage(), error);
            case REFUSED, PERMANENT -> new PermanentTaskStoreException(error.getMessage(), error);
        };
    }

    private static ObjectNode byId(TaskId id) {
        return JSON.objectNode().set("_id", ExtendedJson.objectId(id.value()));
    }

    private static ObjectNode toDocument(Task task) {
        ObjectNode document = byId(task.id()).put("title", task.title()).put("done", task.done());
        return document.set("createdAt", ExtendedJson.date(task.createdAt()));
    }

    private static Task toTask(JsonNode document) {
        return new Task(new TaskId(ExtendedJson.readObjectId(document.get("_id"))), document.path("title").asText(),
                document.path("done").asBoolean(), ExtendedJson.readDate(document.get("createdAt")));
    }
}
