package dev.dbproxy.notes.adapter.lambdaproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class OperationBatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<List<Integer>> batchesSent = new CopyOnWriteArrayList<>();

    private OperationBatcher<Integer, String> batcher(Duration window, int maxBatchSize) {
        return new OperationBatcher<>(window, maxBatchSize, operations -> {
            batchesSent.add(operations);
            return Mono.just(operations.stream().map(i -> "result " + i).toList());
        }, Schedulers.parallel());
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
        OperationBatcher<Integer, String> batcher = batcher(Duration.ofMillis(5), 4);

        Flux.range(0, 10).flatMap(batcher::submit).collectList().block(WAIT);

        assertEquals(List.of(4, 4, 2), batchesSent.stream().map(List::size).toList());
    }

    @Test
    void aFailedBatch_failsEveryCallerInIt() {
        OperationBatcher<Integer, String> failing = new OperationBatcher<>(Duration.ofMillis(5), 25,
                operations -> Mono.error(new IllegalStateException("proxy down")), Schedulers.parallel());

        StepVerifier.create(Flux.range(0, 3).flatMap(i -> failing.submit(i).onErrorReturn("failed")))
                .expectNext("failed", "failed", "failed")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void nothingIsSent_beforeSubscription() {
        OperationBatcher<Integer, String> batcher = batcher(Duration.ZERO, 25);

        Mono<String> notSubscribed = batcher.submit(1);

        assertEquals(0, batchesSent.size());
        assertEquals("result 1", notSubscribed.block(WAIT));
    }
}
