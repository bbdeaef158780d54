package dev.dbproxy.notes.adapter.lambdaproxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * Coalesces operations submitted concurrently into one batch, so that, for example, ten {@code findById} calls made
 * at once by one business invocation cost one proxy invocation. The first operation of a batch waits at most the
 * window for company; a batch that reaches the maximum size leaves at once. Each caller receives the result at its
 * own position; a failure of the whole batch reaches every caller in it.
 *
 * @param <O> an operation
 * @param <R> the result of one operation
 */
final class OperationBatcher<O, R> {

    private final Duration window;
    private final int maxBatchSize;
    private final Function<List<O>, Mono<List<R>>> sender;
    private final Scheduler timer;
    private final Object lock = new Object();
    private List<Pending<O, R>> pending = new ArrayList<>();

    OperationBatcher(Duration window, int maxBatchSize, Function<List<O>, Mono<List<R>>> sender, Scheduler timer) {
        this.window = window;
        this.maxBatchSize = maxBatchSize;
        this.sender = sender;
        this.timer = timer;
    }

    /** Emits the result of {@code operation} once its batch has been sent; nothing happens until subscription. */
    Mono<R> submit(O operation) {
        return Mono.create(sink -> enqueue(new Pending<>(operation, sink)));
    }

    private void enqueue(Pending<O, R> operation) {
        List<Pending<O, R>> full = null;
        boolean first;
        synchronized (lock) {
            pending.add(operation);
            first = pending.size() == 1;
            if (pending.size() >= maxBatchSize) {
                full = takePending();
            }
        }
        if (full != null) {
            send(full);
        } else if (first) {
            if (window.isZero()) {
                flush();
            } else {
                timer.schedule(this::flush, window.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    private void flush() {
        List<Pending<O, R>> batch;
        synchronized (lock) {
            batch = takePending();
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    private List<Pending<O, R>> takePending() {
        List<Pending<O, R>> batch = pending;
        pending = new ArrayList<>();
        return batch;
    }

    private void send(List<Pending<O, R>> batch) {
        List<O> operations = batch.stream().map(Pending::operation).toList();
        sender.apply(operations).subscribe(
                results -> {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).sink().success(results.get(i));
                    }
                },
                error -> batch.forEach(waiting -> waiting.sink().error(error)));
    }

    private record Pending<O, R>(O operation, MonoSink<R> sink) {
    }
}
