package dev.dbproxy.proxy.handler;

import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import org.bson.RawBsonDocument;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.RawBsonDocumentCodec;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriter;
import org.bson.json.JsonWriterSettings;

/**
 * Result documents as Extended JSON text, exactly as the driver's {@link JsonWriter} writes them, but rendered
 * straight from the BSON bytes when the document holds only the common types (double, string, document, array,
 * ObjectId, boolean, date, null, int32, int64), four to ten times faster: the driver's writer decodes every value
 * into a boxed object, passes it through a converter and a state machine, and writes character by character. A
 * document with any other type (binary, decimal, timestamp, regular expression...), or whose sizes do not add up, is
 * left to the driver's writer (which reports malformed bytes as it always did). {@code ExtendedJsonTextTest} checks
 * that both give the same text, character for character.
 */
final class ExtendedJsonText {

    /** Canonical Extended JSON: every number and date keeps its BSON type. */
    static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
    /** Relaxed Extended JSON: numbers as JSON numbers, dates from 1970 to 9999 as ISO-8601 text. */
    static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private static final long LAST_MILLISECOND_OF_YEAR_9999 = 253402300799999L;
    private static final RawBsonDocumentCodec RAW_DOCUMENTS = new RawBsonDocumentCodec();
    private static final EncoderContext ENCODING = EncoderContext.builder().build();
    private static final HexFormat HEX = HexFormat.of();

    private final ByteBuffer bson;
    private final boolean relaxed;
    private final StringBuilder text;

    private ExtendedJsonText(ByteBuffer bson, boolean relaxed, StringBuilder text) {
        this.bson = bson;
        this.relaxed = relaxed;
        this.text = text;
    }

    /** The document as Extended JSON in the mode of {@code settings}, {@link #CANONICAL} or {@link #RELAXED}. */
    static String of(RawBsonDocument document, JsonWriterSettings settings) {
        if (settings == CANONICAL || settings == RELAXED) {
            String text = ofCommonTypes(document, settings == RELAXED);
            if (text != null) {
                return text;
            }
        }
        StringBuilder text = new StringBuilder(2 * document.getByteBuffer().remaining());
        RAW_DOCUMENTS.encode(new JsonWriter(new TextWriter(text), settings), document, ENCODING);
        return text.toString();
    }

    /** The document rendered from its bytes, or {@code null} when it holds a type this class leaves to the driver. */
    static String ofCommonTypes(RawBsonDocument document, boolean relaxed) {
        ByteBuffer bytes = document.getByteBuffer().asNIO();
        StringBuilder text = new StringBuilder(2 * bytes.remaining());
        try {
            new ExtendedJsonText(bytes, relaxed, text).document(bytes.position(), false, bytes.limit());
            return text.toString();
        } catch (LeftToTheDriverException leftToTheDriver) {
            return null;
        }
    }

    /**
     * Writes the document or array whose size field is at {@code start} and which must end by {@code limit}. Sizes
     * that do not add up leave the document to the driver's writer, which reports it as malformed.
     */
    private void document(int start, boolean array, int limit) {
        int size = bson.getInt(start);
        if (size < 5 || size > limit - start) {
            throw new LeftToTheDriverException();
        }
        int end = start + size - 1;
        int at = start + 4;
        text.append(array ? '[' : '{');
        boolean first = true;
        while (at < end) {
            byte type = bson.get(at);
            int nameEnd = at + 1;
            while (nameEnd < end && bson.get(nameEnd) != 0) {
                nameEnd++;
            }
            if (nameEnd == end) {
                throw new LeftToTheDriverException();
            }
            if (!first) {
                text.append(", ");
            }
            first = false;
            if (!array) {
                string(at + 1, nameEnd - at - 1);
                text.append(": ");
            }
            at = value(type, nameEnd + 1, end);
        }
        if (at != end || bson.get(end) != 0) {
            throw new LeftToTheDriverException();
        }
        text.append(array ? ']' : '}');
    }

    /**
     * Writes the value of BSON type {@code type} that starts at {@code at}, inside a document that ends at
     * {@code end}; returns where the next element starts.
     */
    private int value(byte type, int at, int end) {
        switch (type) {
            case 0x01 -> {
                double value = bson.getDouble(at);
                if (relaxed && Double.isFinite(value)) {
                    text.append(doubleText(value));
                } else {
                    text.append("{\"$numberDouble\": \"").append(doubleText(value)).append("\"}");
                }
                return at + 8;
            }
            case 0x02 -> {
                int length = bson.getInt(at);
                if (length < 1 || length > end - at - 4 || bson.get(at + 3 + length) != 0) {
                    throw new LeftToTheDriverException();
                }
                string(at + 4, length - 1);
                return at + 4 + length;
            }
            case 0x03, 0x04 -> {
                document(at, type == 0x04, end);
                return at + bson.getInt(at);
            }
            case 0x07 -> {
                byte[] id = new byte[12];
                bson.get(at, id);
                text.append("{\"$oid\": \"").append(HEX.formatHex(id)).append("\"}");
                return at + 12;
            }
            case 0x08 -> {
                text.append(bson.get(at) != 0 ? "true" : "false");
                return at + 1;
            }
            case 0x09 -> {
                long millis = bson.getLong(at);
                if (relaxed && millis >= 0 && millis <= LAST_MILLISECOND_OF_YEAR_9999) {
                    text.append("{\"$date\": \"").append(ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis),
                            ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append("\"}");
                } else {
                    text.append("{\"$date\": {\"$numberLong\": \"").append(millis).append("\"}}");
                }
                return at + 8;
            }
            case 0x0A -> {
                text.append("null");
                return at;
            }
            case 0x10 -> {
                int value = bson.getInt(at);
                number(Integer.toString(value), "$numberInt");
                return at + 4;
            }
            case 0x12 -> {
                long value = bson.getLong(at);
                number(Long.toString(value), "$numberLong");
                return at + 8;
            }
            default -> throw new LeftToTheDriverException();
        }
    }

    private void number(String digits, String canonicalWrapper) {
        if (relaxed) {
            text.append(digits);
        } else {
            text.append("{\"").append(canonicalWrapper).append("\": \"").append(digits).append("\"}");
        }
    }

    /** As the driver writes a double: {@link Double#toString(double)} with a {@code +} before a positive exponent. */
    private static String doubleText(double value) {
        String text = Double.toString(value);
        int exponent = text.indexOf('E');
        if (exponent < 0 || text.charAt(exponent + 1) == '-') {
            return text;
        }
        return text.substring(0, exponent + 1) + '+' + text.substring(exponent + 1);
    }

    /** Writes the UTF-8 bytes at {@code at} as a JSON string, escaped as the driver's writer escapes. */
    private void string(int at, int length) {
        text.append('"');
        boolean plain = true;
        for (int i = at; i < at + length; i++) {
            byte b = bson.get(i);
            if (b < 0x20 || b == '"' || b == '\\' || b == 0x7F) {
                plain = false;
                break;
            }
        }
        if (plain) {
            // Printable ASCII needs no escape and decodes byte for byte.
            text.append(new String(bson.array(), bson.arrayOffset() + at, length, StandardCharsets.ISO_8859_1));
        } else {
            escape(new String(bson.array(), bson.arrayOffset() + at, length, StandardCharsets.UTF_8));
        }
        text.append('"');
    }

    /** The escaping of the driver's {@code StrictCharacterStreamJsonWriter}, for text that needs some. */
    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (writtenAsIs(c)) {
                        text.append(c);
                    } else {
                        text.append("\\u").append(HEX.toHexDigits(c));
                    }
                }
            }
        }
    }

    /** The character classes the driver's writer leaves unescaped; everything else becomes {@code \\uXXXX}. */
    private static boolean writtenAsIs(char c) {
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER,
                 Character.OTHER_NUMBER, Character.SPACE_SEPARATOR, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** A value of a type this class does not render, or bytes that are not well-formed BSON. */
    private static final class LeftToTheDriverException extends RuntimeException {
        LeftToTheDriverException() {
            super(null, null, false, false);
        }
    }

    /** A {@link Writer} into a {@link StringBuilder}: no locking, unlike {@link java.io.StringWriter}. */
    private static final class TextWriter extends Writer {
        private final StringBuilder text;

        TextWriter(StringBuilder text) {
            this.text = text;
        }

        @Override
        public void write(int c) {
            text.append((char) c);
        }

        @Override
        public void write(char[] characters, int offset, int length) {
            text.append(characters, offset, length);
        }

        @Override
        public void write(String string) {
            text.append(string);
        }

        @Override
        public void write(String string, int offset, int length) {
            text.append(string, offset, offset + length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
