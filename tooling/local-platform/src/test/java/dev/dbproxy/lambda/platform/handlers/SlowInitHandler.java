package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Its constructor takes 30 s: longer than Lambda's 10 s init limit. */
public class SlowInitHandler implements RequestHandler<Object, String> {

    public SlowInitHandler() throws InterruptedException {
        Thread.sleep(30_000);
    }

    @Override
    public String handleRequest(Object input, Context context) {
        return "unreachable";
    }
}
