package dev.dbproxy.lambda.platform.template;

/**
 * A SAM template cannot be loaded: it is not valid YAML, it misses something required, or it uses a construct the
 * local platform does not support. The message names the construct and where it is (for example
 * {@code Resources.Api.Properties.Layers}).
 */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public TemplateException(String message) {
        super(message);
    }

    /** @param message what is wrong and where; @param cause the parser's error */
    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
