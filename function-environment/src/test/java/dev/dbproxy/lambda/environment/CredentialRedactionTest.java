package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each row: text a library might put in an exception message, and what a log line may show of it. */
class CredentialRedactionTest {

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("mongodb uri with user and password",
                        "cannot connect to mongodb://app:S3cr3t@db.example.com:27017/notes?authSource=admin now",
                        "cannot connect to mongodb://<hidden> now"),
                Arguments.of("srv uri, quoted",
                        "bad uri 'mongodb+srv://app:S3cr3t@cluster0.abcde.mongodb.net/notes' given",
                        "bad uri 'mongodb+srv://<hidden>' given"),
                Arguments.of("uri whose options hold an AWS session token",
                        "MONGODB+SRV://host/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:abc",
                        "MONGODB+SRV://<hidden>"),
                Arguments.of("user information of another URI",
                        "GET https://user:p4ss@api.example.com/x failed",
                        "GET https://<hidden>@api.example.com/x failed"),
                Arguments.of("password=value", "options: password=hunter2&w=majority",
                        "options: password=<hidden>&w=majority"),
                Arguments.of("key: value, any case", "Secret: hunter2, next", "Secret: <hidden>, next"),
                Arguments.of("quoted JSON value", "{\"dbPassword\": \"hunter 2\", \"user\": \"app\"}",
                        "{\"dbPassword\": <hidden>, \"user\": \"app\"}"),
                Arguments.of("AWS variable names", "AWS_SECRET_ACCESS_KEY=abc AWS_SESSION_TOKEN=def",
                        "AWS_SECRET_ACCESS_KEY=<hidden> AWS_SESSION_TOKEN=<hidden>"),
                Arguments.of("access key id", "signed with AKIAIOSFODNN7EXAMPLE today",
                        "signed with <hidden> today"),
                Arguments.of("bare secret access key", "key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end",
                        "key <hidden> end"),
                Arguments.of("bare session token", "token IQoJb3JpZ2luX2VjEHcaCXVzLWVhc3QtMSJHMEUCIQDx+abc/def== end",
                        "token <hidden> end"),
                Arguments.of("the driver's own masking stays as it is",
                        "MongoCredential{mechanism=SCRAM-SHA-256, userName='app', password=<hidden>}",
                        "MongoCredential{mechanism=SCRAM-SHA-256, userName='app', password=<hidden>}"),
                Arguments.of("a host, a port and a code are kept",
                        "Timed out after 3000 ms connecting to db.internal:27017 (error 11600)",
                        "Timed out after 3000 ms connecting to db.internal:27017 (error 11600)"),
                Arguments.of("hex digests and class paths are kept",
                        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 in "
                                + "dev/dbproxy/proxy/handler/DbProxyHandlerWithALongName",
                        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 in "
                                + "dev/dbproxy/proxy/handler/DbProxyHandlerWithALongName"),
                Arguments.of("empty", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void redact_hidesCredentialsAndKeepsTheRest(String name, String text, String expected) {
        assertEquals(expected, CredentialRedaction.redact(text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void redact_isIdempotent(String name, String text, String expected) {
        assertEquals(expected, CredentialRedaction.redact(CredentialRedaction.redact(text)));
    }

    @Test
    void redact_keepsNull() {
        assertNull(CredentialRedaction.redact(null));
    }
}
