package dev.dbproxy.proxy.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class BlockingCallersTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<Boolean> answers = new CopyOnWriteArrayList<>();

    /** An operation shaped like the repository's: a source followed by a few single-source operators. */
    private Mono<String> operation() {
        return Mono.<String>create(sink -> {
            answers.add(BlockingCallers.blocksOnThisAlone(sink));
            sink.success("done");
        }).flatMap(Mono::just).filter(result -> !result.isEmpty()).map(String::trim);
    }

    @Test
    void aBlockOnOneOperation_throughSingleSourceOperators_blocksOnItAlone() {
        operation().block(WAIT);
        operation().timeout(WAIT).onErrorMap(error -> error).defaultIfEmpty("none").block(WAIT);
        operation().flux().blockLast(WAIT);
        operation().blockOptional(WAIT);

        assertEquals(List.of(true, true, true, true), answers);
    }

    @Test
    void aBlockOnOneClientCall_inOrOutOfAnInvocationContext_blocksOnItAlone() {
        Mono<String> call = Mono.deferContextual(context -> operation()).map(String::trim).filter(r -> true);

        call.block(WAIT);
        call.contextWrite(context -> context.put("caller", "invocation-1")).block(WAIT);
        call.onErrorMap(IllegalStateException.class, error -> error).block(WAIT);

        assertEquals(List.of(true, true, true), answers);
    }

    @Test
    void operationsSubscribedOneAfterTheOther_eachBlockAlone() {
        operation().flatMap(first -> operation()).block(WAIT);
        Flux.range(0, 2).concatMap(i -> operation()).blockLast(WAIT);
        Flux.concat(operation(), operation()).blockLast(WAIT);

        assertEquals(List.of(true, true, true, true, true, true), answers);
    }

    @Test
    void operationsCombinedConcurrently_doNotBlockAlone() {
        Mono.zip(operation(), operation()).block(WAIT);
        Flux.range(0, 2).flatMap(i -> operation()).blockLast(WAIT);
        Flux.merge(operation(), operation()).blockLast(WAIT);
        Mono.when(operation(), operation()).block(WAIT);
        Mono.firstWithValue(operation().then(Mono.<String>empty()), operation()).block(WAIT);
        operation().flatMap(first -> Mono.zip(operation(), operation())).block(WAIT);

        assertEquals(List.of(false, false, false, false, false, false, false, false, false, false, true, false, false),
                answers);
    }

    @Test
    void subscriptionsThatDoNotBlock_doNotBlockAlone() throws Exception {
        operation().toFuture().get();
        operation().subscribe();
        operation().cache().block(WAIT);
        operation().flux().toStream().toList();

        assertEquals(List.of(false, false, false, false), answers);
    }
}
