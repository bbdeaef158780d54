package dev.dbproxy.lab.bench;

import dev.dbproxy.lambda.platform.FunctionDefinition;
import dev.dbproxy.lambda.platform.FunctionMetrics;
import dev.dbproxy.lambda.platform.InvocationResult;
import dev.dbproxy.lambda.platform.LocalLambdaPlatform;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bson.types.ObjectId;

/**
 * Prints the cold starts of a business function ({@code GetNoteHandler}, {@code GET /notes/{id}}) with each strategy,
 * without and with the init-phase warm-up ({@code NOTES_WARM_UP}): the init duration and the duration of the first
 * invocation of fresh environments, each a redeployment with its own class loader, which loads every library afresh
 * as a new Lambda sandbox does. The DB proxy is warm, so the figures are the business function's own. The four
 * configurations take turns, round after round, in a new order each round (shuffled, fixed seed); the first round
 * pays for the JVM's own warm-up and is left out of the means.
 */
public final class BusinessColdStartMain {

    private static final int ROUNDS = 5;
    private static final String HANDLER = "dev.dbproxy.notes.sample.GetNoteHandler";

    private BusinessColdStartMain() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedMongoDb db = EmbeddedMongoDb.start();
                LocalLambdaPlatform platform = LocalLambdaPlatform.start()) {
            platform.deploy(BenchmarkProxyFunction.on(db));
            platform.invoke(BenchmarkProxyFunction.NAME, ("{\"version\":1,\"requestId\":\"warm\",\"deadlineEpochMillis\":"
                    + Instant.now().plus(Duration.ofDays(1)).toEpochMilli() + ",\"operations\":[{\"action\":"
                    + "\"countDocuments\",\"database\":\"notes\",\"collection\":\"notes\"}]}")
                    .getBytes(StandardCharsets.UTF_8)).get();
            Map<String, List<double[]>> measured = new LinkedHashMap<>();
            for (String strategy : List.of("direct", "lambda-proxy")) {
                for (boolean warmUp : List.of(false, true)) {
                    String name = "get-" + strategy + (warmUp ? "-warmed-up" : "");
                    platform.deploy(FunctionDefinition.builder(name, HANDLER)
                            .memoryMb(512).timeout(Duration.ofSeconds(10))
                            .environmentVariable("NOTES_REPOSITORY", strategy)
                            .environmentVariable("NOTES_WARM_UP", Boolean.toString(warmUp))
                            .environmentVariable("MONGODB_URI", db.connectionString())
                            .environmentVariable("NOTES_PROXY_FUNCTION", BenchmarkProxyFunction.NAME)
                            .environmentVariable("AWS_ENDPOINT_URL_LAMBDA", platform.invokeEndpoint().toString())
                            .build());
                    measured.put(name, new ArrayList<>());
                }
            }
            System.out.printf("Business function cold starts on the local platform (GET /notes/{id}, fresh environments,"
                    + " %d rounds, ms)%n", ROUNDS);
            Random orders = new Random(20261127);
            List<Map.Entry<String, List<double[]>>> order = new ArrayList<>(measured.entrySet());
            for (int round = 1; round <= ROUNDS; round++) {
                Collections.shuffle(order, orders);
                for (Map.Entry<String, List<double[]>> function : order) {
                    if (round > 1) {
                        platform.redeploy(function.getKey());
                    }
                    platform.resetMetrics();
                    InvocationResult result = platform.invoke(function.getKey(), getNote()).get();
                    if (!(result instanceof InvocationResult.Completed completed)
                            || !new String(completed.payload(), StandardCharsets.UTF_8).contains("\"statusCode\":404")) {
                        throw new IllegalStateException(function.getKey() + " did not answer 404: " + result);
                    }
                    FunctionMetrics metrics = platform.metrics(function.getKey());
                    double[] figures = {metrics.initDuration().max(), metrics.duration().max()};
                    function.getValue().add(figures);
                    System.out.printf("  round %d  %-26s init %7.1f   first invocation %7.1f   together %7.1f%n", round,
                            function.getKey(), figures[0], figures[1], figures[0] + figures[1]);
                }
            }
            System.out.printf("means over rounds 2 to %d:%n", ROUNDS);
            measured.forEach((name, rounds) -> {
                List<double[]> counted = rounds.subList(1, rounds.size());
                double init = counted.stream().mapToDouble(figures -> figures[0]).average().orElseThrow();
                double first = counted.stream().mapToDouble(figures -> figures[1]).average().orElseThrow();
                System.out.printf("  %-26s init %7.1f   first invocation %7.1f   together %7.1f%n", name, init, first,
                        init + first);
            });
        }
        System.exit(0);
    }

    /** {@code GET /notes/{id}} of an id no note has, as API Gateway's HTTP API sends it: the answer is a 404. */
    private static byte[] getNote() {
        String id = new ObjectId().toHexString();
        return ("{\"version\":\"2.0\",\"routeKey\":\"GET /notes/{id}\",\"rawPath\":\"/notes/" + id + "\","
                + "\"rawQueryString\":\"\",\"headers\":{\"accept\":\"application/json\"},\"requestContext\":{\"http\":"
                + "{\"method\":\"GET\",\"path\":\"/notes/" + id + "\"},\"requestId\":\"cold-start\","
                + "\"routeKey\":\"GET /notes/{id}\",\"stage\":\"$default\"},\"pathParameters\":{\"id\":\"" + id + "\"},"
                + "\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8);
    }
}
