package dev.dbproxy.lambda.environment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An error and its causes as a log line can carry them: for each, its class, its message with credentials hidden
 * ({@link CredentialRedaction}) and the frame that threw it. A stack trace is what a user needs to diagnose a failure,
 * but it is long, multi-line and repeats library messages verbatim (a driver's message may quote the connection
 * string); this keeps the part that explains the failure, bounded: at most {@value #MAX_CAUSES} causes of at most
 * {@value #MAX_MESSAGE_CHARS} characters of message each.
 *
 * @param causes the error first, then its cause, and so on
 */
public record CauseChain(List<Cause> causes) {

    /** Causes kept; a deeper chain ends with the last of them. */
    public static final int MAX_CAUSES = 8;
    /** Characters kept of each message; a longer one ends with {@code …}. */
    public static final int MAX_MESSAGE_CHARS = 300;

    /**
     * One error of the chain.
     *
     * @param type    the class name, fully qualified ({@code com.mongodb.MongoSocketOpenException})
     * @param message the message, credentials hidden and cut to {@value #MAX_MESSAGE_CHARS} characters; empty when the
     *                error has none
     * @param thrownAt the first frame of its stack trace ({@code Class.method(File.java:12)}); empty when it has none
     */
    public record Cause(String type, String message, String thrownAt) {

        public Cause {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(thrownAt, "thrownAt");
        }
    }

    public CauseChain {
        causes = List.copyOf(causes);
    }

    /** The chain of {@code error}, followed through {@link Throwable#getCause()}, stopping at a cycle. */
    public static CauseChain of(Throwable error) {
        Objects.requireNonNull(error, "error");
        List<Cause> causes = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = error; current != null && causes.size() < MAX_CAUSES && seen.add(current);
                current = current.getCause()) {
            StackTraceElement[] frames = current.getStackTrace();
            causes.add(new Cause(current.getClass().getName(), bounded(CredentialRedaction.redact(current.getMessage())),
                    frames.length == 0 ? "" : frames[0].toString()));
        }
        return new CauseChain(causes);
    }

    /** Redacted before it is cut, so that a cut can never leave part of a credential the redaction would have hidden. */
    private static String bounded(String message) {
        if (message == null) {
            return "";
        }
        if (message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        int end = Character.isHighSurrogate(message.charAt(MAX_MESSAGE_CHARS - 1)) ? MAX_MESSAGE_CHARS - 1
                : MAX_MESSAGE_CHARS;
        return message.substring(0, end) + "…";
    }
}
