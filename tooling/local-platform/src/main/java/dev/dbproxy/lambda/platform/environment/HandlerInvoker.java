package dev.dbproxy.lambda.platform.environment;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Calls a handler the way the Lambda Java runtime does: a {@link RequestStreamHandler} gets the raw payload, a
 * {@link RequestHandler} gets it deserialized into its input type, and {@code pkg.Class::method} finds a public method
 * taking {@code (InputStream, OutputStream[, Context])} or {@code ([input[, Context]])}.
 */
abstract sealed class HandlerInvoker {

    /** The handler instance, for cleanup. */
    abstract Object handler();

    /** Runs the handler. @throws Throwable whatever the handler threw */
    abstract byte[] invoke(byte[] payload, Context context) throws Throwable;

    static HandlerInvoker create(Object handler, String methodName, LambdaJson json) {
        boolean interfaceMethod = methodName.isEmpty()
                || methodName.equals("handleRequest") && (handler instanceof RequestStreamHandler || handler instanceof RequestHandler<?, ?>);
        if (interfaceMethod) {
            if (handler instanceof RequestStreamHandler streamHandler) {
                return new StreamHandler(streamHandler);
            }
            if (handler instanceof RequestHandler<?, ?> requestHandler) {
                ObjectMapper mapper = json.pojoMapper();
                JavaType[] types = mapper.getTypeFactory().constructType(handler.getClass()).findTypeParameters(RequestHandler.class);
                JavaType inputType = types.length == 2 ? types[0] : mapper.getTypeFactory().constructType(Object.class);
                @SuppressWarnings("unchecked")
                RequestHandler<Object, Object> typed = (RequestHandler<Object, Object>) requestHandler;
                return new PojoHandler(typed, inputType, json.mapperFor(inputType), json.pojoMapper());
            }
            throw new IllegalArgumentException("Class " + handler.getClass().getName()
                    + " does not implement RequestHandler or RequestStreamHandler; name a method with Class::method");
        }
        return new MethodHandler(handler, handlerMethod(handler.getClass(), methodName), json);
    }

    private static Method handlerMethod(Class<?> type, String methodName) {
        List<Method> candidates = Arrays.stream(type.getMethods())
                .filter(method -> method.getName().equals(methodName) && !method.isBridge() && !method.isSynthetic())
                .filter(method -> !Modifier.isStatic(method.getModifiers()))
                .filter(method -> method.getParameterCount() <= 3)
                .sorted(Comparator.comparingInt(Method::getParameterCount).reversed())
                .toList();
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("No public method named " + methodName + " with appropriate signature found on class "
                    + type.getName());
        }
        return candidates.getFirst();
    }

    static final class StreamHandler extends HandlerInvoker {
        private final RequestStreamHandler handler;

        StreamHandler(RequestStreamHandler handler) {
            this.handler = handler;
        }

        @Override
        Object handler() {
            return handler;
        }

        @Override
        byte[] invoke(byte[] payload, Context context) throws Throwable {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(payload), output, context);
            return output.toByteArray();
        }
    }

    static final class PojoHandler extends HandlerInvoker {
        private final RequestHandler<Object, Object> handler;
        private final PojoSerializer serializer;

        PojoHandler(RequestHandler<Object, Object> handler, JavaType inputType, ObjectMapper inputMapper, ObjectMapper outputMapper) {
            this.handler = handler;
            this.serializer = new PojoSerializer(inputType, inputMapper, outputMapper);
        }

        @Override
        Object handler() {
            return handler;
        }

        @Override
        byte[] invoke(byte[] payload, Context context) throws Throwable {
            return serializer.write(handler.handleRequest(serializer.read(payload), context));
        }
    }

    static final class MethodHandler extends HandlerInvoker {
        private final Object handler;
        private final Method method;
        private final boolean streaming;
        private final PojoSerializer serializer;

        MethodHandler(Object handler, Method method, LambdaJson json) {
            this.handler = handler;
            this.method = method;
            Class<?>[] parameters = method.getParameterTypes();
            this.streaming = parameters.length >= 2 && InputStream.class.isAssignableFrom(parameters[0])
                    && OutputStream.class.isAssignableFrom(parameters[1]);
            ObjectMapper mapper = json.pojoMapper();
            JavaType inputType = parameters.length == 0 || Context.class.equals(parameters[0])
                    ? mapper.getTypeFactory().constructType(Void.class)
                    : mapper.getTypeFactory().constructType(method.getGenericParameterTypes()[0]);
            this.serializer = new PojoSerializer(inputType, json.mapperFor(inputType), mapper);
        }

        @Override
        Object handler() {
            return handler;
        }

        @Override
        byte[] invoke(byte[] payload, Context context) throws Throwable {
            try {
                if (streaming) {
                    ByteArrayOutputStream output = new ByteArrayOutputStream();
                    Object[] arguments = method.getParameterCount() == 3
                            ? new Object[] {new ByteArrayInputStream(payload), output, context}
                            : new Object[] {new ByteArrayInputStream(payload), output};
                    method.invoke(handler, arguments);
                    return output.toByteArray();
                }
                Object[] arguments = switch (method.getParameterCount()) {
                    case 0 -> new Object[0];
                    case 1 -> Context.class.equals(method.getParameterTypes()[0])
                            ? new Object[] {context}
                            : new Object[] {serializer.read(payload)};
                    default -> new Object[] {serializer.read(payload), context};
                };
                return serializer.write(method.invoke(handler, arguments));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** Input deserialization and output serialization of one handler. */
    private record PojoSerializer(JavaType inputType, ObjectMapper inputMapper, ObjectMapper outputMapper) {

        Object read(byte[] payload) {
            if (payload.length == 0 || inputType.getRawClass() == Void.class) {
                return null;
            }
            try {
                return inputMapper.readValue(payload, inputType);
            } catch (Exception e) {
                throw new IllegalArgumentException("An error occurred during JSON parsing", e);
            }
        }

        byte[] write(Object output) {
            try {
                return outputMapper.writeValueAsBytes(output);
            } catch (Exception e) {
                throw new IllegalStateException("An error occurred during JSON serialization of response", e);
            }
        }
    }
}
