/**
 * Execution environments: the {@link dev.dbproxy.lambda.platform.environment.ExecutionEnvironment} and
 * {@link dev.dbproxy.lambda.platform.environment.ExecutionEnvironmentFactory} interfaces the platform drives, and
 * the in-process implementation ({@link dev.dbproxy.lambda.platform.environment.InProcessEnvironmentFactory}): a
 * child-first class loader and a dedicated thread per environment (a pool of threads on managed instances). Shared parent-first with the platform are only
 * the JDK, {@code com.amazonaws.services.lambda.runtime.*} (aws-lambda-java-core and aws-lambda-java-events) and
 * SLF4J; everything else on the function's class path, including the function-environment module, is loaded afresh
 * per environment.
 *
 * <p>Handlers are called like the Lambda Java runtime calls them: {@code RequestStreamHandler} with the raw payload,
 * {@code RequestHandler<I, O>} with the payload deserialized by Jackson configured as the runtime's serializer, and
 * {@code pkg.Class::method} with the method's first parameter type. See the platform package for what in-process
 * environments cannot model.
 */
package dev.dbproxy.lambda.platform.environment;
