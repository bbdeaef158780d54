package dev.dbproxy.proxy.dataapi;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * How the Data API writes BSON values in a response, chosen by the request's {@code Accept} header as the Data API
 * chose it: {@code application/json} (the default) or {@code application/ejson}.
 */
public enum DataApiFormat {
    /**
     * The Data API's standard JSON: readable by any tool, with type information lost as the Data API lost it. An
     * ObjectId is its 24 hex digits, a date an ISO-8601 string with milliseconds, a Decimal128 its decimal string,
     * binary data {@code {"Subtype": n, "Data": "base64"}}, every number a JSON number (other types as relaxed
     * Extended JSON).
     */
    JSON("application/json", JsonWriterSettings.builder()
            .outputMode(JsonMode.RELAXED)
            .objectIdConverter((value, writer) -> writer.writeString(value.toHexString()))
            .dateTimeConverter((value, writer) -> writer.writeString(DataApiFormat.isoDate(value)))
            .decimal128Converter((value, writer) -> writer.writeString(value.toString()))
            .int64Converter((value, writer) -> writer.writeNumber(Long.toString(value)))
            .binaryConverter((value, writer) -> {
                writer.writeStartObject();
                writer.writeNumber("Subtype", Integer.toString(value.getType() & 0xff));
                writer.writeString("Data", Base64.getEncoder().encodeToString(value.getData()));
                writer.writeEndObject();
            })
            .build()),
    /** Canonical Extended JSON: every BSON type kept, as the Data API answered {@code Accept: application/ejson}. */
    EJSON("application/ejson", JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build());

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String mediaType;
    private final JsonWriterSettings writerSettings;

    DataApiFormat(String mediaType, JsonWriterSettings writerSettings) {
        this.mediaType = mediaType;
        this.writerSettings = writerSettings;
    }

    /** The response's {@code Content-Type}. */
    public String mediaType() {
        return mediaType;
    }

    /** How the driver writes values in this format. */
    public JsonWriterSettings writerSettings() {
        return writerSettings;
    }

    /**
     * The format an {@code Accept} header asks for: {@link #EJSON} when it names {@code application/ejson} before
     * (or without) {@code application/json}, otherwise {@link #JSON}, also when the header is missing or names
     * neither.
     */
    static DataApiFormat accepting(String accept) {
        String value = accept.toLowerCase(Locale.ROOT);
        int ejson = value.indexOf("application/ejson");
        int json = value.indexOf("application/json");
        return ejson >= 0 && (json < 0 || ejson < json) ? EJSON : JSON;
    }

    private static String isoDate(long millis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(millis));
    }
}
