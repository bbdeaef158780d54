package dev.dbproxy.proxy.client.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LambdaClientsTest {

    @Test
    void theCrt_withoutItsArtifactOnTheClassPath_failsNamingTheArtifact() {
        ClassLoader withoutTheCrt = ClassLoader.getPlatformClassLoader();

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> LambdaClients.requireCrt(withoutTheCrt));

        assertTrue(missing.getMessage().contains("software.amazon.awssdk:aws-crt-client is not on the class path"),
                missing.getMessage());
    }

    @Test
    void theCrt_withItsArtifactOnTheClassPath_isFound() {
        assertDoesNotThrow(() -> LambdaClients.requireCrt(LambdaClients.class.getClassLoader()));
    }
}
