package dev.dbproxy.lab.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signs the lab's requests to a deployed notes API with AWS Signature Version 4 for {@code execute-api}: the SAM
 * template's routes require {@code AWS_IAM} authorization, so API Gateway refuses an unsigned request with 403. The
 * SDK's own signer does the work, with credentials from the SDK's default chain (environment, profile, SSO, ...);
 * the local {@code serve} takes requests either way.
 */
public final class RequestSigner {

    /** Sends every request as it is. */
    public static final RequestSigner UNSIGNED = new RequestSigner(null, null, null);

    private static final String SERVICE = "execute-api";
    /** {@code https://{api-id}.execute-api.{region}.amazonaws.com}: the region of an API Gateway endpoint. */
    private static final Pattern EXECUTE_API_HOST = Pattern.compile("[a-z0-9]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com");
    /** Set by the JDK's HTTP client itself, from the URI (the same value the signature covers). */
    private static final List<String> SET_BY_THE_CLIENT = List.of("host");
    /** Stateless and thread-safe: one for every virtual user's every request. */
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;

    private RequestSigner(String region, AwsCredentialsProvider credentials, Clock clock) {
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Signs for {@code region} with {@code credentials}, dated by {@code clock}. */
    public static RequestSigner sigV4(String region, AwsCredentialsProvider credentials, Clock clock) {
        return new RequestSigner(Objects.requireNonNull(region, "region"), Objects.requireNonNull(credentials,
                "credentials"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Signs for the region of {@code baseUrl} when it is an API Gateway endpoint ({@code *.execute-api.REGION.
     * amazonaws.com}), with the SDK's default credentials; else (a custom domain, {@code serve}) for
     * {@code region} if given, or not at all.
     */
    public static RequestSigner forBaseUrl(URI baseUrl, Optional<String> region) {
        Matcher apiGateway = EXECUTE_API_HOST.matcher(String.valueOf(baseUrl.getHost()).toLowerCase(Locale.ROOT));
        Optional<String> signingRegion = region.or(() -> apiGateway.matches() ? Optional.of(apiGateway.group(1))
                : Optional.empty());
        return signingRegion.map(name -> sigV4(name, DefaultCredentialsProvider.builder().build(), Clock.systemUTC()))
                .orElse(UNSIGNED);
    }

    /** Whether requests get a signature. */
    public boolean signs() {
        return region != null;
    }

    /** The region requests are signed for; empty when they are not signed. */
    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    /** A {@code GET} of {@code uri}, signed unless this signer is {@link #UNSIGNED}. */
    public HttpRequest get(URI uri, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (!signs()) {
            return request.build();
        }
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build();
        SignedRequest signed = SIGNER.sign(sign -> sign
                .identity(credentials.resolveCredentials())
                .request(unsigned)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        signed.request().headers().forEach((name, values) -> {
            if (!SET_BY_THE_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }
}
