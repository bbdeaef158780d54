package dev.dbproxy.lambda.platform;

/**
 * The names of the environment variables the platform sets for every function, as Lambda does (plus the endpoint and
 * dummy credentials a function needs to call this platform's Invoke API with the AWS SDK).
 */
public final class LambdaEnvironmentVariables {

    /** The function's name. */
    public static final String FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
    /** The function's memory size in MB. */
    public static final String FUNCTION_MEMORY_SIZE = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    /** The executed version, always {@code $LATEST} here. */
    public static final String FUNCTION_VERSION = "AWS_LAMBDA_FUNCTION_VERSION";
    /** The CloudWatch log group name. */
    public static final String LOG_GROUP_NAME = "AWS_LAMBDA_LOG_GROUP_NAME";
    /** The CloudWatch log stream name, one per environment. */
    public static final String LOG_STREAM_NAME = "AWS_LAMBDA_LOG_STREAM_NAME";
    /** The region. */
    public static final String REGION = "AWS_REGION";
    /** The region, for older SDKs. */
    public static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
    /** {@code AWS_Lambda_java21} and the like; the MongoDB driver reads it to detect FaaS. */
    public static final String EXECUTION_ENV = "AWS_EXECUTION_ENV";
    /** {@code on-demand}, or {@code snap-start} in a SnapStart process environment (the runtime then waits for a restore after init). */
    public static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    /**
     * On managed instances only: how many invocations the environment runs at once
     * ({@code PerExecutionEnvironmentMaxConcurrency}); the Java runtime starts that many worker threads.
     */
    public static final String MAX_CONCURRENCY = "AWS_LAMBDA_MAX_CONCURRENCY";
    /** The time zone, {@code :UTC}. */
    public static final String TZ = "TZ";
    /** Where the Lambda SDK's Invoke calls go: this platform's Invoke API. */
    public static final String ENDPOINT_URL_LAMBDA = "AWS_ENDPOINT_URL_LAMBDA";
    /** Dummy access key id; the platform does not check signatures. */
    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    /** Dummy secret access key. */
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    /** Dummy session token. */
    public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

    private LambdaEnvironmentVariables() {
    }
}
