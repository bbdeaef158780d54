package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Always throws, with a cause. */
public class FailingHandler implements RequestHandler<Object, String> {

    @Override
    public String handleRequest(Object input, Context context) {
        throw new IllegalStateException("boom", new IllegalArgumentException("root cause"));
    }
}
