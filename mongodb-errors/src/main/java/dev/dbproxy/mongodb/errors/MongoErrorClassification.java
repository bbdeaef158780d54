package dev.dbproxy.mongodb.errors;

import java.util.Objects;

/**
 * The classification of one MongoDB driver failure, made by {@link MongoErrorClassifier#classify(Throwable)}.
 *
 * @param kind           what happened, in the terms a caller decides on
 * @param mayHaveApplied whether a write that failed this way may have been applied, in part or whole: {@code false}
 *                       only when the driver or the database shows it was not (no server selected, no connection
 *                       opened, refused before running it); a caller warns before repeating a write that is not
 *                       idempotent when this is {@code true}
 * @param description    a sentence about the failure that is safe to show anyone: the classifier's own words and
 *                       the server's error code at most, never a server address, a user name or the driver's message
 * @param detail         the database's or the parser's own words about the operation the caller sent (such as
 *                       {@code unknown operator: $foo} or a duplicate key's value), at most
 *                       {@value MongoErrorClassifier#MAX_DETAIL_CHARACTERS} characters, or empty: fit to show to that
 *                       caller, who sent the values it quotes, not to write into another caller's error
 */
public record MongoErrorClassification(MongoErrorKind kind, boolean mayHaveApplied, String description,
                                       String detail) {

    /** Checks that every part is present: the detail is empty rather than missing. */
    public MongoErrorClassification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(detail, "detail");
    }

    /** The description followed by the detail, for a caller that may see the database's words about its operation. */
    public String descriptionWithDetail() {
        return detail.isEmpty() ? description : description + ": " + detail;
    }
}
