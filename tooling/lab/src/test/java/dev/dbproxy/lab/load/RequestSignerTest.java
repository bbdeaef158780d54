package dev.dbproxy.lab.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The lab's SigV4 signatures are the ones botocore (the signer of the AWS CLI and boto3, which nobody here wrote)
 * computes for the same request, credentials and instant.
 */
class RequestSignerTest {

    private static final Instant AT = Instant.parse("2026-12-08T00:30:00Z");
    private static final URI LIST = URI.create("https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/proxy/notes?limit=20");

    @Test
    void aSignedGet_carriesBotocoresSignature_forTheSameRequestCredentialsAndInstant() throws Exception {
        RequestSigner signer = RequestSigner.sigV4("eu-west-1", StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")),
                Clock.fixed(AT, ZoneOffset.UTC));

        HttpRequest signed = signer.get(LIST, Duration.ofSeconds(5));

        Map<String, String> headers = headers(signed);
        assertEquals(botocoreAuthorization(LIST, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null, headers),
                headers.get("authorization"));
        assertTrue(headers.get("authorization").contains("/eu-west-1/execute-api/aws4_request"), headers.toString());
    }

    @Test
    void sessionCredentials_signTheSecurityToken_asBotocoreDoes() throws Exception {
        RequestSigner signer = RequestSigner.sigV4("us-east-1", StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "token/with+chars=")),
                Clock.fixed(AT, ZoneOffset.UTC));
        URI get = URI.create("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/direct/notes/665f1c2e8a1b2c3d4e5f6a01");

        Map<String, String> headers = headers(signer.get(get, Duration.ofSeconds(5)));

        assertEquals("token/with+chars=", headers.get("x-amz-security-token"));
        assertEquals(botocoreAuthorization(get, "ASIAEXAMPLE", "secret", "token/with+chars=", headers),
                headers.get("authorization"));
    }

    @Test
    void forBaseUrl_signsForTheRegionOfAnApiGatewayEndpoint_andLeavesOtherUrlsUnsigned_unlessARegionIsGiven() {
        assertEquals(Optional.of("eu-west-1"), RequestSigner.forBaseUrl(LIST, Optional.empty()).region());
        assertFalse(RequestSigner.forBaseUrl(URI.create("http://127.0.0.1:3000"), Optional.empty()).signs());
        assertEquals(Optional.of("ap-south-1"), RequestSigner.forBaseUrl(URI.create("https://notes.example.com"),
                Optional.of("ap-south-1")).region());
        assertTrue(RequestSigner.UNSIGNED.get(LIST, Duration.ofSeconds(5)).headers().map().isEmpty());
    }

    private static Map<String, String> headers(HttpRequest request) {
        Map<String, String> headers = new TreeMap<>();
        request.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                String.join(",", values)));
        return headers;
    }

    /**
     * botocore's {@code Authorization} header for a GET of {@code uri} carrying the signed request's other headers,
     * its clock set to {@link #AT}.
     */
    private static String botocoreAuthorization(URI uri, String keyId, String secret, String token,
            Map<String, String> signedHeaders) throws IOException, InterruptedException {
        String headers = signedHeaders.entrySet().stream()
                .filter(header -> !header.getKey().equals("authorization") && !header.getKey().equals("x-amz-date")
                        && !header.getKey().equals("x-amz-security-token"))
                .map(header -> "'" + header.getKey() + "': '" + header.getValue() + "'")
                .collect(Collectors.joining(", ", "{", "}"));
        String script = String.join("\n",
                "import datetime, botocore.auth",
                "from botocore.auth import SigV4Auth",
                "from botocore.awsrequest import AWSRequest",
                "from botocore.credentials import Credentials",
                "botocore.auth.get_current_datetime = lambda *a, **k: datetime.datetime(2026, 12, 8, 0, 30, 0)",
                "request = AWSRequest(method='GET', url='" + uri + "', headers=" + headers + ")",
                "region = '" + uri.getHost().split("\\.")[2] + "'",
                "credentials = Credentials('" + keyId + "', '" + secret + "', " + (token == null ? "None" : "'" + token + "'") + ")",
                "SigV4Auth(credentials, 'execute-api', region).add_auth(request)",
                "print(request.headers['Authorization'])");
        Process python = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
        assertTrue(python.waitFor(30, TimeUnit.SECONDS), "python3 with botocore answered in 30 s");
        String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, python.exitValue(), "python3 with botocore (pip install botocore): " + printed);
        List<String> lines = printed.lines().toList();
        return lines.getLast();
    }
}
