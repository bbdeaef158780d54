package dev.dbproxy.proxy.client.internal;

import dev.dbproxy.proxy.client.DbProxyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Coalesces operations submitted concurrently into one batch, so that, for example, ten {@code findById} calls made
 * at once by one business invocation cost one proxy invocation, while a lone call waits (almost) nothing.
 *
 * <p>Operations share a batch only with operations of the same key (its {@code batchKey}: operations that must not
 * share a fate, such as those of different callers, never share a batch), and a batch forms for each key on its own,
 * so that operations of another key submitted in between (another invocation's, a write among reads) neither join it
 * nor send it early. The size of a batch is the sum of its operations' weights (an operation that stands for several,
 * such as an update and the read that returns the updated note, weighs as many), and an operation that would take a
 * batch past the maximum starts the next one. A batch that reaches the maximum size leaves at once from the
 * submitting thread; a zero window sends every operation at once on its own. Each caller receives the result at its
 * own position; a failure of the whole batch reaches every caller in it.
 *
 * <p>When a batch leaves depends on who may still join it:
 * <ul>
 *   <li>Operations of one submitting thread (one invocation at a time per environment): an operation whose submitter
 *       blocks on it alone ({@link BlockingCallers}: a business handler's {@code block()} on one read) leaves at once
 *       from the submitting thread, with whatever else of its key is waiting. Otherwise a dedicated thread, the
 *       flusher, sends the forming batch as soon as no more operations can be expected, that is when the thread that
 *       submitted its latest operation waits (a business handler blocked on the {@code zip} of its reads, an idle
 *       worker thread), or else once no operation has joined it for the whole window (a submitter that keeps
 *       running, or that is descheduled or loading classes in the middle of its burst).</li>
 *   <li>Operations of many threads ({@code acrossThreads}: the concurrent invocations of one Lambda Managed Instances
 *       environment, each on its own thread): one submitter waiting says nothing of the others, so a batch leaves the
 *       window after its first operation, or when full.</li>
 * </ul>
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
    private final boolean acrossThreads;
    private final Object lock = new Object();
    /** The batches forming, one per key, in the order they started. */
    private final Map<Object, Forming<O, R>> forming = new LinkedHashMap<>();
    private boolean closed;

    private OperationBatcher(Duration window, int maxBatchSize, ToIntFunction<O> weight, Function<O, ?> batchKey,
            Function<List<O>, Mono<List<R>>> sender, boolean acrossThreads) {
        this.windowNanos = window.toNanos();
        this.maxBatchSize = maxBatchSize;
        this.weight = weight;
        this.batchKey = batchKey;
        this.sender = sender;
        this.acrossThreads = acrossThreads;
    }

    /**
     * A batcher whose batches weigh at most {@code maxBatchSize} and hold operations of one key, and whose flusher
     * thread (a daemon named {@code threadName}) runs until {@link #close()}.
     *
     * @param window        the longest a batch waits for a further operation to join it
     * @param maxBatchSize  the most a batch may weigh; an operation heavier than that travels alone
     * @param weight        how much an operation weighs (at least 1)
     * @param batchKey      what operations must have in common ({@link Object#equals}) to share a batch
     * @param sender        sends a batch and emits one result per operation, in order
     * @param acrossThreads whether one batch gathers the operations of many submitting threads: then a batch waits
     *                      the window after its first operation rather than leaving when its latest submitter waits
     */
    static <O, R> OperationBatcher<O, R> start(Duration window, int maxBatchSize, ToIntFunction<O> weight,
            Function<O, ?> batchKey, Function<List<O>, Mono<List<R>>> sender, boolean acrossThreads,
            String threadName) {
        OperationBatcher<O, R> batcher = new OperationBatcher<>(window, maxBatchSize, weight, batchKey, sender,
                acrossThreads);
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
            long now = System.nanoTime();
            Forming<O, R> batch = forming.get(key);
            if (batch != null && batch.weight + operationWeight > maxBatchSize) {
                full = forming.remove(key).operations;
                batch = null;
            }
            if (batch == null) {
                batch = new Forming<>(now);
                forming.put(key, batch);
                if (forming.size() == 1) {
                    lock.notifyAll();
                }
            }
            batch.add(operation, operationWeight, now);
            if (submitterWaitsNext && !acrossThreads || batch.weight >= maxBatchSize || windowNanos == 0) {
                leavingNow = forming.remove(key).operations;
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
        List<List<Pending<O, R>>> leaving = new ArrayList<>();
        while (true) {
            long latest = Long.MIN_VALUE;
            synchronized (lock) {
                while (forming.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (closed) {
                    forming.values().forEach(batch -> batch.operations
                            .forEach(waiting -> waiting.sink().error(closedError())));
                    forming.clear();
                    return;
                }
                long now = System.nanoTime();
                for (Iterator<Forming<O, R>> batches = forming.values().iterator(); batches.hasNext(); ) {
                    Forming<O, R> batch = batches.next();
                    if (due(batch, now)) {
                        leaving.add(batch.operations);
                        batches.remove();
                    } else {
                        latest = Math.max(latest, batch.latestArrival);
                    }
                }
            }
            if (!leaving.isEmpty()) {
                leaving.forEach(this::send);
                leaving.clear();
            } else if (System.nanoTime() - latest < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(NAP_NANOS);
            }
        }
    }

    /** Whether the batch should leave now: see the class comment. */
    private boolean due(Forming<O, R> batch, long now) {
        if (acrossThreads) {
            return now - batch.firstArrival >= windowNanos;
        }
        return now - batch.latestArrival >= windowNanos || hasStoppedRunning(batch.latestSubmitter);
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

    /** A batch forming: its operations, their weight, when its first and latest arrived, and who submitted last. */
    private static final class Forming<O, R> {
        final List<Pending<O, R>> operations = new ArrayList<>();
        final long firstArrival;
        int weight;
        long latestArrival;
        Thread latestSubmitter;

        Forming(long firstArrival) {
            this.firstArrival = firstArrival;
        }

        void add(Pending<O, R> operation, int operationWeight, long now) {
            operations.add(operation);
            weight += operationWeight;
            latestArrival = now;
            latestSubmitter = Thread.currentThread();
        }
    }
}
