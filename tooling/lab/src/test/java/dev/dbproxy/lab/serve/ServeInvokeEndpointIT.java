package dev.dbproxy.lab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lambda Invoke endpoint that {@code serve} prints really serves the template's functions to a caller outside
 * the JVM: the AWS CLI, with only that endpoint, a region and dummy credentials, invokes the DB proxy function with
 * a request written as {@code proxy-protocol/PROTOCOL.md} specifies, and reads back from the stack's database the
 * document that request inserted. Needs the AWS CLI on the PATH (installed on the build machines:
 * {@code pip install awscli}).
 */
class ServeInvokeEndpointIT {

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalNotesStack stack;

    @TempDir
    Path folder;

    @BeforeAll
    static void startStack() {
        stack = LocalNotesStack.start();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void printedInvokeEndpoint_letsTheAwsCliInvokeTheDbProxy() throws Exception {
        String endpoint = printedInvokeEndpoint();
        String request = """
                {"version": 1, "requestId": "cli-check", "deadlineEpochMillis": 4102444800000, "operations": [
                  {"action": "insertOne", "database": "notes", "collection": "notes",
                   "document": {"_id": "cli-note", "title": "from the AWS CLI"}},
                  {"action": "findOne", "database": "notes", "collection": "notes", "filter": {"_id": "cli-note"}}]}""";
        Path answer = folder.resolve("out.json");

        String printed = awsCli(List.of("lambda", "invoke", "--endpoint-url", endpoint,
                "--function-name", "DbProxyFunction", "--payload", request, answer.toString()));

        JsonNode status = JSON.readTree(printed);
        assertEquals(200, status.get("StatusCode").asInt(), printed);
        assertTrue(status.path("FunctionError").isMissingNode(), printed);
        JsonNode response = JSON.readTree(Files.readString(answer, StandardCharsets.UTF_8));
        assertEquals("cli-check", response.get("requestId").asText(), response.toString());
        assertEquals("ok", response.at("/results/0/status").asText(), response.toString());
        assertEquals("from the AWS CLI", response.at("/results/1/result/document/title").asText(), response.toString());
        assertEquals(1, stack.platform().metrics("DbProxyFunction").invocations(), "the CLI's call reached the proxy");
    }

    /** The endpoint as {@code serve} prints it, so the test fails if the banner stops saying where it is. */
    private static String printedInvokeEndpoint() {
        List<String> banner = ServeCommand.banner(stack, 0);
        String line = banner.stream().filter(each -> each.startsWith(ServeCommand.INVOKE_API_LINE)).findFirst()
                .orElseThrow(() -> new AssertionError("serve prints the Invoke endpoint: " + banner));
        String endpoint = line.substring(ServeCommand.INVOKE_API_LINE.length()).split(" ", 2)[0];
        assertEquals(stack.platform().invokeEndpoint().toString(), endpoint, line);
        return endpoint;
    }

    /** Runs {@code aws} with dummy credentials and no profile of this machine; returns what it printed on stdout. */
    private String awsCli(List<String> arguments) throws IOException, InterruptedException {
        Path stdout = folder.resolve("aws-stdout.txt");
        Path stderr = folder.resolve("aws-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(concat("aws", arguments))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_"));
        environment.put("AWS_ACCESS_KEY_ID", "local");
        environment.put("AWS_SECRET_ACCESS_KEY", "local");
        environment.put("AWS_DEFAULT_REGION", "us-east-1");
        environment.put("AWS_CONFIG_FILE", folder.resolve("no-config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", folder.resolve("no-credentials").toString());
        Process cli;
        try {
            cli = builder.start();
        } catch (IOException e) {
            fail("the AWS CLI (aws) is not on the PATH; install it with `pip install awscli` and run the build again ("
                    + e.getMessage() + ")");
            return "";
        }
        if (!cli.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            cli.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("aws " + arguments + " did not finish within " + CLI_TIMEOUT.toSeconds() + " s");
        }
        String printed = Files.readString(stdout, StandardCharsets.UTF_8);
        assertEquals(0, cli.exitValue(), () -> "aws exited " + cli.exitValue() + ": " + printed + readQuietly(stderr));
        return printed;
    }

    private static List<String> concat(String first, List<String> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
