package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ExtendedJsonText} writes every document exactly as the driver's JSON writer does, in both modes. */
class ExtendedJsonTextTest {

    private static final List<JsonWriterSettings> MODES = List.of(ExtendedJsonText.CANONICAL, ExtendedJsonText.RELAXED);

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("double", new BsonDouble(1.0)),
                Arguments.of("negative zero", new BsonDouble(-0.0)),
                Arguments.of("large double, positive exponent", new BsonDouble(1.23456789e300)),
                Arguments.of("double with E+ after toString", new BsonDouble(1e7)),
                Arguments.of("small double", new BsonDouble(-4.9e-324)),
                Arguments.of("NaN", new BsonDouble(Double.NaN)),
                Arguments.of("infinity", new BsonDouble(Double.POSITIVE_INFINITY)),
                Arguments.of("minus infinity", new BsonDouble(Double.NEGATIVE_INFINITY)),
                Arguments.of("ascii string", new BsonString("benchmark / notes: 100% {ok} [1] (a|b) ~`^$#@!")),
                Arguments.of("empty string", new BsonString("")),
                Arguments.of("escapes", new BsonString("quote \" backslash \\ \b\f\n\r\t nul \u0000 del \u007f")),
                Arguments.of("accents and CJK", new BsonString("café Größe 東京 Ωμέγα")),
                Arguments.of("emoji (surrogate pair)", new BsonString("note \uD83D\uDE00 done")),
                Arguments.of("format and separator characters", new BsonString("a\u200Db\u2028c\u00ADd\uFEFF")),
                Arguments.of("lone surrogate", new BsonString("x\uD800y")),
                Arguments.of("object id", new BsonObjectId(new ObjectId("6b094b50d4b87cf96f4de27c"))),
                Arguments.of("true", BsonBoolean.TRUE),
                Arguments.of("false", BsonBoolean.FALSE),
                Arguments.of("date epoch", new BsonDateTime(0)),
                Arguments.of("date with milliseconds", new BsonDateTime(1_764_234_567_891L)),
                Arguments.of("date before 1970", new BsonDateTime(-1)),
                Arguments.of("last date of year 9999", new BsonDateTime(253402300799999L)),
                Arguments.of("date after year 9999", new BsonDateTime(253402300800000L)),
                Arguments.of("null", BsonNull.VALUE),
                Arguments.of("int32", new BsonInt32(Integer.MIN_VALUE)),
                Arguments.of("int64", new BsonInt64(Long.MAX_VALUE)),
                Arguments.of("empty document", new BsonDocument()),
                Arguments.of("empty array", new BsonArray()),
                Arguments.of("array", new BsonArray(List.of(new BsonInt32(1), new BsonString("two"),
                        new BsonDocument("three", new BsonArray(List.of(BsonNull.VALUE)))))),
                Arguments.of("binary (driver-rendered)", new BsonBinary(new byte[] {1, 2, 3})),
                Arguments.of("decimal (driver-rendered)", new BsonDecimal128(Decimal128.parse("12.50"))),
                Arguments.of("timestamp (driver-rendered)", new BsonTimestamp(1_700_000_000, 7)),
                Arguments.of("regex (driver-rendered)", new BsonRegularExpression("^a.*", "im")),
                Arguments.of("javascript (driver-rendered)", new BsonJavaScript("function() {}")),
                Arguments.of("symbol (driver-rendered)", new BsonSymbol("s")),
                Arguments.of("min key (driver-rendered)", new BsonMinKey()),
                Arguments.of("max key (driver-rendered)", new BsonMaxKey()),
                Arguments.of("undefined (driver-rendered)", new BsonUndefined()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void eachValue_asTheDriverWritesIt_inBothModes_alsoNestedAndAfterOtherFields(String name, BsonValue value) {
        assertSameAsDriver(new BsonDocument("v", value));
        assertSameAsDriver(new BsonDocument("_id", new BsonObjectId(new ObjectId()))
                .append("nested", new BsonDocument("list", new BsonArray(List.of(value, value))))
                .append("last", value));
    }

    @Test
    void fieldNamesAreEscapedAsTheDriverEscapesThem() {
        assertSameAsDriver(new BsonDocument("quote\"name", new BsonInt32(1)).append("tab\tname", new BsonInt32(2))
                .append("ünïcödé", new BsonInt32(3)).append("", new BsonInt32(4)).append("$set", new BsonInt32(5)));
    }

    @Test
    void randomDocuments_asTheDriverWritesThem() {
        Random random = new Random(20261127);
        for (int i = 0; i < 2_000; i++) {
            assertSameAsDriver(randomDocument(random, 3));
        }
    }

    @Test
    void commonTypesAreRenderedFromTheBytes_othersAreLeftToTheDriver() {
        RawBsonDocument common = raw(new BsonDocument("_id", new BsonObjectId(new ObjectId()))
                .append("title", new BsonString("t")).append("at", new BsonDateTime(0)).append("n", new BsonInt64(1)));
        RawBsonDocument uncommon = raw(new BsonDocument("title", new BsonString("t"))
                .append("price", new BsonDecimal128(Decimal128.parse("1.5"))));

        assertEquals(common.toJson(ExtendedJsonText.CANONICAL), ExtendedJsonText.ofCommonTypes(common, false));
        assertEquals(common.toJson(ExtendedJsonText.RELAXED), ExtendedJsonText.ofCommonTypes(common, true));
        assertNull(ExtendedJsonText.ofCommonTypes(uncommon, false));
        assertEquals(uncommon.toJson(ExtendedJsonText.CANONICAL),
                ExtendedJsonText.of(uncommon, ExtendedJsonText.CANONICAL));
    }

    static Stream<Arguments> malformedDocuments() {
        // {"s": "ab"} is 15 bytes: size, type 0x02, name "s\0", length 3, "ab\0", terminator.
        byte[] wellFormed = {15, 0, 0, 0, 0x02, 's', 0, 3, 0, 0, 0, 'a', 'b', 0, 0};
        return Stream.of(
                Arguments.of("string length negative",
                        with(wellFormed, 7, (byte) 0xFC, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF)),
                Arguments.of("string length past the document", with(wellFormed, 7, (byte) 100)),
                Arguments.of("string length zero", with(wellFormed, 7, (byte) 0)),
                Arguments.of("string not null-terminated", with(wellFormed, 13, (byte) 'c')),
                Arguments.of("document size too small", with(wellFormed, 0, (byte) 4)),
                Arguments.of("document size too large", with(wellFormed, 0, (byte) 16)),
                Arguments.of("document not terminated", with(wellFormed, 14, (byte) 1)),
                Arguments.of("field name runs to the end",
                        new byte[] {9, 0, 0, 0, 0x0A, 's', 't', 'u', 0}),
                Arguments.of("embedded document larger than its parent",
                        new byte[] {13, 0, 0, 0, 0x03, 'd', 0, 40, 0, 0, 0, 0, 0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDocuments")
    void malformedBytes_areLeftToTheDriver_neverLoopedOver(String name, byte[] bytes) {
        RawBsonDocument raw = new RawBsonDocument(bytes);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertNull(ExtendedJsonText.ofCommonTypes(raw, false));
            for (JsonWriterSettings mode : MODES) {
                RuntimeException driver = assertThrows(RuntimeException.class, () -> raw.toJson(mode));
                RuntimeException ours = assertThrows(RuntimeException.class, () -> ExtendedJsonText.of(raw, mode));
                assertEquals(driver.getClass(), ours.getClass());
            }
        });
    }

    private static byte[] with(byte[] bytes, int at, byte... replacement) {
        byte[] changed = bytes.clone();
        System.arraycopy(replacement, 0, changed, at, replacement.length);
        return changed;
    }

    private static void assertSameAsDriver(BsonDocument document) {
        RawBsonDocument raw = raw(document);
        for (JsonWriterSettings mode : MODES) {
            assertEquals(raw.toJson(mode), ExtendedJsonText.of(raw, mode),
                    () -> mode.getOutputMode() + ": " + document);
        }
    }

    private static RawBsonDocument raw(BsonDocument document) {
        return new RawBsonDocument(document, new BsonDocumentCodec());
    }

    private static BsonDocument randomDocument(Random random, int depth) {
        BsonDocument document = new BsonDocument();
        int fields = random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            document.append(randomText(random, 8) + i, randomValue(random, depth));
        }
        return document;
    }

    private static BsonValue randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 13 : 11)) {
            case 0 -> new BsonDouble(switch (random.nextInt(4)) {
                case 0 -> random.nextDouble();
                case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(600) - 300);
                case 2 -> random.nextInt(1000);
                default -> Double.longBitsToDouble(random.nextLong());
            });
            case 1, 2 -> new BsonString(randomText(random, 20));
            case 3 -> new BsonObjectId(new ObjectId());
            case 4 -> BsonBoolean.valueOf(random.nextBoolean());
            case 5 -> new BsonDateTime(random.nextBoolean() ? random.nextLong() : random.nextLong(0, 253402400000000L));
            case 6 -> BsonNull.VALUE;
            case 7 -> new BsonInt32(random.nextInt());
            case 8 -> new BsonInt64(random.nextLong());
            case 9 -> new BsonInt64(random.nextInt(100));
            case 10 -> random.nextInt(20) == 0 ? new BsonDecimal128(new Decimal128(random.nextLong()))
                    : new BsonString("plain");
            case 11 -> randomDocument(random, depth - 1);
            default -> {
                BsonArray array = new BsonArray();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(randomValue(random, depth - 1));
                }
                yield array;
            }
        };
    }

    /** Mostly ASCII, with any other code point now and then: controls, accents, CJK, emoji, lone surrogates. */
    private static String randomText(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(4) > 0) {
                text.append((char) random.nextInt(0x20, 0x7F));
            } else {
                int codePoint = random.nextInt(0x110000);
                if (codePoint >= 0xD800 && codePoint <= 0xDFFF && random.nextBoolean()) {
                    text.append((char) codePoint);
                } else if (codePoint != 0 && !(codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                    text.appendCodePoint(codePoint);
                } else {
                    text.append((char) random.nextInt(0x01, 0x20));
                }
            }
        }
        return text.toString();
    }
}
