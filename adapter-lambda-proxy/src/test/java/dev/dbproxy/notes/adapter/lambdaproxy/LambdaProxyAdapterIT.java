package dev.dbproxy.notes.adapter.lambdaproxy;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import dev.dbproxy.notes.core.port.NoteRepositories;
import dev.dbproxy.notes.core.port.NoteRepository;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

class LambdaProxyAdapterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void tenConcurrentFindByIds_costExactlyOneProxyInvocation() {
        try (LocalProxyStack stack = new LocalProxyStack(10); NoteRepository notes = stack.repository(Map.of())) {
            List<Note> created = Flux.range(0, 10).concatMap(i -> notes.create(aNote().build())).collectList()
                    .block(WAIT);
            long before = stableInvocations(stack);

            List<Note> found = Flux.fromIterable(created).flatMap(note -> notes.findById(note.id())).collectList()
                    .block(WAIT);

            assertEquals(10, found.size());
            assertEquals(1, stack.proxyInvocations() - before);
        }
    }

    @Test
    void findByIdsOfMoreIdsThanOneFindMayReturn_findsThemAll_inOneProxyInvocation() {
        try (LocalProxyStack stack = new LocalProxyStack(10); NoteRepository notes = stack.repository(Map.of())) {
            int count = LambdaProxyNoteRepository.IDS_PER_FIND + 10;
            List<Note> created = Flux.range(0, count).flatMap(i -> notes.create(aNote().build()), 8).collectList()
                    .block(WAIT);
            List<NoteId> ids = new ArrayList<>(created.stream().map(Note::id).toList());
            ids.add(NoteId.generate());
            long before = stableInvocations(stack);

            List<Note> found = notes.findByIds(ids).collectList().block(WAIT);

            assertEquals(Set.copyOf(created), Set.copyOf(found));
            assertEquals(count, found.size());
            assertEquals(1, stableInvocations(stack) - before);
        }
    }

    @Test
    void notesRepositoryLambdaProxy_selectsThisAdapterThroughTheProviderSpi() {
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = NoteRepositories.fromEnvironment(Map.of(
                        "NOTES_REPOSITORY", "lambda-proxy",
                        "NOTES_PROXY_FUNCTION", LocalProxyStack.PROXY,
                        "AWS_ENDPOINT_URL_LAMBDA", stack.platform.invokeEndpoint().toString(),
                        "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"))) {

            assertTrue(notes.toString().startsWith("LambdaProxyNoteRepository"), notes.toString());
            assertEquals(0L, notes.count().block(WAIT));
        }
    }

    @Test
    void close_endsTheClientsEventLoopThread_andLaterCallsFail() {
        try (LocalProxyStack stack = new LocalProxyStack(10)) {
            long before = clientThreads();
            NoteRepository notes = stack.repository(Map.of());
            assertEquals(0L, notes.count().block(WAIT));
            assertEquals(before + 1, clientThreads(), "the client runs on one event-loop thread of its own");

            notes.close();

            assertEquals(before, clientThreads(), "closing ended the event loop");
            assertInstanceOf(PermanentFailureException.class, failureOf(notes.count()));
        }
    }

    @Test
    void aRepositoryOnACallersClient_usesIt_andLeavesItOpenWhenClosed() {
        try (LocalProxyStack stack = new LocalProxyStack(10)) {
            LambdaProxySettings settings = LambdaProxySettings.fromEnv(stack.environment(Map.of()));
            EventLoopGroup eventLoop = LambdaProxyNoteRepositoryProvider.eventLoop();
            try (LambdaAsyncClient lambda = LambdaProxyNoteRepositoryProvider.client(settings, eventLoop)) {
                NoteRepository notes = LambdaProxyNoteRepositoryProvider.create(settings, lambda);
                Note note = notes.create(aNote().build()).block(WAIT);
                long before = stableInvocations(stack);

                notes.close();
                InvokeResponse afterClose = lambda.invoke(request -> request.functionName(LocalProxyStack.PROXY)
                        .payload(SdkBytes.fromUtf8String("{}"))).join();

                assertEquals(200, afterClose.statusCode(), "the caller's client still invokes");
                assertEquals(before + 1, stableInvocations(stack), "that invocation reached the proxy");
                assertInstanceOf(PermanentFailureException.class, failureOf(notes.findById(note.id())));
            } finally {
                eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aThrottledProxy_isRetriedWithinTheDeadline_thenReportedAsThrottled() {
        try (LocalProxyStack stack = new LocalProxyStack(0);
                NoteRepository notes = stack.repository(Map.of("NOTES_PROXY_MAX_ATTEMPTS", "3"))) {

            Throwable error = failureOf(notes.findById(NoteId.generate()));

            TransientFailureException throttled = assertInstanceOf(TransientFailureException.class, error);
            assertEquals(Reason.THROTTLED, throttled.reason());
            assertEquals(Duration.ofSeconds(1), throttled.retryAfter(), "the platform's Retry-After");
            assertEquals(3, stack.platform.metrics(LocalProxyStack.PROXY).throttles());
            assertEquals(2, ((LambdaProxyNoteRepository) notes).throttleRetries());
        }
    }

    @Test
    void aDatabaseThatIsDown_isTransientUnavailable_fast_andNothingAcknowledgedIsLost() {
        try (LocalProxyStack stack = new LocalProxyStack(10); NoteRepository notes = stack.repository(Map.of())) {
            Note kept = notes.create(aNote().build()).block(WAIT);
            stack.db.stop();

            long started = System.nanoTime();
            Throwable error = failureOf(notes.create(aNote().build()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertEquals(Reason.UNAVAILABLE, assertInstanceOf(TransientFailureException.class, error).reason());
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
            stack.db.restart();
            assertEquals(kept, notes.findById(kept.id()).retry(5).block(WAIT));
        }
    }

    @Test
    void anUnknownProxyFunction_isAPermanentFailure() {
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = stack.repository(Map.of("NOTES_PROXY_FUNCTION", "no-such-function"))) {

            assertInstanceOf(PermanentFailureException.class, failureOf(notes.count()));
        }
    }

    @Test
    void aRedeployedProxy_servesTheNextCallFromAFreshEnvironment() {
        try (LocalProxyStack stack = new LocalProxyStack(10); NoteRepository notes = stack.repository(Map.of())) {
            Note note = notes.create(aNote().build()).block(WAIT);
            stack.platform.redeploy(LocalProxyStack.PROXY);

            assertEquals(note, notes.findById(note.id()).block(WAIT));
            assertEquals(2, stack.platform.metrics(LocalProxyStack.PROXY).coldStarts());
        }
    }

    /** The platform counts an invocation as its response is sent; wait until the count settles. */
    private static long stableInvocations(LocalProxyStack stack) {
        long seen = -1;
        long now = stack.proxyInvocations();
        while (now != seen) {
            seen = now;
            Mono.delay(Duration.ofMillis(100)).block();
            now = stack.proxyInvocations();
        }
        return now;
    }

    private static Throwable failureOf(Mono<?> operation) {
        return operation.then().materialize().block(WAIT).getThrowable();
    }

    private static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("notes-proxy-client"))
                .count();
    }
}
