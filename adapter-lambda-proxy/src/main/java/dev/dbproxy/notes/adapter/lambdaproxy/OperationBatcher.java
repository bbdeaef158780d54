package dev.dbproxy.notes.adapter.lambdaproxy;

import dev.dbproxy.notes.core.error.PermanentFailureException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Coalesces operations submitted concurrently into one batch, so that, for example, ten {@code findById} calls made
 * at once by one business invocation cost one proxy invocation, while a lone call waits (almost) nothing.
 *
 * <p>A dedicated thread, the flusher, sends the forming batch as soon as no more operations can be expected: when
 * the thread that submitted the latest operation has stopped running (it waits, typically for the results), when
 * no operation has arrived for {@link #QUIET_GAP} (a submitter that keeps running, such as an event loop), or when
 * the first operation has waited the whole window. A batch that reaches the maximum size leaves at once from the
 * submitting thread; a zero window sends every operation at once on its own. Each caller receives the result at its
 * own position; a failure of the whole batch reaches every caller in it.
 *
 * @param <O> an operation
 * @param <R> the result of one operation
 */
final class OperationBatcher<O, R> implements AutoCloseable {

    /** How long the flusher waits for a further operation from a submitter that keeps running. */
    static final Duration QUIET_GAP = Duration.ofNanos(100_000);

    private final long windowNanos;
    private final long quietGapNanos;
    private final int maxBatchSize;
    private final Function<List<O>, Mono<List<R>>> sender;
    private final Object lock = new Object();
    private List<Pending<O, R>> pending = new ArrayList<>();
    private long firstArrival;
    private long latestArrival;
    private Thread latestSubmitter;
    private boolean closed;

    private OperationBatcher(Duration window, int maxBatchSize, Function<List<O>, Mono<List<R>>> sender) {
        this.windowNanos = window.toNanos();
        this.quietGapNanos = Math.min(windowNanos, QUIET_GAP.toNanos());
        this.maxBatchSize = maxBatchSize;
        this.sender = sender;
    }

    /**
     * A batcher whose flusher thread (a daemon named {@code threadName}) runs until {@link #close()}.
     *
     * @param window       the longest the first operation of a batch waits while others keep arriving
     * @param maxBatchSize most operations in one batch
     * @param sender       sends a batch and emits one result per operation, in order
     */
    static <O, R> OperationBatcher<O, R> start(Duration window, int maxBatchSize,
            Function<List<O>, Mono<List<R>>> sender, String threadName) {
        OperationBatcher<O, R> batcher = new OperationBatcher<>(window, maxBatchSize, sender);
        Thread.ofPlatform().daemon().name(threadName).start(batcher::flushUntilClosed);
        return batcher;
    }

    /**
     * Emits the result of {@code operation} once its batch has been answered, or the error of its batch; fails with
     * {@link PermanentFailureException} after {@link #close()}. Nothing happens until subscription.
     */
    Mono<R> submit(O operation) {
        return Mono.create(sink -> enqueue(new Pending<>(operation, sink)));
    }

    /** Stops the flusher; operations still waiting and submitted later fail. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    private void enqueue(Pending<O, R> operation) {
        List<Pending<O, R>> leavingNow = null;
        synchronized (lock) {
            if (closed) {
                operation.sink().error(closedError());
                return;
            }
            long now = System.nanoTime();
            if (pending.isEmpty()) {
                firstArrival = now;
                lock.notifyAll();
            }
            pending.add(operation);
            latestArrival = now;
            latestSubmitter = Thread.currentThread();
            if (pending.size() >= maxBatchSize || windowNanos == 0) {
                leavingNow = takePending();
            }
        }
        if (leavingNow != null) {
            send(leavingNow);
        }
    }

    private void flushUntilClosed() {
        while (true) {
            Thread submitter;
            long first;
            long latest;
            synchronized (lock) {
                while (pending.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (closed) {
                    takePending().forEach(waiting -> waiting.sink().error(closedError()));
                    return;
                }
                submitter = latestSubmitter;
                first = firstArrival;
                latest = latestArrival;
            }
            long now = System.nanoTime();
            if (now - first >= windowNanos || now - latest >= quietGapNanos || hasStoppedRunning(submitter)) {
                List<Pending<O, R>> batch;
                synchronized (lock) {
                    batch = takePending();
                }
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Whether a submitter waits (for its results, for work to arrive) and so cannot submit more for now. A thread
     * blocked on entering a monitor still counts as running: it may be about to submit.
     */
    private static boolean hasStoppedRunning(Thread submitter) {
        Thread.State state = submitter.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                || state == Thread.State.TERMINATED;
    }

    private List<Pending<O, R>> takePending() {
        List<Pending<O, R>> batch = pending;
        pending = new ArrayList<>();
        return batch;
    }

    private void send(List<Pending<O, R>> batch) {
        List<O> operations = batch.stream().map(Pending::operation).toList();
        Mono.defer(() -> sender.apply(operations))
                .switchIfEmpty(Mono.error(() -> new PermanentFailureException("a batch was sent without an answer")))
                .subscribe(
                results -> {
                    if (results.size() != batch.size()) {
                        failAll(batch, new PermanentFailureException("the proxy answered " + results.size()
                                + " results to a batch of " + batch.size() + " operations"));
                        return;
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).sink().success(results.get(i));
                    }
                },
                error -> failAll(batch, error));
    }

    private static <O, R> void failAll(List<Pending<O, R>> batch, Throwable error) {
        batch.forEach(waiting -> waiting.sink().error(error));
    }

    private static PermanentFailureException closedError() {
        return new PermanentFailureException("the repository is closed");
    }

    private record Pending<O, R>(O operation, MonoSink<R> sink) {
    }
}
