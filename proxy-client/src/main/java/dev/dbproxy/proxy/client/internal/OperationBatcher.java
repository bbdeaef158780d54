package dev.dbproxy.proxy.client.internal;

import dev.dbproxy.proxy.client.DbProxyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Coalesces operations submitted concurrently into one batch, so that, for example, ten {@code findById} calls made
 * at once by one business invocation cost one proxy invocation, while a lone call waits (almost) nothing.
 *
 * <p>An operation whose submitter blocks on it alone ({@link BlockingCallers}: a business handler's {@code block()}
 * on one read) leaves at once from the submitting thread, with whatever else is waiting. Otherwise a dedicated
 * thread, the flusher, sends the forming batch as soon as no more operations can be expected, that is when the
 * thread that submitted the latest operation waits (a business handler blocked on the {@code zip} of its reads, an
 * idle worker thread), or else once no operation has joined it for the whole window (a submitter that keeps running,
 * or that is descheduled or loading classes in the middle of its burst). A batch that reaches the maximum size leaves
 * at once from the submitting thread; a zero window sends every operation at once on its own. The size of a batch is
 * the sum of its operations' weights (an operation that stands for several, such as an update and the read that
 * returns the updated note, weighs as many), and an operation that would take a batch past the maximum starts the next
 * one; so does an operation of another kind than the batch's (its {@code batchKey}: operations that must not share a
 * fate, such as those of different callers, never share a batch). Each caller receives the result at its own position;
 * a failure of the whole batch reaches every caller in it.
 *
 * @param <O> an operation
 * @param <R> the result of one operation
 */
final class OperationBatcher<O, R> implements AutoCloseable {

    /** The flusher spins this long after the latest submission, then naps between checks to leave the CPU to it. */
    private static final long SPIN_NANOS = 20_000;
    private static final long NAP_NANOS = 20_000;

    private final long windowNanos;
    private final int maxBatchSize;
    private final ToIntFunction<O> weight;
    private final Function<O, ?> batchKey;
    private final Function<List<O>, Mono<List<R>>> sender;
    private final Object lock = new Object();
    private List<Pending<O, R>> pending = new ArrayList<>();
    private int pendingWeight;
    private Object pendingKey;
    private long latestArrival;
    private Thread latestSubmitter;
    private boolean closed;

    private OperationBatcher(Duration window, int maxBatchSize, ToIntFunction<O> weight, Function<O, ?> batchKey,
            Function<List<O>, Mono<List<R>>> sender) {
        this.windowNanos = window.toNanos();
        this.maxBatchSize = maxBatchSize;
        this.weight = weight;
        this.batchKey = batchKey;
        this.sender = sender;
    }

    /**
     * A batcher whose batches weigh at most {@code maxBatchSize} and hold operations of one key, and whose flusher
     * thread (a daemon named {@code threadName}) runs until {@link #close()}.
     *
     * @param window       the longest a batch waits for a further operation to join it
     * @param maxBatchSize the most a batch may weigh; an operation heavier than that travels alone
     * @param weight       how much an operation weighs (at least 1)
     * @param batchKey     what operations must have in common ({@link Object#equals}) to share a batch
     * @param sender       sends a batch and emits one result per operation, in order
     */
    static <O, R> OperationBatcher<O, R> start(Duration window, int maxBatchSize, ToIntFunction<O> weight,
            Function<O, ?> batchKey, Function<List<O>, Mono<List<R>>> sender, String threadName) {
        OperationBatcher<O, R> batcher = new OperationBatcher<>(window, maxBatchSize, weight, batchKey, sender);
        Thread.ofPlatform().daemon().name(threadName).start(batcher::flushUntilClosed);
        return batcher;
    }

    /**
     * Emits the result of {@code operation} once its batch has been answered, or the error of its batch; fails with
     * a permanent {@link DbProxyException} after {@link #close()}. Nothing happens until subscription.
     */
    Mono<R> submit(O operation) {
        return Mono.create(sink -> enqueue(new Pending<>(operation, sink), BlockingCallers.blocksOnThisAlone(sink)));
    }

    /** Stops the flusher; operations still waiting and submitted later fail. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    private void enqueue(Pending<O, R> operation, boolean submitterWaitsNext) {
        List<Pending<O, R>> full = null;
        List<Pending<O, R>> leavingNow = null;
        int operationWeight = weight.applyAsInt(operation.operation());
        Object key = batchKey.apply(operation.operation());
        synchronized (lock) {
            if (closed) {
                operation.sink().error(closedError());
                return;
            }
            if (!pending.isEmpty()
                    && (pendingWeight + operationWeight > maxBatchSize || !pendingKey.equals(key))) {
                full = takePending();
            }
            pending.add(operation);
            pendingWeight += operationWeight;
            pendingKey = key;
            if (submitterWaitsNext || pendingWeight >= maxBatchSize || windowNanos == 0) {
                leavingNow = takePending();
            } else {
                if (pending.size() == 1) {
                    lock.notifyAll();
                }
                latestArrival = System.nanoTime();
                latestSubmitter = Thread.currentThread();
            }
        }
        if (full != null) {
            send(full);
        }
        if (leavingNow != null) {
            send(leavingNow);
        }
    }

    private void flushUntilClosed() {
        while (true) {
            Thread submitter;
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
                latest = latestArrival;
            }
            long now = System.nanoTime();
            if (now - latest >= windowNanos || hasStoppedRunning(submitter)) {
                List<Pending<O, R>> batch;
                synchronized (lock) {
                    batch = takePending();
                }
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } else if (now - latest < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(NAP_NANOS);
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
        pendingWeight = 0;
        return batch;
    }

    private void send(List<Pending<O, R>> batch) {
        List<O> operations = batch.stream().map(Pending::operation).toList();
        Mono.defer(() -> sender.apply(operations))
                .switchIfEmpty(Mono.error(() -> DbProxyException.permanent("a batch was sent without an answer",
                        null)))
                .subscribe(
                results -> {
                    if (results.size() != batch.size()) {
                        failAll(batch, DbProxyException.permanent("the proxy answered " + results.size()
                                + " results to a batch of " + batch.size() + " operations", null));
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

    private static DbProxyException closedError() {
        return DbProxyException.permanent("the DB proxy client is closed", null);
    }

    private record Pending<O, R>(O operation, MonoSink<R> sink) {
    }
}
