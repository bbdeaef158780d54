package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbproxy.localmongodb.EmbeddedMongoDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deployment jar alone is a working function: loaded in a class loader that sees nothing else, built by the
 * runtime's no-arg constructor from its environment, invoked, closed.
 */
class DeploymentJarIT {

    private static final Path JAR = Path.of("target", "proxy-handler-lambda.jar");
    private static final Path DATA_API_JAR = Path.of("target", "proxy-handler-data-api-lambda.jar");
    private static final String SSM_CLIENT = "software.amazon.awssdk.services.ssm.SsmClient";

    @Test
    void deploymentJar_servesARequest_inAClassLoaderOfItsOwn() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the package phase builds " + JAR);
        try (EmbeddedMongoDb mongoDb = EmbeddedMongoDb.start();
             URLClassLoader function = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                     ClassLoader.getPlatformClassLoader())) {
            Map<String, String> env = HandlerInvoker.environment(mongoDb.connectionString());
            function.loadClass("dev.dbproxy.lambda.environment.FunctionEnvironment")
                    .getMethod("install", Map.class).invoke(null, env);
            Class<?> handlerClass = function.loadClass("dev.dbproxy.proxy.handler.DbProxyHandler");
            Object handler = handlerClass.getConstructor().newInstance();
            try {
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                byte[] request = HandlerInvoker.request(HandlerInvoker.op("insertOne", "\"document\": {\"_id\": \"jar\"}"))
                        .getBytes(StandardCharsets.UTF_8);
                handlerClass.getMethod("handleRequest", InputStream.class, OutputStream.class,
                                function.loadClass("com.amazonaws.services.lambda.runtime.Context"))
                        .invoke(handler, new ByteArrayInputStream(request), output, null);

                JsonNode response = HandlerInvoker.json(output.toString(StandardCharsets.UTF_8));
                assertEquals("jar", HandlerInvoker.result(response, 0).path("insertedId").asText());
            } finally {
                ((AutoCloseable) handler).close();
            }
        }
    }

    @Test
    void theNotesJar_leavesTheSdkOut_andSaysWhichJarReadsKeysFromSsm_whileTheDataApiJarHoldsIt() throws Exception {
        try (URLClassLoader plain = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                     ClassLoader.getPlatformClassLoader());
             URLClassLoader dataApi = new URLClassLoader(new URL[] {DATA_API_JAR.toUri().toURL()},
                     ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> plain.loadClass(SSM_CLIENT));
            assertEquals(SSM_CLIENT, dataApi.loadClass(SSM_CLIENT).getName());

            Map<String, String> env = new java.util.HashMap<>(HandlerInvoker.environment("mongodb://127.0.0.1:1"));
            env.put("DATA_API_KEYS_PARAMETER", "/notes/data-api-keys");
            plain.loadClass("dev.dbproxy.lambda.environment.FunctionEnvironment")
                    .getMethod("install", Map.class).invoke(null, env);
            Throwable refused = assertThrows(java.lang.reflect.InvocationTargetException.class,
                    () -> plain.loadClass("dev.dbproxy.proxy.handler.DbProxyHandler").getConstructor().newInstance())
                    .getCause();
            assertTrue(refused.getMessage().contains("proxy-handler-data-api-lambda.jar"), refused.getMessage());
        }
    }
}
