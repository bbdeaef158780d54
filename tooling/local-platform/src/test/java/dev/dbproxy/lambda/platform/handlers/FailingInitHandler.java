package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Its constructor throws: the init fails. */
public class FailingInitHandler implements RequestHandler<Object, String> {

    public FailingInitHandler() {
        throw new IllegalStateException("cannot initialize");
    }

    @Override
    public String handleRequest(Object input, Context context) {
        return "unreachable";
    }
}
