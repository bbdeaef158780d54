package dev.dbproxy.notes.sample;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.dbproxy.lambda.environment.FunctionEnvironment;

/**
 * The invocation context of the request a function runs on itself before a SnapStart snapshot
 * ({@link NotesHttpFunction#primeForSnapshot()}): 3 s to answer, and a logger that writes nowhere, since no one sent
 * that request.
 */
final class PrimingContext implements Context {

    static final PrimingContext INSTANCE = new PrimingContext();
    private static final int REMAINING_MILLIS = 3_000;

    private static final LambdaLogger NOWHERE = new LambdaLogger() {
        @Override
        public void log(String message) {
            // the line was built (that path is primed too); no one sent the request, so it is not written
        }

        @Override
        public void log(byte[] message) {
        }
    };

    private PrimingContext() {
    }

    @Override
    public String getAwsRequestId() {
        return "snapstart-priming";
    }

    @Override
    public String getLogGroupName() {
        return "";
    }

    @Override
    public String getLogStreamName() {
        return "";
    }

    @Override
    public String getFunctionName() {
        return FunctionEnvironment.variables().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "");
    }

    @Override
    public String getFunctionVersion() {
        return "";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "";
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
        return REMAINING_MILLIS;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 0;
    }

    @Override
    public LambdaLogger getLogger() {
        return NOWHERE;
    }
}
