package dev.dbproxy.lambda.platform.environment;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/** The {@link Context} of one invocation. */
final class LocalContext implements Context {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EnvironmentSpec spec;
    private final InvocationInput input;
    private final LambdaLogger logger;

    LocalContext(EnvironmentSpec spec, InvocationInput input, Logger functionLog) {
        this.spec = spec;
        this.input = input;
        this.logger = new InvocationLogger(input.log(), functionLog);
    }

    @Override
    public String getAwsRequestId() {
        return input.requestId();
    }

    @Override
    public String getLogGroupName() {
        return spec.logGroupName();
    }

    @Override
    public String getLogStreamName() {
        return spec.logStreamName();
    }

    @Override
    public String getFunctionName() {
        return spec.functionName();
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return spec.functionArn();
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        if (input.clientContextJson().isEmpty()) {
            return null;
        }
        try {
            return new ParsedClientContext(JSON.readTree(input.clientContextJson()));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public int getRemainingTimeInMillis() {
        long remaining = TimeUnit.NANOSECONDS.toMillis(input.deadlineNanos() - System.nanoTime());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, remaining));
    }

    @Override
    public int getMemoryLimitInMB() {
        return spec.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    /** Lines go to the invocation's log (its tail) and to the host's SLF4J log of the function. */
    private record InvocationLogger(InvocationLog log, Logger functionLog) implements LambdaLogger {

        @Override
        public void log(String message) {
            log.append(message);
            functionLog.info("{}", message.stripTrailing());
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }

    private record ParsedClientContext(JsonNode json) implements ClientContext {

        @Override
        public Client getClient() {
            JsonNode client = json.path("client");
            return client.isObject() ? new ParsedClient(client) : null;
        }

        @Override
        public Map<String, String> getCustom() {
            return strings(json.path("custom"));
        }

        @Override
        public Map<String, String> getEnvironment() {
            return strings(json.path("env"));
        }

        private static Map<String, String> strings(JsonNode object) {
            Map<String, String> values = new LinkedHashMap<>();
            object.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
            return values;
        }
    }

    private record ParsedClient(JsonNode json) implements Client {

        @Override
        public String getInstallationId() {
            return json.path("installation_id").asText(null);
        }

        @Override
        public String getAppTitle() {
            return json.path("app_title").asText(null);
        }

        @Override
        public String getAppVersionName() {
            return json.path("app_version_name").asText(null);
        }

        @Override
        public String getAppVersionCode() {
            return json.path("app_version_code").asText(null);
        }

        @Override
        public String getAppPackageName() {
            return json.path("app_package_name").asText(null);
        }
    }
}
