package dev.dbproxy.proxy.protocol;

import static dev.dbproxy.proxy.protocol.ProxyJsonCodecRequestTest.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtendedJsonTest {

    private static final ProxyJsonCodec CODEC = ProxyJsonCodec.create();
    private static final Namespace NOTES = Namespace.of("app", "notes");

    @Test
    void everyTypedValue_survivesARequestAndAResponseRoundTrip() {
        Instant createdAt = Instant.parse("2024-05-01T12:34:56.789Z");
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        ObjectNode document = json("{}");
        document.set("_id", ExtendedJson.objectId("65F0C0FFEE0123456789ABCD"));
        document.set("createdAt", ExtendedJson.date(createdAt));
        document.set("small", ExtendedJson.int32(-7));
        document.set("big", ExtendedJson.int64(Long.MAX_VALUE));
        document.set("one", ExtendedJson.int64(1));
        document.set("price", ExtendedJson.decimal128(new BigDecimal("19.90")));
        document.set("ratio", ExtendedJson.doubleValue(0.1));
        document.set("infinite", ExtendedJson.doubleValue(Double.NEGATIVE_INFINITY));
        document.set("nan", ExtendedJson.doubleValue(Double.NaN));
        document.set("payload", ExtendedJson.binary(bytes, 0));

        ProxyRequest request = ProxyRequest.builder().requestId("r").deadline(createdAt)
                .add(ProxyOperation.insertOne(NOTES, document)).build();
        ObjectNode sent = ((ProxyOperation.InsertOne) CODEC.readRequest(CODEC.writeRequest(request))
                .operations().getFirst()).document();
        ProxyResponse response = new ProxyResponse.Completed("r", List.of(new OperationOutcome.Succeeded(
                new OperationResult.FoundOne(sent))), new ResponseMetadata(false, "e", 0));
        JsonNode received = ((OperationResult.FoundOne) ((OperationOutcome.Succeeded)
                ((ProxyResponse.Completed) CODEC.readResponse(CODEC.writeResponse(response))).outcomes().getFirst())
                .result()).document();

        assertEquals(document, received);
        assertEquals("65f0c0ffee0123456789abcd", ExtendedJson.readObjectId(received.get("_id")));
        assertEquals(createdAt, ExtendedJson.readDate(received.get("createdAt")));
        assertEquals(-7, ExtendedJson.readInt32(received.get("small")));
        assertEquals(Long.MAX_VALUE, ExtendedJson.readInt64(received.get("big")));
        assertEquals("{\"$numberLong\":\"1\"}", received.get("one").toString());
        assertEquals(new BigDecimal("19.90"), ExtendedJson.readDecimal128(received.get("price")));
        assertEquals(0.1, ExtendedJson.readDouble(received.get("ratio")));
        assertEquals(Double.NEGATIVE_INFINITY, ExtendedJson.readDouble(received.get("infinite")));
        assertTrue(Double.isNaN(ExtendedJson.readDouble(received.get("nan"))));
        assertArrayEquals(bytes, ExtendedJson.readBinary(received.get("payload")));
    }

    @Test
    void builders_writeTheCanonicalForms() {
        assertEquals("{\"$date\":{\"$numberLong\":\"1700000000000\"}}",
                ExtendedJson.date(Instant.ofEpochMilli(1_700_000_000_000L)).toString());
        assertEquals("{\"$numberInt\":\"5\"}", ExtendedJson.int32(5).toString());
        assertEquals("{\"$numberDecimal\":\"1.10\"}", ExtendedJson.decimal128(new BigDecimal("1.10")).toString());
        assertEquals("{\"$binary\":{\"base64\":\"AQI=\",\"subType\":\"04\"}}",
                ExtendedJson.binary(new byte[] {1, 2}, 4).toString());
        assertEquals("{\"$numberDouble\":\"Infinity\"}",
                ExtendedJson.doubleValue(Double.POSITIVE_INFINITY).toString());
    }

    @Test
    void readers_acceptTheRelaxedAndLegacyForms() {
        assertEquals(Instant.parse("2024-05-01T12:00:00Z"),
                ExtendedJson.readDate(json("{\"$date\": \"2024-05-01T12:00:00Z\"}")));
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L),
                ExtendedJson.readDate(json("{\"$date\": 1700000000000}")));
        assertEquals(9_007_199_254_740_993L, ExtendedJson.readInt64(CODEC.readTree("9007199254740993")));
        assertEquals(5L, ExtendedJson.readInt64(json("{\"$numberInt\": \"5\"}")));
        assertEquals(12, ExtendedJson.readInt32(CODEC.readTree("12")));
        assertEquals(2.5, ExtendedJson.readDouble(CODEC.readTree("2.5")));
        assertArrayEquals(new byte[] {1, 2},
                ExtendedJson.readBinary(json("{\"$binary\": \"AQI=\", \"$type\": \"00\"}")));
    }

    @Test
    void readers_refuseValuesOfAnotherType() {
        assertThrows(IllegalArgumentException.class, () -> ExtendedJson.readObjectId(json("{\"$oid\": \"xyz\"}")));
        assertThrows(IllegalArgumentException.class, () -> ExtendedJson.readDate(json("{\"$date\": \"tomorrow\"}")));
        assertThrows(IllegalArgumentException.class, () -> ExtendedJson.readInt64(CODEC.readTree("\"12\"")));
        assertThrows(IllegalArgumentException.class, () -> ExtendedJson.readInt32(CODEC.readTree("3000000000")));
        assertThrows(IllegalArgumentException.class, () -> ExtendedJson.readDecimal128(json("{\"$numberLong\": \"1\"}")));
        assertThrows(IllegalArgumentException.class, () -> ExtendedJson.objectId("123"));
        assertThrows(IllegalArgumentException.class, () -> ExtendedJson.binary(new byte[0], 256));
    }
}
