package dev.dbproxy.proxy.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbproxy.proxy.client.DbProxyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class OperationBatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<List<Integer>> batchesSent = new CopyOnWriteArrayList<>();
    private final List<OperationBatcher<?, ?>> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopFlushers() {
        started.forEach(OperationBatcher::close);
    }

    private OperationBatcher<Integer, String> batcher(Duration window, int maxBatchSize) {
        return batcher(window, maxBatchSize, operations -> {
            batchesSent.add(operations);
            return Mono.just(operations.stream().map(i -> "result " + i).toList());
        });
    }

    /** A batcher with a long window that records its batches, each operation weighing and keyed as given. */
    private OperationBatcher<Integer, String> recordingBatcher(int maxBatchSize, ToIntFunction<Integer> weight,
            Function<Integer, ?> batchKey) {
        OperationBatcher<Integer, String> batcher = OperationBatcher.start(Duration.ofSeconds(10), maxBatchSize, weight,
                batchKey, operations -> {
                    batchesSent.add(operations);
                    return Mono.just(operations.stream().map(i -> "result " + i).toList());
                }, false, "test-batcher");
        started.add(batcher);
        return batcher;
    }

    private OperationBatcher<Integer, String> batcher(Duration window, int maxBatchSize,
            Function<List<Integer>, Mono<List<String>>> sender) {
        OperationBatcher<Integer, String> batcher = OperationBatcher.start(window, maxBatchSize, operation -> 1,
                operation -> "", sender, false, "test-batcher");
        started.add(batcher);
        return batcher;
    }

    @Test
    void concurrentSubmissions_withinTheWindow_shareOneBatch_andEachGetsItsOwnResult() {
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofMillis(5), 25);

        List<String> results = Flux.range(0, 10).flatMap(batcher::submit).collectList().block(WAIT);

        assertEquals(1, batchesSent.size());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), batchesSent.getFirst());
        assertEquals(10, results.size());
        StepVerifier.create(batcher.submit(42)).expectNext("result 42").expectComplete().verify(WAIT);
    }

    @Test
    void aFullBatch_leavesAtOnce_andTheRestFollows() {
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofSeconds(10), 4);

        Flux.range(0, 10).flatMap(batcher::submit).collectList().block(WAIT);

        assertEquals(List.of(4, 4, 2), batchesSent.stream().map(List::size).toList());
    }

    @Test
    void anOperationThatWouldTakeABatchPastItsMaximumWeight_startsTheNextBatch() {
        OperationBatcher<Integer, String> batcher = recordingBatcher(5, operation -> operation, operation -> "");

        List<String> results = Flux.just(2, 2, 2, 1, 5, 1).flatMap(batcher::submit).collectList().block(WAIT);

        assertEquals(List.of(List.of(2, 2), List.of(2, 1), List.of(5), List.of(1)), batchesSent);
        assertEquals(6, results.size());
    }

    @Test
    void anOperationOfAnotherKeyThanTheFormingBatch_startsTheNextBatch() {
        OperationBatcher<Integer, String> batcher = recordingBatcher(25, operation -> 1, operation -> operation % 10);

        List<String> results = Flux.just(1, 11, 2, 12, 22, 3).flatMap(batcher::submit).collectList().block(WAIT);

        assertEquals(List.of(List.of(1, 11), List.of(2, 12, 22), List.of(3)), batchesSent);
        assertEquals(6, results.size());
    }

    @Test
    void interleavedOperationsOfDifferentKeys_formOneBatchPerKey_withoutSendingEachOtherEarly() {
        OperationBatcher<Integer, String> batcher = recordingBatcher(25, operation -> 1, operation -> operation % 10);

        List<String> results = Flux.just(1, 2, 11, 12, 21).flatMap(batcher::submit).collectList().block(WAIT);

        assertEquals(List.of(List.of(1, 11, 21), List.of(2, 12)), batchesSent);
        assertEquals(5, results.size());
    }

    @Test
    void acrossThreads_submissionsThatTheirThreadsEachBlockOnAlone_shareOneBatch() throws Exception {
        OperationBatcher<Integer, String> batcher = OperationBatcher.start(Duration.ofMillis(300), 25,
                operation -> 1, operation -> "", operations -> {
                    batchesSent.add(operations);
                    return Mono.just(operations.stream().map(i -> "result " + i).toList());
                }, true, "test-batcher");
        started.add(batcher);
        CyclicBarrier together = new CyclicBarrier(4);
        List<String> results = new CopyOnWriteArrayList<>();
        List<Thread> invocations = IntStream.range(0, 4).mapToObj(i -> Thread.ofPlatform().start(() -> {
            try {
                together.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                results.add(batcher.submit(i).block(WAIT));
            } catch (Exception e) {
                results.add("failed: " + e);
            }
        })).toList();
        for (Thread invocation : invocations) {
            invocation.join(WAIT.toMillis());
        }

        assertEquals(Set.of("result 0", "result 1", "result 2", "result 3"), Set.copyOf(results));
        assertEquals(List.of(4), batchesSent.stream().map(List::size).toList(), batchesSent::toString);
    }

    @Test
    void aFailedBatch_failsEveryCallerInIt() {
        OperationBatcher<Integer, String> failing = batcher(Duration.ofMillis(5), 25,
                operations -> Mono.error(new IllegalStateException("proxy down")));

        StepVerifier.create(Flux.range(0, 3).flatMap(i -> failing.submit(i).onErrorReturn("failed")))
                .expectNext("failed", "failed", "failed")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aLoneSubmission_whoseCallerWaits_isSentWithoutWaitingForTheWindow() {
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofHours(1), 25);

        assertEquals("result 7", batcher.submit(7).block(WAIT));
        assertEquals(List.of(List.of(7)), batchesSent);
    }

    @Test
    void aSubmissionItsCallerBlocksOnAlone_leavesAtOnceFromTheCallersThread() {
        List<String> sendingThreads = new CopyOnWriteArrayList<>();
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofHours(1), 25, operations -> {
            sendingThreads.add(Thread.currentThread().getName());
            return Mono.just(operations.stream().map(i -> "result " + i).toList());
        });

        assertEquals("result 1", batcher.submit(1).map(String::trim).timeout(WAIT).block());
        assertEquals("result 3", batcher.submit(2).flatMap(result -> batcher.submit(3)).block(WAIT));

        assertEquals(Collections.nCopies(3, Thread.currentThread().getName()), sendingThreads);
    }

    @Test
    void zippedSubmissions_thatTheCallerBlocksOn_shareOneBatchSentByTheFlusher() {
        List<String> sendingThreads = new CopyOnWriteArrayList<>();
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofHours(1), 25, operations -> {
            batchesSent.add(operations);
            sendingThreads.add(Thread.currentThread().getName());
            return Mono.just(operations.stream().map(i -> "result " + i).toList());
        });

        Mono.zip(batcher.submit(1), batcher.submit(2), batcher.submit(3)).block(WAIT);

        assertEquals(List.of(List.of(1, 2, 3)), batchesSent);
        assertEquals(List.of("test-batcher"), sendingThreads);
    }

    @Test
    void aSubmissionNotBlockedOn_waitsForTheFlusher() throws Exception {
        List<String> sendingThreads = new CopyOnWriteArrayList<>();
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofMillis(2), 25, operations -> {
            sendingThreads.add(Thread.currentThread().getName());
            return Mono.just(operations.stream().map(i -> "result " + i).toList());
        });

        assertEquals("result 1", batcher.submit(1).toFuture().get());

        assertEquals(List.of("test-batcher"), sendingThreads);
    }

    @Test
    void submissionsFromAThreadThatKeepsRunning_shareOneBatch_untilItWaits() {
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofSeconds(10), 25);

        List<Mono<String>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Mono<String> result = batcher.submit(i).cache();
            result.subscribe();
            results.add(result);
            keepRunningFor(Duration.ofMillis(2));
        }

        assertEquals(List.of("result 0", "result 1", "result 2"), Flux.concat(results).collectList().block(WAIT));
        assertEquals(List.of(List.of(0, 1, 2)), batchesSent);
    }

    @Test
    void concurrentSubmissions_fromManyThreads_eachGetTheirOwnResult() {
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofMillis(2), 25);

        List<String> results = Flux.range(0, 200)
                .flatMap(i -> batcher.submit(i).subscribeOn(Schedulers.parallel()))
                .collectSortedList(Comparator.comparingInt(result -> Integer.parseInt(result.substring(7))))
                .block(WAIT);

        assertEquals(IntStream.range(0, 200).mapToObj(i -> "result " + i).toList(), results);
        assertEquals(200, batchesSent.stream().mapToInt(List::size).sum());
    }

    @Test
    void aSenderThatThrows_failsItsBatch_andTheNextBatchIsStillSent() {
        AtomicInteger calls = new AtomicInteger();
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofMillis(2), 25, operations -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("encoding failed");
            }
            return Mono.just(List.of("ok"));
        });

        StepVerifier.create(batcher.submit(1)).expectError(IllegalStateException.class).verify(WAIT);
        StepVerifier.create(batcher.submit(2)).expectNext("ok").expectComplete().verify(WAIT);
    }

    @Test
    void aWrongNumberOfResults_failsEveryCallerOfTheBatch() {
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofMillis(2), 25,
                operations -> Mono.just(List.of()));

        StepVerifier.create(batcher.submit(1)).expectError(DbProxyException.class).verify(WAIT);
    }

    @Test
    void afterClose_submissionsFailAsPermanent() {
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofMillis(2), 25);
        batcher.close();

        StepVerifier.create(batcher.submit(1)).expectError(DbProxyException.class).verify(WAIT);
        assertEquals(List.of(), batchesSent);
    }

    @Test
    void nothingIsSent_beforeSubscription() {
        OperationBatcher<Integer, String> batcher = batcher(Duration.ZERO, 25);

        Mono<String> notSubscribed = batcher.submit(1);

        assertEquals(0, batchesSent.size());
        assertEquals("result 1", notSubscribed.block(WAIT));
    }

    private static void keepRunningFor(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
