package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvironmentNamesTest {

    @Test
    void anUnsetOrBlankVariable_givesTheDefault_andSpacesAroundANameAreIgnored() {
        assertEquals("notes", EnvironmentNames.databaseName(Map.of(), "DB", "notes", IllegalStateException::new));
        assertEquals("notes", EnvironmentNames.collectionName(Map.of("COLL", " "), "COLL", "notes",
                IllegalStateException::new));
        assertEquals("app-prod_2", EnvironmentNames.databaseName(Map.of("DB", " app-prod_2 "), "DB", "notes",
                IllegalStateException::new));
        assertEquals("notes.archive", EnvironmentNames.collectionName(Map.of("COLL", "notes.archive"), "COLL", "n",
                IllegalStateException::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"my.db", "a/b", "a b", "$db", "db\"", "a:b", "x\u0001"})
    void aDatabaseNameMongoDbRefuses_failsNamingTheVariableAndValue(String value) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () ->
                EnvironmentNames.databaseName(Map.of("NOTES_DATABASE", value), "NOTES_DATABASE", "notes",
                        IllegalStateException::new));

        assertTrue(error.getMessage().startsWith("NOTES_DATABASE must be a MongoDB database name"), error.getMessage());
        assertTrue(error.getMessage().endsWith("was '" + value.strip() + "'"), error.getMessage());
    }

    @Test
    void aDatabaseNameOver63Bytes_isRefused() {
        assertThrows(IllegalStateException.class, () -> EnvironmentNames.databaseName(
                Map.of("DB", "é".repeat(32)), "DB", "notes", IllegalStateException::new));
        assertEquals("d".repeat(63), EnvironmentNames.databaseName(Map.of("DB", "d".repeat(63)), "DB", "notes",
                IllegalStateException::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"no$tes", "system.users", "x\u0000y"})
    void aCollectionNameMongoDbRefuses_failsNamingTheVariable(String value) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () ->
                EnvironmentNames.collectionName(Map.of("NOTES_COLLECTION", value), "NOTES_COLLECTION", "notes",
                        IllegalStateException::new));

        assertTrue(error.getMessage().startsWith("NOTES_COLLECTION must be a MongoDB collection name"),
                error.getMessage());
    }

    @Test
    void aCollectionNameOver120Characters_isRefused() {
        assertThrows(IllegalStateException.class, () -> EnvironmentNames.collectionName(
                Map.of("C", "c".repeat(121)), "C", "notes", IllegalStateException::new));
    }
}
