package dev.dbproxy.proxy.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds and reads the MongoDB Extended JSON (v2) values that BSON types become on the wire, without the MongoDB
 * driver.
 *
 * <p>The builders write the <em>canonical</em> form, which keeps every type exactly. The readers accept both the
 * canonical and the <em>relaxed</em> form (a plain JSON number for a number, an ISO-8601 string for a date), so they
 * work whichever {@link ExtendedJsonMode} a request asked for. Readers throw {@link IllegalArgumentException} when the
 * node is not a value of the expected type.
 */
public final class ExtendedJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");

    private ExtendedJson() {
    }

    /** {@code {"$oid": "…"}} for the 24 hexadecimal digits of an ObjectId (written in lower case). */
    public static ObjectNode objectId(String hex) {
        if (hex == null || !OBJECT_ID.matcher(hex).matches()) {
            throw new IllegalArgumentException("an ObjectId is 24 hexadecimal digits");
        }
        return NODES.objectNode().put("$oid", hex.toLowerCase(Locale.ROOT));
    }

    /** {@code {"$date": {"$numberLong": "…"}}}: a BSON date, which keeps milliseconds (finer digits are dropped). */
    public static ObjectNode date(Instant instant) {
        ObjectNode millis = NODES.objectNode().put("$numberLong", Long.toString(instant.toEpochMilli()));
        ObjectNode date = NODES.objectNode();
        date.set("$date", millis);
        return date;
    }

    /** {@code {"$numberInt": "…"}}: a 32-bit integer. */
    public static ObjectNode int32(int value) {
        return NODES.objectNode().put("$numberInt", Integer.toString(value));
    }

    /** {@code {"$numberLong": "…"}}: a 64-bit integer. */
    public static ObjectNode int64(long value) {
        return NODES.objectNode().put("$numberLong", Long.toString(value));
    }

    /** {@code {"$numberDouble": "…"}}: a double, including {@code Infinity}, {@code -Infinity} and {@code NaN}. */
    public static ObjectNode doubleValue(double value) {
        String text;
        if (Double.isNaN(value)) {
            text = "NaN";
        } else if (Double.isInfinite(value)) {
            text = value > 0 ? "Infinity" : "-Infinity";
        } else {
            text = Double.toString(value);
        }
        return NODES.objectNode().put("$numberDouble", text);
    }

    /** {@code {"$numberDecimal": "…"}}: a Decimal128, which keeps the scale ({@code 1.10} stays {@code 1.10}). */
    public static ObjectNode decimal128(BigDecimal value) {
        return NODES.objectNode().put("$numberDecimal", value.toString());
    }

    /** {@code {"$binary": {"base64": "…", "subType": "…"}}}: binary data of a BSON subtype (0 for generic). */
    public static ObjectNode binary(byte[] data, int subType) {
        if (subType < 0 || subType > 0xff) {
            throw new IllegalArgumentException("a binary subtype is between 0 and 255");
        }
        ObjectNode binary = NODES.objectNode()
                .put("base64", Base64.getEncoder().encodeToString(data))
                .put("subType", HexFormat.of().toHexDigits((byte) subType));
        ObjectNode value = NODES.objectNode();
        value.set("$binary", binary);
        return value;
    }

    /**
     * A node that is written verbatim: JSON text that is already serialized, such as a document the MongoDB driver
     * rendered. The caller guarantees that the text is one valid JSON value. Reading it back gives a normal tree.
     */
    public static JsonNode preSerialized(String json) {
        return NODES.rawValueNode(new RawValue(json));
    }

    /** The hex digits (lower case) of an ObjectId value {@code {"$oid": "…"}}. */
    public static String readObjectId(JsonNode node) {
        String hex = wrapped(node, "$oid", "an ObjectId").asText();
        if (!OBJECT_ID.matcher(hex).matches()) {
            throw new IllegalArgumentException("an ObjectId is 24 hexadecimal digits");
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    /**
     * The instant of a date: canonical {@code {"$date": {"$numberLong": "…"}}}, relaxed {@code {"$date": "ISO-8601"}},
     * or legacy {@code {"$date": millis}}.
     */
    public static Instant readDate(JsonNode node) {
        JsonNode value = wrapped(node, "$date", "a date");
        if (value.isTextual()) {
            try {
                return Instant.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("a relaxed date is an ISO-8601 string such as 2024-05-01T12:00:00Z");
            }
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        return Instant.ofEpochMilli(parseLong(wrapped(value, "$numberLong", "a date").asText()));
    }

    /** A 64-bit integer: {@code {"$numberLong": "…"}}, {@code {"$numberInt": "…"}} or a plain JSON integer. */
    public static long readInt64(JsonNode node) {
        if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node != null && node.has("$numberInt")) {
            return readInt32(node);
        }
        return parseLong(wrapped(node, "$numberLong", "a 64-bit integer").asText());
    }

    /** A 32-bit integer: {@code {"$numberInt": "…"}} or a plain JSON integer that fits. */
    public static int readInt32(JsonNode node) {
        if (node != null && node.isIntegralNumber() && node.canConvertToInt()) {
            return node.asInt();
        }
        String text = wrapped(node, "$numberInt", "a 32-bit integer").asText();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("$numberInt must hold a 32-bit integer");
        }
    }

    /** A double: {@code {"$numberDouble": "…"}} or a plain JSON number. */
    public static double readDouble(JsonNode node) {
        if (node != null && node.isNumber()) {
            return node.asDouble();
        }
        String text = wrapped(node, "$numberDouble", "a double").asText();
        return switch (text) {
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("$numberDouble must hold a number, Infinity, -Infinity or NaN");
                }
            }
        };
    }

    /** A Decimal128 {@code {"$numberDecimal": "…"}}, scale included. */
    public static BigDecimal readDecimal128(JsonNode node) {
        String text = wrapped(node, "$numberDecimal", "a Decimal128").asText();
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("$numberDecimal must hold a decimal number");
        }
    }

    /**
     * The bytes of binary data: canonical {@code {"$binary": {"base64": "…", "subType": "…"}}} or legacy
     * {@code {"$binary": "…", "$type": "…"}}.
     */
    public static byte[] readBinary(JsonNode node) {
        JsonNode value = wrapped(node, "$binary", "binary data");
        String base64 = value.isObject() ? value.path("base64").asText() : value.asText();
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("$binary must hold base64 data");
        }
    }

    private static JsonNode wrapped(JsonNode node, String key, String what) {
        if (node == null || !node.isObject() || !node.has(key)) {
            throw new IllegalArgumentException("expected " + what + " as {\"" + key + "\": …}");
        }
        return node.get(key);
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("$numberLong must hold a 64-bit integer");
        }
    }
}
