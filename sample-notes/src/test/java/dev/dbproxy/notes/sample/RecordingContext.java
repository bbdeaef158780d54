package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Lambda {@link Context} for handler tests that keeps every line the handler logs: by default a random request id
 * and always 10 s left; or an invocation's own request id and deadline, its remaining time counting down to it as the
 * real one does.
 */
final class RecordingContext implements Context {

    final List<String> logLines = new CopyOnWriteArrayList<>();
    private final String requestId;
    private final Instant deadline;

    RecordingContext() {
        this(UUID.randomUUID().toString(), null);
    }

    /** The invocation {@code requestId}, whose function times out at {@code deadline} ({@code null}: always 10 s). */
    RecordingContext(String requestId, Instant deadline) {
        this.requestId = requestId;
        this.deadline = deadline;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/notes-test";
    }

    @Override
    public String getLogStreamName() {
        return "2026/11/26/[$LATEST]test";
    }

    @Override
    public String getFunctionName() {
        return "notes-test";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:eu-west-1:123456789012:function:notes-test";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return deadline == null ? 10_000 : (int) Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                logLines.add(message);
            }

            @Override
            public void log(byte[] message) {
                logLines.add(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
