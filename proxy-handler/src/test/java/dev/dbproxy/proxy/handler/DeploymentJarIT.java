package dev.dbproxy.proxy.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
