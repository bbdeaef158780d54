package dev.dbproxy.lab.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dbproxy.lab.result.ComparisonResult;
import dev.dbproxy.lab.result.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes and reads a {@link ComparisonResult} as the pretty-printed JSON file documented in
 * {@code lab/RESULTS-SCHEMA.md}.
 *
 * <p>The document is indented, except that each time-series sample takes one line: a long run has thousands of
 * them, and one per line keeps the file a few times smaller and easy to grep. JSON has no NaN, and a latency
 * percentile of an interval without requests is NaN: every {@code double} that is NaN or infinite is written as
 * {@code null}, and {@code null} reads back as NaN. Instants are ISO-8601 strings, map keys are sorted so that two
 * runs of the same lab diff cleanly. Reading is strict: an unknown field, a missing field or another
 * {@code schemaVersion} fails rather than producing a result that silently means something else.
 */
public final class ResultJson {

    private final ObjectWriter writer;
    private final ObjectMapper mapper;

    private ResultJson(ObjectWriter writer, ObjectMapper mapper) {
        this.writer = writer;
        this.mapper = mapper;
    }

    /** A reader and writer of the current {@link ComparisonResult#SCHEMA_VERSION}. */
    public static ResultJson create() {
        ObjectMapper compact = mapper(nanAsNull());
        SimpleModule oneSamplePerLine = nanAsNull();
        oneSamplePerLine.addSerializer(Sample.class, new OneLineSerializer<>(Sample.class, compact));
        ObjectMapper mapper = mapper(oneSamplePerLine);
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return new ResultJson(mapper.writer(pretty), mapper);
    }

    private static SimpleModule nanAsNull() {
        SimpleModule nanAsNull = new SimpleModule("nan-as-null");
        nanAsNull.addSerializer(Double.TYPE, new NanAsNullSerializer(Double.TYPE));
        nanAsNull.addSerializer(Double.class, new NanAsNullSerializer(Double.class));
        nanAsNull.addDeserializer(Double.TYPE, new NullAsNanDeserializer(Double.TYPE));
        nanAsNull.addDeserializer(Double.class, new NullAsNanDeserializer(Double.class));
        return nanAsNull;
    }

    private static ObjectMapper mapper(SimpleModule module) {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(module)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .build();
    }

    /** The result as pretty-printed JSON. */
    public String toJson(ComparisonResult result) {
        try {
            return writer.writeValueAsString(result) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the comparison result as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses a result.
     *
     * @throws IllegalArgumentException if the text is not a comparison result of the current schema version
     */
    public ComparisonResult fromJson(String json) {
        ComparisonResult result;
        try {
            result = mapper.readValue(json, ComparisonResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a comparison result: " + e.getOriginalMessage()
                    + " at " + e.getLocation(), e);
        }
        if (result.schemaVersion() != ComparisonResult.SCHEMA_VERSION) {
            throw new IllegalArgumentException("the comparison result has schemaVersion " + result.schemaVersion()
                    + ", this lab reads schemaVersion " + ComparisonResult.SCHEMA_VERSION);
        }
        return result;
    }

    /**
     * Writes the result to a UTF-8 file, replacing it if it exists.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public void writeTo(ComparisonResult result, Path file) {
        try {
            Files.writeString(file, toJson(result), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the comparison result to " + file, e);
        }
    }

    /**
     * Reads a result from a UTF-8 file.
     *
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException if it is not a comparison result of the current schema version
     */
    public ComparisonResult readFrom(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the comparison result from " + file, e);
        }
        return fromJson(json);
    }

    /** Writes a value compactly, on one line, inside the indented document. */
    private static final class OneLineSerializer<T> extends StdSerializer<T> {
        private final ObjectMapper compact;

        OneLineSerializer(Class<T> type, ObjectMapper compact) {
            super(type);
            this.compact = compact;
        }

        @Override
        public void serialize(T value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeRawValue(compact.writeValueAsString(value));
        }
    }

    private static final class NanAsNullSerializer extends StdScalarSerializer<Double> {
        NanAsNullSerializer(Class<Double> type) {
            super(type, false);
        }

        @Override
        public void serialize(Double value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (value.isNaN() || value.isInfinite()) {
                generator.writeNull();
            } else {
                generator.writeNumber(value);
            }
        }
    }

    private static final class NullAsNanDeserializer extends StdScalarDeserializer<Double> {
        NullAsNanDeserializer(Class<Double> type) {
            super(type);
        }

        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            return (Double) context.handleUnexpectedToken(Double.TYPE, parser);
        }

        @Override
        public Double getNullValue(DeserializationContext context) {
            return Double.NaN;
        }
    }
}
