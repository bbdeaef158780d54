package dev.dbproxy.examples.tasks.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where tasks are kept: the port both adapters implement (the MongoDB driver in every function, or the DB proxy
 * function), chosen with {@code TASKS_REPOSITORY} ({@link TaskRepositories}). Nothing happens until subscription, and
 * nothing blocks. A call made for a {@link CallerContext} in the Reactor context fails at once as
 * {@link TransientTaskStoreException} ({@code TIMEOUT}) after its deadline and is bounded by it.
 *
 * <p>Every method may fail with {@link TransientTaskStoreException} (retrying later may help; every write here is safe
 * to retry) or {@link PermanentTaskStoreException}. Build one per execution environment and {@link #close()} it when
 * the environment shuts down.
 */
public interface TaskRepository extends AutoCloseable {

    /** The most tasks one {@link #listOpen} emits. */
    int MAX_LIST_LIMIT = 100;

    /**
     * Stores {@code task} and emits it. A retry of the same add ({@link Task#sameAddAs}: the same id and title) emits
     * the task stored by the first attempt instead of storing it twice.
     *
     * @return fails with {@link TaskIdTakenException} when another task already has this id
     */
    Mono<Task> add(Task task);

    /** Emits the task {@code id}; completes empty when there is none. */
    Mono<Task> findById(TaskId id);

    /**
     * Emits at most {@code limit} tasks not done yet, newest first (by creation time, then by id); none when there
     * are none.
     *
     * @throws InvalidTaskException when {@code limit} is not between 1 and {@value #MAX_LIST_LIMIT}, at assembly
     */
    Flux<Task> listOpen(int limit);

    /**
     * Marks the task {@code id} done and emits it as stored; a task already done is emitted as it is. Completes empty
     * when there is no such task.
     */
    Mono<Task> markDone(TaskId id);

    /** Deletes the task {@code id}; emits whether there was one to delete. */
    Mono<Boolean> delete(TaskId id);

    /** Releases the repository's connections or clients; no call may follow. */
    @Override
    void close();

    /**
     * {@code limit} as {@link #listOpen} takes it.
     *
     * @throws InvalidTaskException naming the field {@code limit} when it is not between 1 and {@value #MAX_LIST_LIMIT}
     */
    static int checkedLimit(int limit) {
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw new InvalidTaskException("limit", "must be between 1 and " + MAX_LIST_LIMIT);
        }
        return limit;
    }
}
