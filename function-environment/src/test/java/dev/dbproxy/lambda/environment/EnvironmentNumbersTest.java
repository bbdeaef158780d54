package dev.dbproxy.lambda.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvironmentNumbersTest {

    @Test
    void anUnsetOrBlankVariable_givesTheDefault() {
        assertEquals(7, EnvironmentNumbers.positiveInt(Map.of(), "SIZE", 7, IllegalStateException::new));
        assertEquals(7, EnvironmentNumbers.positiveInt(Map.of("SIZE", "  "), "SIZE", 7, IllegalStateException::new));
        assertEquals(0,
                EnvironmentNumbers.nonNegativeInt(Map.of("WINDOW", ""), "WINDOW", 0, IllegalStateException::new));
    }

    @Test
    void aWholeNumberInRange_isRead_spacesIgnored() {
        assertEquals(12, EnvironmentNumbers.positiveInt(Map.of("SIZE", " 12 "), "SIZE", 7, IllegalStateException::new));
        assertEquals(0,
                EnvironmentNumbers.nonNegativeInt(Map.of("WINDOW", "0"), "WINDOW", 5, IllegalStateException::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "ten", "1.5", "2147483648", "0x10"})
    void anythingElse_failsWithTheFactorysException_namingVariableAndValue(String value) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () ->
                EnvironmentNumbers.positiveInt(Map.of("SIZE", value), "SIZE", 7, IllegalStateException::new));

        assertEquals("SIZE must be a positive whole number, was '" + value + "'", error.getMessage());
    }

    @Test
    void aNegativeNumber_isRefusedWhereZeroIsAllowed() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () ->
                EnvironmentNumbers.nonNegativeInt(Map.of("WINDOW", "-1"), "WINDOW", 5, IllegalArgumentException::new));

        assertEquals("WINDOW must be a whole number >= 0, was '-1'", error.getMessage());
    }
}
