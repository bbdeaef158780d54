package dev.dbproxy.proxy.protocol;

/**
 * How the proxy writes BSON values in a response. Requests may use either mode, even mixed.
 *
 * <p>{@link #CANONICAL} keeps every type exactly ({@code {"$numberInt":"1"}}, {@code {"$numberLong":"1"}},
 * {@code {"$date":{"$numberLong":"…"}}}), so a value read back and written again stays the same type.
 * {@link #RELAXED} writes numbers as plain JSON numbers and dates as ISO-8601 strings, easier to read in JavaScript or
 * Python, but an int64 that fits in an int32 comes back as an int32 if it is written again.
 */
public enum ExtendedJsonMode {
    CANONICAL("canonical"),
    RELAXED("relaxed");

    private final String wireName;

    ExtendedJsonMode(String wireName) {
        this.wireName = wireName;
    }

    /** The mode's name in JSON. */
    public String wireName() {
        return wireName;
    }

    /**
     * The mode with this JSON name.
     *
     * @throws IllegalArgumentException when the name is neither {@code canonical} nor {@code relaxed}
     */
    public static ExtendedJsonMode fromWireName(String wireName) {
        for (ExtendedJsonMode mode : values()) {
            if (mode.wireName.equals(wireName)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("must be \"canonical\" or \"relaxed\"");
    }
}
