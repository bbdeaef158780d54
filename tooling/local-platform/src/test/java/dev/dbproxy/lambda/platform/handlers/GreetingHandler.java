package dev.dbproxy.lambda.platform.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** A POJO handler with record input and output. */
public class GreetingHandler implements RequestHandler<GreetingHandler.Greeting, GreetingHandler.Reply> {

    /** The input. */
    public record Greeting(String name, int times) {
    }

    /** The output; a null field is not written. */
    public record Reply(String text, String nothing) {
    }

    @Override
    public Reply handleRequest(Greeting greeting, Context context) {
        return new Reply(("hello " + greeting.name() + " ").repeat(greeting.times()).strip(), null);
    }

    /** A {@code Class::method} handler taking a plain string. */
    public String shout(String text, Context context) {
        return text.toUpperCase() + " from " + context.getFunctionName();
    }
}
