package dev.dbproxy.proxy.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The HTTP client the SDK's Lambda client runs on ({@code DB_PROXY_HTTP_CLIENT}). The JDK's needs nothing shipped; the
 * AWS CRT's is AWS's recommendation for Lambda start-up, at the price of a native library in the deployment jar, so a
 * function chooses it by adding {@code software.amazon.awssdk:aws-crt-client} and asking for it.
 */
public enum HttpClientType {

    /** The JDK's own {@code java.net.http.HttpClient}: no dependency, no native code. */
    JDK,

    /**
     * The AWS CRT HTTP client: needs {@code software.amazon.awssdk:aws-crt-client} (with its
     * {@code software.amazon.awssdk.crt:aws-crt} native library for the function's architecture) on the class path.
     */
    CRT;

    /**
     * The class-path resource through which a deployment jar names its default ({@code http-client=crt}), so that a
     * jar built with the CRT runs on it without a variable in the function's configuration.
     */
    public static final String JAR_DEFAULT_RESOURCE = "META-INF/dev.dbproxy/proxy-client.properties";

    /**
     * The type the variable {@code name} of {@code env} names ({@code jdk} or {@code crt}); unset, the
     * {@link #jarDefault()}.
     *
     * @throws IllegalArgumentException naming the variable when its value is neither
     */
    static HttpClientType fromEnv(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return jarDefault();
        }
        return parse(value).orElseThrow(() -> new IllegalArgumentException(
                name + " must be jdk or crt, was '" + value + "'"));
    }

    /**
     * The type the deployment jar names in {@link #JAR_DEFAULT_RESOURCE} ({@code http-client}), else {@link #JDK}.
     *
     * @throws IllegalStateException naming the resource when its value is neither {@code jdk} nor {@code crt}
     */
    public static HttpClientType jarDefault() {
        try (InputStream in = HttpClientType.class.getClassLoader().getResourceAsStream(JAR_DEFAULT_RESOURCE)) {
            if (in == null) {
                return JDK;
            }
            Properties properties = new Properties();
            properties.load(in);
            String value = properties.getProperty("http-client", "jdk");
            return parse(value).orElseThrow(() -> new IllegalStateException(
                    JAR_DEFAULT_RESOURCE + ": http-client must be jdk or crt, was '" + value + "'"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + JAR_DEFAULT_RESOURCE, e);
        }
    }

    private static Optional<HttpClientType> parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "jdk" -> Optional.of(JDK);
            case "crt" -> Optional.of(CRT);
            default -> Optional.empty();
        };
    }
}
