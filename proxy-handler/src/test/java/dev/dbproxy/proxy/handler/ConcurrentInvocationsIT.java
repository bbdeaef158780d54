package dev.dbproxy.proxy.handler;

import static dev.dbproxy.proxy.handler.HandlerInvoker.op;
import static dev.dbproxy.proxy.handler.HandlerInvoker.rejection;
import static dev.dbproxy.proxy.handler.HandlerInvoker.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbproxy.lambda.environment.InvocationConcurrency;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * One {@link DbProxyHandler} invoked by many threads at once, as a Lambda Managed Instances environment with
 * {@code AWS_LAMBDA_MAX_CONCURRENCY} runs it: every invocation gets the answer to its own request under its own request
 * id, its own deadline decides whether it runs, its log lines carry its own ids, one of them reports the cold start,
 * and the database never sees more connections than the pool the concurrency gives plus the monitor.
 */
class ConcurrentInvocationsIT {

    private static final int INVOCATIONS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A line the handler logged, with the request id of the invocation whose logger received it. */
    private record Logged(String awsRequestId, JsonNode line) {
    }

    @Test
    void invocationsAtOnce_eachAnswerTheirOwnRequestWithinTheirOwnDeadline_onThePoolAndItsMonitorOnly()
            throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start()) {
            Map<String, String> env = HandlerInvoker.environment(db.connectionString());
            env.put(InvocationConcurrency.MAX_CONCURRENCY, Integer.toString(INVOCATIONS));
            // All invocations wait for the first server discovery at once: on a loaded machine it may take seconds.
            env.put(DbProxySettings.MONGODB_SERVER_SELECTION_TIMEOUT_MS, "10000");
            DbProxySettings settings = DbProxySettings.fromEnv(env);
            assertEquals(2, settings.maxPoolSize(), "64 concurrent invocations: one connection per 32");
            List<Logged> logged = new CopyOnWriteArrayList<>();
            List<JsonNode> answers;
            try (DbProxyHandler handler = new DbProxyHandler(settings)) {
                answers = atOnce(index -> invoke(handler, index, logged));
            }

            for (int index = 0; index < INVOCATIONS; index++) {
                JsonNode answer = answers.get(index);
                assertEquals(callerRequestId(index), answer.path("requestId").asText(), answer::toString);
                if (expired(index)) {
                    assertEquals("TIMEOUT", rejection(answer).path("code").asText(), answer::toString);
                } else {
                    assertEquals(callerRequestId(index), result(answer, 1).path("document").path("owner").asText(),
                            answer::toString);
                }
            }
            assertEquals(1, answers.stream().filter(answer -> answer.path("metadata").path("coldStart").asBoolean())
                    .count(), "exactly one invocation is the cold start");
            assertEquals(INVOCATIONS, logged.stream().filter(entry -> entry.line().has("requestId")).count(),
                    "one request line per invocation: " + logged);
            for (Logged entry : logged) {
                assertEquals(entry.awsRequestId(), entry.line().path("awsRequestId").asText(), entry::toString);
                if (entry.line().has("requestId")) {
                    assertEquals(entry.awsRequestId().replace("aws-", "caller-"),
                            entry.line().path("requestId").asText(), entry::toString);
                }
            }
            long created = db.connectionStats().totalCreated();
            assertTrue(created <= settings.maxPoolSize() + 1, "connections created: " + created);
        }
    }

    /** Odd invocations send a deadline already passed: the proxy must refuse exactly those. */
    private static boolean expired(int index) {
        return index % 2 == 1;
    }

    private static String callerRequestId(int index) {
        return "caller-" + index;
    }

    /** Invocation {@code index}: an ordered insert of its own document and a read of it back. */
    private static JsonNode invoke(DbProxyHandler handler, int index, List<Logged> logged) {
        String awsRequestId = "aws-" + index;
        String documentId = "doc-" + index;
        long deadline = System.currentTimeMillis() + (expired(index) ? -1_000 : 20_000 + index * 10L);
        String request = """
                {"version": 1, "requestId": "%s", "deadlineEpochMillis": %d, "ordered": true, "operations": [%s, %s]}"""
                .formatted(callerRequestId(index), deadline,
                        op("insertOne", "\"document\": {\"_id\": \"" + documentId + "\", \"owner\": \""
                                + callerRequestId(index) + "\"}"),
                        op("findOne", "\"filter\": {\"_id\": \"" + documentId + "\"}"));
        TestContext context = TestContext.of(awsRequestId, Duration.ofSeconds(30),
                line -> logged.add(new Logged(awsRequestId, parse(line))));
        return HandlerInvoker.invoke(handler, request.getBytes(StandardCharsets.UTF_8), context);
    }

    /** Runs {@code invocation} for every index on a thread of its own, all released at once; answers in order. */
    private static List<JsonNode> atOnce(IntFunction<JsonNode> invocation) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(INVOCATIONS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<JsonNode>> running = IntStream.range(0, INVOCATIONS)
                    .mapToObj(index -> threads.submit(() -> {
                        start.await();
                        return invocation.apply(index);
                    }))
                    .toList();
            start.countDown();
            List<JsonNode> answers = new ArrayList<>();
            for (Future<JsonNode> answer : running) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
