package dev.dbproxy.lambda.platform.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Serialization of handler inputs and outputs the way the Lambda Java runtime configures Jackson
 * (aws-lambda-java-serialization's {@code JacksonFactory}): lenient parsing, unknown properties ignored, nulls not
 * written, java.time and Optional supported.
 *
 * <p>Differences, on purpose: creators are auto-detected so that records work as inputs; the
 * {@code aws-lambda-java-events} types are read case-insensitively instead of through the runtime's mix-ins, which
 * covers their capitalised JSON names ({@code Records}, ...). One mapper per environment, so that Jackson's caches
 * never hold classes of an environment that is gone.
 */
final class LambdaJson {

    private static final String EVENTS_PACKAGE = "com.amazonaws.services.lambda.runtime.events.";

    private final ObjectMapper pojoMapper;
    private final ObjectMapper eventMapper;

    private LambdaJson() {
        this.pojoMapper = createMapper(false);
        this.eventMapper = createMapper(true);
    }

    static LambdaJson create() {
        return new LambdaJson();
    }

    ObjectMapper mapperFor(JavaType type) {
        return type.getRawClass().getName().startsWith(EVENTS_PACKAGE) ? eventMapper : pojoMapper;
    }

    ObjectMapper pojoMapper() {
        return pojoMapper;
    }

    private static ObjectMapper createMapper(boolean caseInsensitive) {
        JsonFactory factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
                .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
                .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
                .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                .build();
        factory.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return JsonMapper.builder(factory)
                .enable(MapperFeature.USE_STD_BEAN_NAMING)
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, caseInsensitive)
                .disable(MapperFeature.INFER_PROPERTY_MUTATORS)
                .disable(MapperFeature.USE_GETTERS_AS_SETTERS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.CLOSE_CLOSEABLE)
                .enable(DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT)
                .enable(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .enable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .build();
    }
}
