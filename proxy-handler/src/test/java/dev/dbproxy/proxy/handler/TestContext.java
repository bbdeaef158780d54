package dev.dbproxy.proxy.handler;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/** A Lambda context whose remaining time counts down from its creation, as the real one does. */
final class TestContext implements Context {

    private final long endNanos;
    private final String requestId;
    private final Consumer<String> log;

    private TestContext(Duration remaining, String requestId, Consumer<String> log) {
        this.endNanos = System.nanoTime() + remaining.toNanos();
        this.requestId = requestId;
        this.log = log;
    }

    /** An invocation with this much time left before the function's timeout, logging to stderr. */
    static TestContext withRemaining(Duration remaining) {
        return new TestContext(remaining, UUID.randomUUID().toString(), line -> System.err.println(line));
    }

    /** The invocation {@code requestId}, with this much time left, whose logger hands each line to {@code log}. */
    static TestContext of(String requestId, Duration remaining, Consumer<String> log) {
        return new TestContext(remaining, requestId, log);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/db-proxy";
    }

    @Override
    public String getLogStreamName() {
        return "test";
    }

    @Override
    public String getFunctionName() {
        return "db-proxy";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:db-proxy";
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
        return (int) Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
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
                log.accept(message);
            }

            @Override
            public void log(byte[] message) {
                log.accept(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
