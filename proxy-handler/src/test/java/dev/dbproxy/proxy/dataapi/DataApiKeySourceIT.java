package dev.dbproxy.proxy.dataapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.dbproxy.proxy.handler.InvalidProxySettingsException;
import dev.dbproxy.proxy.handler.ProxyPolicy;
import dev.dbproxy.proxy.protocol.ProxyAction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The key records come from one source: the variable, a file, or an SSM parameter read with the real AWS SDK over
 * HTTP (SSM's JSON protocol, {@code X-Amz-Target: AmazonSSM.GetParameter}) from a local endpoint that answers as SSM
 * does, with decryption asked for.
 */
@Timeout(30)
class DataApiKeySourceIT {

    private static final String KEY = DataApiKeys.newKey();
    private static final String RECORDS = DataApiKeys.toJson(List.of(new DataApiKey("reports",
            DataApiKeys.sha256(KEY), new ProxyPolicy("notes", Set.of("notes"), EnumSet.of(ProxyAction.FIND)))));

    private HttpServer ssm;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startSsm() throws IOException {
        ssm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ssm.createContext("/", exchange -> {
            JsonNode request = DataApiStack.json(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            requests.add(request);
            boolean known = "AmazonSSM.GetParameter".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))
                    && "/db-proxy/data-api-keys".equals(request.path("Name").asText());
            byte[] body = (known
                    ? DataApiStack.JSON.createObjectNode().set("Parameter", DataApiStack.JSON.createObjectNode()
                            .put("Name", "/db-proxy/data-api-keys").put("Type", "SecureString")
                            .put("Value", RECORDS).put("Version", 1))
                    : DataApiStack.JSON.createObjectNode().put("__type", "ParameterNotFound")
                            .put("message", "")).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(known ? 200 : 400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ssm.start();
    }

    @AfterEach
    void stopSsm() {
        ssm.stop(0);
    }

    private Supplier<SsmClient> localSsm() {
        return () -> SsmClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + ssm.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    void aParameter_isReadOnceWithDecryption_andItsRecordsAuthenticate() {
        DataApiKeys keys = DataApiKeySource.load(
                Map.of(DataApiKeySource.DATA_API_KEYS_PARAMETER, "/db-proxy/data-api-keys"), localSsm());

        assertEquals("reports", keys.authenticate(KEY).orElseThrow().name());
        assertEquals(1, requests.size());
        assertTrue(requests.getFirst().path("WithDecryption").asBoolean(), requests.toString());
    }

    @Test
    void aMissingParameter_failsTheStart_namingTheVariableAndTheParameter() {
        InvalidProxySettingsException e = assertThrows(InvalidProxySettingsException.class, () ->
                DataApiKeySource.load(Map.of(DataApiKeySource.DATA_API_KEYS_PARAMETER, "/nope"), localSsm()));

        assertTrue(e.getMessage().startsWith("DATA_API_KEYS_PARAMETER: cannot read parameter /nope"), e.getMessage());
    }

    @Test
    void aFileOrTheVariable_holdTheSameRecords(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("keys.json");
        Files.writeString(file, RECORDS);

        assertEquals("reports", DataApiKeySource.load(Map.of(DataApiKeySource.DATA_API_KEYS_FILE, file.toString()))
                .authenticate(KEY).orElseThrow().name());
        assertEquals("reports", DataApiKeySource.load(Map.of(DataApiKeySource.DATA_API_KEYS, RECORDS))
                .authenticate(KEY).orElseThrow().name());
        assertEquals(0, DataApiKeySource.load(Map.of()).size());
    }

    @Test
    void twoSourcesOrAnUnknownVariable_failTheStart() {
        assertThrows(InvalidProxySettingsException.class, () -> DataApiKeySource.load(Map.of(
                DataApiKeySource.DATA_API_KEYS, RECORDS, DataApiKeySource.DATA_API_KEYS_FILE, "/x")));
        InvalidProxySettingsException typo = assertThrows(InvalidProxySettingsException.class, () ->
                DataApiKeySource.load(Map.of("DATA_API_KEY", RECORDS)));
        assertTrue(typo.getMessage().contains("DATA_API_KEY]"), typo.getMessage());
    }
}
