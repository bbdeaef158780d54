package dev.dbproxy.lambda.platform.environment;

import java.nio.charset.StandardCharsets;

/** The log of one invocation, as the {@code X-Amz-Log-Result} tail shows it. Thread-safe. */
public final class InvocationLog {

    /** Lambda returns at most the last 4 KB of the log. */
    private static final int TAIL_BYTES = 4096;

    private final StringBuilder text = new StringBuilder();

    /** Appends one line; a line break is added when missing. */
    public synchronized void append(String line) {
        text.append(line);
        if (line.isEmpty() || line.charAt(line.length() - 1) != '\n') {
            text.append('\n');
        }
    }

    /** Everything logged so far. */
    public synchronized String text() {
        return text.toString();
    }

    /** The last 4 KB of the log, cut at a character boundary. */
    public String tail() {
        String all = text();
        byte[] bytes = all.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= TAIL_BYTES) {
            return all;
        }
        int start = bytes.length - TAIL_BYTES;
        while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }
}
