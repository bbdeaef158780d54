package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Returns a string of the requested size. */
public class LargeResponseHandler implements RequestHandler<Integer, String> {

    @Override
    public String handleRequest(Integer size, Context context) {
        return "x".repeat(size);
    }
}
