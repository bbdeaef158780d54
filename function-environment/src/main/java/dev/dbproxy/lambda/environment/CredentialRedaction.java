package dev.dbproxy.lambda.environment;

import java.util.regex.Pattern;

/**
 * Hides credentials in text about to be logged: exception messages are written by libraries (the MongoDB driver, the
 * AWS SDK) that may quote a connection string, a signed header or a configuration value, and a log line must never
 * carry a secret. What is hidden becomes {@value #HIDDEN}:
 * <ul>
 *   <li>a MongoDB connection string ({@code mongodb://...}, {@code mongodb+srv://...}), whole: its user, password and
 *       options ({@code authMechanismProperties=AWS_SESSION_TOKEN:...}) are all in it;</li>
 *   <li>the user information of any other URI ({@code https://user:pass@host} keeps {@code https://} and
 *       {@code host});</li>
 *   <li>the value of any key whose name contains {@code password}, {@code passwd}, {@code pwd}, {@code secret},
 *       {@code token}, {@code credential}, {@code authorization} or {@code apikey}, written {@code key=value},
 *       {@code key: value} or {@code "key": "value"};</li>
 *   <li>AWS access key ids ({@code AKIA...}, {@code ASIA...}), and any run of 40 or more base64 characters mixing
 *       upper case, lower case and digits (an AWS secret access key is 40, a session token hundreds); hexadecimal
 *       digests and dotted class names do not match.</li>
 * </ul>
 * It is a safety net for text the project does not write itself; the project's own messages never contain a secret.
 */
public final class CredentialRedaction {

    /** What replaces a hidden credential. */
    public static final String HIDDEN = "<hidden>";

    private static final Pattern MONGODB_URI = Pattern.compile("(?i)(mongodb(?:\\+srv)?://)[^\\s\"'<>`]+");
    private static final Pattern URI_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^\\s/@\"'<>`]+@");
    private static final Pattern SECRET_VALUE = Pattern.compile("(?i)([\\w.-]*(?:password|passwd|pwd|secret|token"
            + "|credential|authorization|api[_-]?key)[\\w.-]*\"?\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&}\\])\"']+)");
    private static final Pattern AWS_ACCESS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}\\b");
    private static final Pattern LONG_BASE64 = Pattern.compile("(?<![A-Za-z0-9+/=])"
            + "(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{40,}={0,2}"
            + "(?![A-Za-z0-9+/=])");

    private CredentialRedaction() {
    }

    /** {@code text} with every credential it contains replaced by {@value #HIDDEN}; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String redacted = MONGODB_URI.matcher(text).replaceAll("$1" + HIDDEN);
        redacted = URI_USER_INFO.matcher(redacted).replaceAll("$1" + HIDDEN + "@");
        redacted = SECRET_VALUE.matcher(redacted).replaceAll("$1" + HIDDEN);
        redacted = AWS_ACCESS_KEY_ID.matcher(redacted).replaceAll(HIDDEN);
        return LONG_BASE64.matcher(redacted).replaceAll(HIDDEN);
    }
}
