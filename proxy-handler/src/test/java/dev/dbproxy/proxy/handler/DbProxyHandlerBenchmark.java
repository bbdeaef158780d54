package dev.dbproxy.proxy.handler;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the proxy handler adds to a database read, measured side by side in one run against the embedded server:
 * the raw reactive driver (the floor) versus the handler's whole invocation (read the request bytes, check the policy,
 * run the same read, write the response bytes); then the Extended JSON of one stored note, by the driver's writer and
 * by the handler's own renderer. Not the network hop of a Lambda invoke: that is the adapter's benchmark. Prints
 * figures; stops only if a response is an error or the renderer's text differs from the driver's.
 *
 * <p>Run: {@code mvn -B -q -pl proxy-handler -am verify -DskipTests -DskipITs -Pproxy-benchmark}
 */
public final class DbProxyHandlerBenchmark {

    private static final int DOCUMENTS = 1_000;
    private static final int WARMUP = 3_000;
    private static final int MEASURED = 5_000;
    private static final int BATCH = 10;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private DbProxyHandlerBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start();
             MongoClient raw = MongoClients.create(MongoClientSettings.builder()
                     .applyConnectionString(new ConnectionString(mongoDb.connectionString()))
                     .applyToConnectionPoolSettings(pool -> pool.maxSize(1)).build());
             DbProxyHandler handler = new DbProxyHandler(
                     DbProxySettings.fromEnv(HandlerInvoker.environment(mongoDb.connectionString())))) {
            MongoCollection<Document> notes = raw.getDatabase("app").getCollection("notes");
            List<ObjectId> ids = insertNotes(notes);
            TestContext context = TestContext.withRemaining(Duration.ofHours(1));

            byte[][] single = new byte[DOCUMENTS][];
            byte[][] batch = new byte[DOCUMENTS][];
            for (int i = 0; i < DOCUMENTS; i++) {
                single[i] = request(findOne(ids.get(i)));
                List<String> operations = new ArrayList<>();
                for (int j = 0; j < BATCH; j++) {
                    operations.add(findOne(ids.get((i + j) % DOCUMENTS)));
                }
                batch[i] = request(String.join(",", operations));
            }

            for (int i = 0; i < WARMUP; i++) {
                rawFindOne(notes, ids.get(i % DOCUMENTS));
                invoke(handler, single[i % DOCUMENTS], context);
                invoke(handler, batch[i % DOCUMENTS], context);
            }
            long[] rawNanos = new long[MEASURED];
            long[] handlerNanos = new long[MEASURED];
            long[] rawTenNanos = new long[MEASURED];
            long[] handlerBatchNanos = new long[MEASURED];
            for (int i = 0; i < MEASURED; i++) {
                int k = i % DOCUMENTS;
                long t0 = System.nanoTime();
                rawFindOne(notes, ids.get(k));
                long t1 = System.nanoTime();
                invoke(handler, single[k], context);
                long t2 = System.nanoTime();
                for (int j = 0; j < BATCH; j++) {
                    rawFindOne(notes, ids.get((k + j) % DOCUMENTS));
                }
                long t3 = System.nanoTime();
                invoke(handler, batch[k], context);
                long t4 = System.nanoTime();
                rawNanos[i] = t1 - t0;
                handlerNanos[i] = t2 - t1;
                rawTenNanos[i] = t3 - t2;
                handlerBatchNanos[i] = t4 - t3;
            }

            System.out.printf(Locale.ROOT, "DbProxyHandlerBenchmark: %d measured iterations after %d warm-up, JDK %s%n",
                    MEASURED, WARMUP, Runtime.version());
            print("raw driver findOne by _id (floor)", rawNanos, rawNanos);
            print("handler findOne by _id (bytes in, bytes out)", handlerNanos, rawNanos);
            print("raw driver, 10 findOne in sequence (floor)", rawTenNanos, rawTenNanos);
            print("handler, one batch of 10 findOne", handlerBatchNanos, rawTenNanos);
            printRendering(raw.getDatabase("app").getCollection("notes", RawBsonDocument.class));
        }
    }

    /** Extended JSON of the stored notes by the driver's writer (the floor) and by the handler's own renderer. */
    private static void printRendering(MongoCollection<RawBsonDocument> notes) {
        List<RawBsonDocument> stored = Flux.from(notes.find()).collectList().block(WAIT);
        long[] driverNanos = new long[MEASURED];
        long[] renderedNanos = new long[MEASURED];
        int characters = 0;
        for (int i = 0; i < WARMUP * 10 + MEASURED; i++) {
            RawBsonDocument note = stored.get(i % stored.size());
            long t0 = System.nanoTime();
            String expected = note.toJson(ExtendedJsonText.CANONICAL);
            long t1 = System.nanoTime();
            String rendered = ExtendedJsonText.of(note, ExtendedJsonText.CANONICAL);
            long t2 = System.nanoTime();
            if (!rendered.equals(expected)) {
                throw new IllegalStateException("rendered " + rendered + " instead of " + expected);
            }
            if (i >= WARMUP * 10) {
                driverNanos[i - WARMUP * 10] = t1 - t0;
                renderedNanos[i - WARMUP * 10] = t2 - t1;
                characters = rendered.length();
            }
        }
        System.out.printf(Locale.ROOT, "Extended JSON (canonical) of one stored note, %d characters:%n", characters);
        print("driver's JsonWriter (floor)", driverNanos, driverNanos);
        print("handler's ExtendedJsonText", renderedNanos, driverNanos);
    }

    private static List<ObjectId> insertNotes(MongoCollection<Document> notes) {
        List<Document> documents = new ArrayList<>();
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            ObjectId id = new ObjectId();
            ids.add(id);
            documents.add(new Document("_id", id).append("title", "note " + i).append("text", "x".repeat(200))
                    .append("createdAt", new Date(1_717_495_200_000L + i)).append("views", (long) i));
        }
        Mono.from(notes.insertMany(documents)).block(WAIT);
        return ids;
    }

    private static void rawFindOne(MongoCollection<Document> notes, ObjectId id) {
        if (Mono.from(notes.find(new Document("_id", id)).first()).block(WAIT) == null) {
            throw new IllegalStateException("missing note " + id);
        }
    }

    private static String findOne(ObjectId id) {
        return HandlerInvoker.op("findOne", "\"filter\": {\"_id\": {\"$oid\": \"" + id.toHexString() + "\"}}");
    }

    private static byte[] request(String operations) {
        return ("{\"version\": 1, \"requestId\": \"bench\", \"deadlineEpochMillis\": 4102444800000,"
                + " \"operations\": [" + operations + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static void invoke(DbProxyHandler handler, byte[] body, TestContext context) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream(1024);
        handler.handleRequest(new ByteArrayInputStream(body), output, context);
        if (output.size() < 100 || indexOf(output.toByteArray(), "\"error\"") >= 0) {
            throw new IllegalStateException("unexpected response " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static int indexOf(byte[] bytes, String text) {
        return new String(bytes, StandardCharsets.UTF_8).indexOf(text);
    }

    private static void print(String what, long[] nanos, long[] baseline) {
        long p50 = percentile(nanos, 50);
        long p99 = percentile(nanos, 99);
        System.out.printf(Locale.ROOT, "  %-48s p50 %7.1f us  p99 %7.1f us  p50 ratio to floor %.2f%n", what,
                p50 / 1_000.0, p99 / 1_000.0, (double) p50 / percentile(baseline, 50));
    }

    private static long percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }
}
