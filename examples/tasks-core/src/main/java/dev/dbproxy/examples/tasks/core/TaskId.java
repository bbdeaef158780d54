package dev.dbproxy.examples.tasks.core;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A task's id: 24 lowercase hex digits, the text of a MongoDB ObjectId, so that both adapters store it as the
 * document's {@code _id}. The caller generates it ({@link #generate()}) before adding the task, so that a retried add
 * carries the same id and cannot store the task twice.
 *
 * @param value 24 lowercase hex digits
 */
public record TaskId(String value) {

    private static final Pattern HEX_24 = Pattern.compile("[0-9a-f]{24}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public TaskId {
        Objects.requireNonNull(value, "value");
        if (!HEX_24.matcher(value).matches()) {
            throw new InvalidTaskException("id", "must be 24 lowercase hex digits");
        }
    }

    /**
     * The id written as {@code text} (any case, surrounding spaces ignored).
     *
     * @throws InvalidTaskException naming the field {@code id} when {@code text} is missing or not 24 hex digits
     */
    public static TaskId parse(String text) {
        if (text == null) {
            throw new InvalidTaskException("id", "is required");
        }
        return new TaskId(text.strip().toLowerCase(Locale.ROOT));
    }

    /** A new id: the current second (as an ObjectId starts) and 8 random bytes. */
    public static TaskId generate() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        int seconds = (int) Instant.now().getEpochSecond();
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) (seconds >>> (24 - 8 * i));
        }
        return new TaskId(HexFormat.of().formatHex(bytes));
    }
}
