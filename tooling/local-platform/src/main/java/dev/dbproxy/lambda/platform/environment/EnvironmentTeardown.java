package dev.dbproxy.lambda.platform.environment;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what an in-process environment holds, standing in for the process exit that closes a real sandbox's
 * sockets: the handler when it is {@link AutoCloseable}, then every {@link AutoCloseable} of the function's own classes
 * reachable from the handler's fields or from static fields (a {@code MongoClient} built in a composition root, for
 * example), a few references deep. An object of a shared library class (a {@code MongoClient} when the driver is
 * shared) is closed when the function's objects reach it, but not looked into; objects of the JDK's, SLF4J's and the
 * Lambda runtime's classes are never closed.
 */
final class EnvironmentTeardown {

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentTeardown.class);
    private static final int MAX_DEPTH = 4;

    private final FunctionClassLoader loader;
    private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());

    private EnvironmentTeardown(FunctionClassLoader loader) {
        this.loader = loader;
    }

    /** Closes the handler (if it is {@link AutoCloseable}) and then the function's reachable resources. */
    static void closeAll(String environmentId, Object handler, FunctionClassLoader loader) {
        EnvironmentTeardown teardown = new EnvironmentTeardown(loader);
        if (handler != null) {
            teardown.visit(environmentId, handler, 0);
        }
        for (Class<?> type : loader.definedClasses()) {
            for (Field field : staticReferenceFields(type)) {
                Object value = read(field, null);
                if (value != null) {
                    teardown.visit(environmentId, value, 1);
                }
            }
        }
    }

    private void visit(String environmentId, Object value, int depth) {
        boolean own = value.getClass().getClassLoader() == loader;
        boolean sharedLibrary = !own && value instanceof AutoCloseable
                && loader.isSharedLibraryClass(value.getClass().getName());
        if (depth > MAX_DEPTH || !(own || sharedLibrary) || !visited.add(value)) {
            return;
        }
        if (value instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception | LinkageError e) {
                LOG.debug("environment {}: closing {} failed", environmentId, value.getClass().getName(), e);
            }
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type.getClassLoader() == loader; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
                    Object child = read(field, value);
                    if (child != null) {
                        visit(environmentId, child, depth + 1);
                    }
                }
            }
        }
    }

    private static Field[] staticReferenceFields(Class<?> type) {
        try {
            return java.util.Arrays.stream(type.getDeclaredFields())
                    .filter(field -> Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive())
                    .toArray(Field[]::new);
        } catch (LinkageError e) {
            return new Field[0];
        }
    }

    private static Object read(Field field, Object target) {
        try {
            field.setAccessible(true);
            return field.get(target);
        } catch (RuntimeException | IllegalAccessException | LinkageError e) {
            return null;
        }
    }
}
