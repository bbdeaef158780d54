package dev.dbproxy.examples.tasks.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.examples.tasks.core.CallerContext;
import dev.dbproxy.examples.tasks.core.InvalidTaskException;
import dev.dbproxy.examples.tasks.core.Task;
import dev.dbproxy.examples.tasks.core.TaskId;
import dev.dbproxy.examples.tasks.core.TaskIdTakenException;
import dev.dbproxy.examples.tasks.core.TaskRepository;
import dev.dbproxy.examples.tasks.core.TransientTaskStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link TaskRepository} adapter must do, whatever it stores through. A subclass gives an empty repository
 * for each test; copy this suite with the port when you write your own aggregate.
 */
@Timeout(60)
abstract class TaskRepositoryContract {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00.001Z");

    private TaskRepository tasks;

    /** A repository over an empty collection. */
    protected abstract TaskRepository newEmptyRepository();

    @BeforeEach
    void openRepository() {
        tasks = newEmptyRepository();
    }

    @AfterEach
    void closeRepository() {
        tasks.close();
    }

    @Test
    void add_thenFindById_givesTheTaskBack() {
        Task task = Task.open(TaskId.generate(), "water the plants", T0);
        assertEquals(task, tasks.add(task).block(WAIT));
        assertEquals(task, tasks.findById(task.id()).block(WAIT));
    }

    @Test
    void findById_ofAnUnknownTask_isEmpty() {
        assertEquals(null, tasks.findById(TaskId.generate()).block(WAIT));
    }

    @Test
    void add_retriedWithTheSameIdAndTitle_storesTheTaskOnce_andAnswersTheFirstAttempt() {
        Task first = Task.open(TaskId.generate(), "call the plumber", T0);
        tasks.add(first).block(WAIT);
        Task retry = Task.open(first.id(), "call the plumber", T0.plusSeconds(3));
        assertEquals(first, tasks.add(retry).block(WAIT));
        assertEquals(List.of(first), tasks.listOpen(10).collectList().block(WAIT));
    }

    @Test
    void add_ofAnotherTaskWithATakenId_failsWithTaskIdTaken() {
        TaskId id = TaskId.generate();
        tasks.add(Task.open(id, "first", T0)).block(WAIT);
        TaskIdTakenException taken = assertThrows(TaskIdTakenException.class,
                () -> tasks.add(Task.open(id, "second", T0)).block(WAIT));
        assertEquals(id, taken.id());
        assertEquals("first", tasks.findById(id).block(WAIT).title());
    }

    @Test
    void listOpen_emitsOpenTasksNewestFirst_upToTheLimit() {
        Task oldest = tasks.add(Task.open(TaskId.generate(), "oldest", T0)).block(WAIT);
        Task middle = tasks.add(Task.open(TaskId.generate(), "middle", T0.plusSeconds(1))).block(WAIT);
        Task newest = tasks.add(Task.open(TaskId.generate(), "newest", T0.plusSeconds(2))).block(WAIT);
        tasks.markDone(middle.id()).block(WAIT);

        assertEquals(List.of(newest, oldest), tasks.listOpen(10).collectList().block(WAIT));
        assertEquals(List.of(newest), tasks.listOpen(1).collectList().block(WAIT));
    }

    @Test
    void listOpen_withALimitOutOfRange_failsAsInvalidInput() {
        assertEquals("limit", assertThrows(InvalidTaskException.class, () -> tasks.listOpen(0)).field());
        assertThrows(InvalidTaskException.class, () -> tasks.listOpen(TaskRepository.MAX_LIST_LIMIT + 1));
    }

    @Test
    void markDone_emitsTheTaskDone_asStored_andAgainWhenAlreadyDone() {
        Task task = tasks.add(Task.open(TaskId.generate(), "file the taxes", T0)).block(WAIT);
        assertEquals(task.markedDone(), tasks.markDone(task.id()).block(WAIT));
        assertEquals(task.markedDone(), tasks.markDone(task.id()).block(WAIT));
        assertTrue(tasks.findById(task.id()).block(WAIT).done());
    }

    @Test
    void markDone_ofAnUnknownTask_isEmpty() {
        assertEquals(null, tasks.markDone(TaskId.generate()).block(WAIT));
    }

    @Test
    void delete_reportsWhetherThereWasATaskToDelete() {
        Task task = tasks.add(Task.open(TaskId.generate(), "throw this away", T0)).block(WAIT);
        assertTrue(tasks.delete(task.id()).block(WAIT));
        assertFalse(tasks.delete(task.id()).block(WAIT));
        assertEquals(null, tasks.findById(task.id()).block(WAIT));
    }

    @Test
    void aCallAfterTheCallersDeadline_failsAsTimeout_andStoresNothing() {
        Task task = Task.open(TaskId.generate(), "too late", T0);
        CallerContext late = new CallerContext("request-late", Instant.now().minusMillis(1));
        TransientTaskStoreException error = assertThrows(TransientTaskStoreException.class,
                () -> tasks.add(task).contextWrite(late::into).block(WAIT));
        assertEquals(TransientTaskStoreException.Reason.TIMEOUT, error.reason());
        assertEquals(null, tasks.findById(task.id()).block(WAIT));
    }

    @Test
    void aCallWithinTheCallersDeadline_runs() {
        Task task = Task.open(TaskId.generate(), "in time", T0);
        CallerContext caller = new CallerContext("request-in-time", Instant.now().plusSeconds(10));
        assertEquals(task, tasks.add(task).contextWrite(caller::into).block(WAIT));
    }
}
