package dev.dbproxy.lambda.environment;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * One structured log line, a JSON object on one line, in the shape of Lambda's JSON log format: {@code timestamp}
 * (ISO-8601, UTC, milliseconds), {@code level}, {@code message}, then the fields added in order, so CloudWatch Logs
 * Insights discovers every field whatever the function's log format setting. The business functions and the DB proxy
 * write all their lines with it.
 *
 * <p>Hand-written rather than a logging framework's JSON layout: in a fresh JVM the first line of Powertools for AWS
 * Lambda's logging module (log4j2 JSON template layout) took about 480 ms and 2,000 more classes, this one about
 * 10 ms (see {@code proxy-handler/README.md}, Logging), and Lambda bills and waits for every cold start.
 *
 * <p>Write it with {@code LambdaLogger.log(String)}, without a level: with the function's default log format (text)
 * Lambda stores the line as it is, one JSON object, while the runtime's leveled {@code log(String, LogLevel)} would
 * prefix it with {@code [ERROR]}; with the JSON log format Lambda nests the line as its {@code message}.
 *
 * <p>Field values are written as given: the callers put only their own names, numbers and codes in them. Error
 * messages, which libraries write, go through {@link #causes(Throwable)}, which hides credentials.
 */
public final class JsonLogLine {

    /** The severities, named as Lambda's log levels. */
    public enum Level {
        INFO, WARN, ERROR
    }

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final StringBuilder json = new StringBuilder(256);

    JsonLogLine(Instant timestamp, Level level, String message) {
        Objects.requireNonNull(level, "level");
        json.append("{\"timestamp\":\"").append(TIMESTAMP.format(timestamp)).append("\",\"level\":\"")
                .append(level.name()).append('"');
        string("message", message);
    }

    /** A line written now. */
    public static JsonLogLine of(Level level, String message) {
        return new JsonLogLine(Instant.now(), level, message);
    }

    /** Adds a string field; a {@code null} value is written as JSON {@code null}. */
    public JsonLogLine string(String name, String value) {
        name(name);
        if (value == null) {
            json.append("null");
        } else {
            quoted(value);
        }
        return this;
    }

    /** Adds an array of strings. */
    public JsonLogLine strings(String name, List<String> values) {
        name(name).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            quoted(values.get(i));
        }
        json.append(']');
        return this;
    }

    /** Adds an integer field. */
    public JsonLogLine number(String name, long value) {
        name(name).append(value);
        return this;
    }

    /** Adds a decimal field; a value that is not finite is written as JSON {@code null}. */
    public JsonLogLine number(String name, double value) {
        if (Double.isFinite(value)) {
            name(name).append(value);
        } else {
            name(name).append("null");
        }
        return this;
    }

    /** Adds a boolean field. */
    public JsonLogLine bool(String name, boolean value) {
        name(name).append(value);
        return this;
    }

    /**
     * Adds {@code errorType} (the error's simple class name) and {@code causes}: an array of
     * {@code {"type", "message", "thrownAt"}} objects, the error's {@link CauseChain}, credentials hidden.
     */
    public JsonLogLine causes(Throwable error) {
        string("errorType", error.getClass().getSimpleName());
        name("causes").append('[');
        boolean first = true;
        for (CauseChain.Cause cause : CauseChain.of(error).causes()) {
            json.append(first ? "{" : ",{");
            first = false;
            json.append("\"type\":");
            quoted(cause.type());
            json.append(",\"message\":");
            quoted(cause.message());
            json.append(",\"thrownAt\":");
            quoted(cause.thrownAt());
            json.append('}');
        }
        json.append(']');
        return this;
    }

    /** The line as one JSON object, without a line break. */
    @Override
    public String toString() {
        return json + "}";
    }

    private StringBuilder name(String name) {
        json.append(',');
        quoted(name);
        return json.append(':');
    }

    /** A JSON string (RFC 8259): quote, backslash and control characters escaped, so the line stays one line. */
    private void quoted(String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
