package dev.dbproxy.notes.adapter.lambdaproxy;

import static dev.dbproxy.notes.testkit.NoteBuilder.aNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbproxy.notes.core.domain.Note;
import dev.dbproxy.notes.core.domain.NoteChanges;
import dev.dbproxy.notes.core.domain.NoteId;
import dev.dbproxy.notes.core.domain.NotePage;
import dev.dbproxy.notes.core.domain.NotePageRequest;
import dev.dbproxy.notes.core.error.PermanentFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException;
import dev.dbproxy.notes.core.error.TransientFailureException.Reason;
import dev.dbproxy.notes.core.port.CallerContext;
import dev.dbproxy.notes.core.port.NoteRepositories;
import dev.dbproxy.notes.core.port.NoteRepository;
import dev.dbproxy.proxy.client.DbProxyClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

class LambdaProxyAdapterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * A batch window long enough that a test thread descheduled between two submissions on this busy machine still
     * joins the batch: the batch leaves when the thread waits, as it would with the default window.
     */
    private static final Map<String, String> PATIENT_BATCHES = Map.of("NOTES_PROXY_BATCH_WINDOW_MICROS", "1000000");

    @Test
    void tenConcurrentFindByIds_costExactlyOneProxyInvocation() {
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = stack.repository(PATIENT_BATCHES)) {
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
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = stack.repository(PATIENT_BATCHES)) {
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
    void concurrentWrites_shareOneProxyInvocation_andEachCallerGetsItsOwnOutcome() {
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = stack.repository(PATIENT_BATCHES)) {
            Note kept = notes.create(aNote().withTitle("kept").build()).block(WAIT);
            Note doomed = notes.create(aNote().withTitle("doomed").build()).block(WAIT);
            Note clash = aNote().withId(kept.id()).withTitle("same id, other content").build();
            List<Note> fresh = List.of(aNote().build(), aNote().build(), aNote().build());
            long before = stableInvocations(stack);

            List<Object> outcomes = Flux.concat(
                            Flux.fromIterable(fresh).map(notes::create),
                            Flux.just(notes.create(clash),
                                    notes.update(kept.id(), new NoteChanges(Optional.of("renamed"), Optional.empty()),
                                            Instant.now()),
                                    notes.delete(doomed.id()),
                                    notes.delete(NoteId.generate())))
                    .flatMapSequential(call -> call.<Object>map(result -> result).onErrorResume(Mono::just))
                    .collectList().block(WAIT);

            assertEquals(2, stableInvocations(stack) - before,
                    "one invocation for the eight calls, one for the read that tells a clash from a retried create");
            assertEquals(fresh, outcomes.subList(0, 3));
            assertInstanceOf(PermanentFailureException.class, outcomes.get(3), "only the clashing create fails");
            assertEquals("renamed", assertInstanceOf(Note.class, outcomes.get(4)).title());
            assertEquals(List.of(true, false), outcomes.subList(5, 7));
            assertEquals(4L, notes.count().block(WAIT));
        }
    }

    @Test
    void aBatchRefusedWhole_isSentAgainCallByCall_soCallsThatFitAloneSucceed_andOnlyTheCallAtFaultFails() {
        try (LocalProxyStack stack = new LocalProxyStack(10, Map.of("PROXY_MAX_REQUEST_BYTES", "8000"));
                NoteRepository notes = stack.repository(PATIENT_BATCHES)) {
            List<Note> fitting = List.of(aNote().withDescription("a".repeat(3_000)).build(),
                    aNote().withDescription("b".repeat(3_000)).build(),
                    aNote().withDescription("c".repeat(3_000)).build());
            Note tooLarge = aNote().withDescription("d".repeat(9_000)).build();
            long before = stableInvocations(stack);

            List<Object> outcomes = Flux.just(notes.create(fitting.get(0)), notes.create(tooLarge),
                            notes.create(fitting.get(1)), notes.create(fitting.get(2)))
                    .flatMapSequential(call -> call.<Object>map(result -> result).onErrorResume(Mono::just))
                    .collectList().block(WAIT);

            assertEquals(List.of(fitting.get(0), fitting.get(1), fitting.get(2)),
                    List.of(outcomes.get(0), outcomes.get(2), outcomes.get(3)));
            PermanentFailureException refused = assertInstanceOf(PermanentFailureException.class, outcomes.get(1));
            assertTrue(refused.getMessage().startsWith("proxy error VALIDATION"), refused.getMessage());
            assertEquals(5, stableInvocations(stack) - before, "the batch refused whole, then each call alone");
            assertEquals(3L, notes.count().block(WAIT));
        }
    }

    @Test
    void callsOfDifferentCallers_neverShareABatch() {
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = stack.repository(PATIENT_BATCHES)) {
            Note note = notes.create(aNote().build()).block(WAIT);
            CallerContext first = new CallerContext("business-1", Instant.now().plusSeconds(20));
            CallerContext second = new CallerContext("business-2", Instant.now().plusSeconds(20));
            long before = stableInvocations(stack);

            List<Note> found = Flux.just(notes.findById(note.id()).contextWrite(first::into),
                            notes.findById(note.id()).contextWrite(second::into), notes.findById(note.id()))
                    .flatMapSequential(call -> call)
                    .collectList().block(WAIT);

            assertEquals(List.of(note, note, note), found);
            assertEquals(3, stableInvocations(stack) - before, "one batch per caller");
        }
    }

    @Test
    void aCallMadeAfterItsCallersDeadline_failsWithTimeout_withoutInvokingTheProxy_andSparesTheOthers() {
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = stack.repository(PATIENT_BATCHES)) {
            Note note = notes.create(aNote().build()).block(WAIT);
            CallerContext gaveUp = new CallerContext("business-1", Instant.now().minusSeconds(1));
            CallerContext waiting = new CallerContext("business-2", Instant.now().plusSeconds(20));
            long before = stableInvocations(stack);

            List<Object> outcomes = Flux.just(notes.findById(note.id()).contextWrite(gaveUp::into),
                            notes.findById(note.id()).contextWrite(waiting::into))
                    .flatMapSequential(call -> call.<Object>map(result -> result).onErrorResume(Mono::just))
                    .collectList().block(WAIT);

            TransientFailureException late = assertInstanceOf(TransientFailureException.class, outcomes.get(0));
            assertEquals(Reason.TIMEOUT, late.reason());
            assertEquals(note, outcomes.get(1));
            assertEquals(1, stableInvocations(stack) - before, "only the waiting caller's call was sent");
        }
    }

    @Test
    void concurrentReadsWhoseAnswersTogetherOverflowTheResponse_eachGetTheirOwn_theOverflowSentAgainAlone() {
        try (LocalProxyStack stack = new LocalProxyStack(10, Map.of("PROXY_MAX_RESPONSE_BYTES", "65536"));
                NoteRepository notes = stack.repository(PATIENT_BATCHES)) {
            Flux.range(0, 5).concatMap(i -> notes.create(aNote().withDescription("z".repeat(8_000)).build()))
                    .blockLast(WAIT);
            long before = stableInvocations(stack);

            List<NotePage> pages = Flux.just(notes.listNewestFirst(NotePageRequest.first(5)),
                            notes.listNewestFirst(NotePageRequest.first(5)))
                    .flatMapSequential(page -> page).collectList().block(WAIT);

            assertEquals(List.of(5, 5), pages.stream().map(page -> page.notes().size()).toList());
            assertEquals(2, stableInvocations(stack) - before, "the batch, then the read that did not fit, alone");
        }
    }

    @Test
    void findByIdsWhoseNotesDoNotFitInOneResponse_isSplitUntilTheyDo_andFindsThemAll() {
        try (LocalProxyStack stack = new LocalProxyStack(10, Map.of("PROXY_MAX_RESPONSE_BYTES", "65536"));
                NoteRepository notes = stack.repository(Map.of())) {
            List<Note> created = Flux.range(0, 12)
                    .concatMap(i -> notes.create(aNote().withDescription("w".repeat(8_000)).build()))
                    .collectList().block(WAIT);
            long before = stableInvocations(stack);

            List<Note> found = notes.findByIds(created.stream().map(Note::id).toList()).collectList().block(WAIT);

            assertEquals(Set.copyOf(created), Set.copyOf(found));
            assertEquals(3, stableInvocations(stack) - before, "12 notes refused as too large, then 6 and 6");
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
    void close_endsTheClientsThread_andLaterCallsFail() {
        try (LocalProxyStack stack = new LocalProxyStack(10)) {
            long before = clientThreads();
            NoteRepository notes = stack.repository(Map.of());
            assertEquals(0L, notes.count().block(WAIT));
            assertEquals(before + 1, clientThreads(), "the client runs on one thread of its own");

            notes.close();

            assertEquals(before, clientThreadsOnceEnded(before), "closing ended its thread");
            assertInstanceOf(PermanentFailureException.class, failureOf(notes.count()));
        }
    }

    @Test
    void aRepositoryOnACallersClient_usesIt_andLeavesItOpenWhenClosed() {
        try (LocalProxyStack stack = new LocalProxyStack(10)) {
            LambdaProxySettings settings = LambdaProxySettings.fromEnv(stack.environment(Map.of()));
            try (LambdaAsyncClient lambda = DbProxyClient.lambdaClient(settings.proxy())) {
                NoteRepository notes = LambdaProxyNoteRepositoryProvider.create(settings, lambda);
                Note note = notes.create(aNote().build()).block(WAIT);
                long before = stableInvocations(stack);

                notes.close();
                InvokeResponse afterClose = lambda.invoke(request -> request.functionName(LocalProxyStack.PROXY)
                        .payload(SdkBytes.fromUtf8String("{}"))).join();

                assertEquals(200, afterClose.statusCode(), "the caller's client still invokes");
                assertEquals(before + 1, stableInvocations(stack), "that invocation reached the proxy");
                assertInstanceOf(PermanentFailureException.class, failureOf(notes.findById(note.id())));
            }
        }
    }

    @Test
    void warmUp_invokesTheProxyWithDryRun_soLambdaChecksIt_withoutRunningTheProxy() {
        try (LocalProxyStack stack = new LocalProxyStack(10)) {
            LambdaProxySettings settings = LambdaProxySettings.fromEnv(stack.environment(Map.of()));
            List<String> sent = new CopyOnWriteArrayList<>();
            ExecutionInterceptor recorder = new ExecutionInterceptor() {
                @Override
                public void afterExecution(Context.AfterExecution execution, ExecutionAttributes attributes) {
                    InvokeRequest request = (InvokeRequest) execution.request();
                    sent.add(request.invocationTypeAsString() + " " + execution.httpResponse().statusCode());
                }
            };
            try (LambdaAsyncClient lambda = LambdaAsyncClient.builder()
                    .region(Region.of(settings.proxy().region()))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .endpointOverride(settings.proxy().endpoint().orElseThrow())
                    .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(recorder))
                    .build();
                    NoteRepository notes = LambdaProxyNoteRepositoryProvider.create(settings, lambda)) {
                long before = stableInvocations(stack);

                notes.warmUp().block(WAIT);

                assertEquals(List.of("DryRun 204"), sent, "one DryRun, which the proxy function exists for");
                assertEquals(before, stableInvocations(stack), "the proxy did not run");
            }
        }
    }

    @Test
    void warmUp_ofAnUnknownProxyFunction_completesAnyway_andTheFirstCallReportsIt() {
        try (LocalProxyStack stack = new LocalProxyStack(10);
                NoteRepository notes = stack.repository(Map.of("NOTES_PROXY_FUNCTION", "no-such-function"))) {

            assertEquals(null, notes.warmUp().block(WAIT));

            assertInstanceOf(PermanentFailureException.class, failureOf(notes.count()));
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
    /** The proxy's invocation count once it has stayed the same for 100 ms (at most {@link #WAIT}). */
    private static long stableInvocations(LocalProxyStack stack) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long seen = -1;
        long now = stack.proxyInvocations();
        while (now != seen) {
            assertTrue(System.nanoTime() < deadline, "the proxy's invocations kept changing for " + WAIT);
            seen = now;
            Mono.delay(Duration.ofMillis(100)).block();
            now = stack.proxyInvocations();
        }
        return now;
    }

    private static Throwable failureOf(Mono<?> operation) {
        return operation.then().materialize().block(WAIT).getThrowable();
    }

    /**
     * The client threads left once at most {@code expected} remain, or after a second: a loop's termination is
     * signalled from its thread's last steps, so on a busy machine the thread may outlive {@code close()} by a moment.
     */
    private static long clientThreadsOnceEnded(long expected) {
        long waitUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (clientThreads() > expected && System.nanoTime() < waitUntil) {
            LockSupport.parkNanos(1_000_000);
        }
        return clientThreads();
    }

    private static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("db-proxy-client"))
                .count();
    }
}
