package dev.dbproxy.notes.adapter.lambdaproxy.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A proxy function that crashes on every request: Lambda answers with an unhandled function error. */
public class CrashingProxyHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        throw new IllegalStateException("the proxy crashed");
    }
}
