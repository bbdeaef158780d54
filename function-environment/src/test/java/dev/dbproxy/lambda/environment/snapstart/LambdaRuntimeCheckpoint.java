package dev.dbproxy.lambda.environment.snapstart;

import com.amazonaws.services.lambda.crac.Core;
import dev.dbproxy.lambda.environment.SnapStartHooks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Runs, in the test's own JVM, what Lambda's runtime interface client runs around a SnapStart snapshot: its CRaC
 * context's {@code beforeCheckpoint} (the hooks in reverse order of registration, then its DNS cache clearing), and
 * later its {@code afterRestore} (the hooks in order). The runtime calls them when
 * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, before and after {@code GET /2018-06-01/runtime/restore/next}.
 *
 * <p>The test JVM must be launched as Lambda launches a SnapStart environment: with
 * {@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}, so that {@code org.crac} reaches the runtime's
 * context; and what registers hooks must see {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} in its function's
 * variables ({@link SnapStartHooks}). The runtime client's JNI library, which clears the DNS cache, is loaded from its
 * jar on first use.
 */
public final class LambdaRuntimeCheckpoint {

    private static boolean nativeLibraryLoaded;

    private LambdaRuntimeCheckpoint() {
    }

    /** The runtime's checkpoint notifications: every registered hook's {@code beforeCheckpoint}. */
    public static void checkpoint() throws Exception {
        requireSnapStartJvm();
        loadNativeLibrary();
        Core.getGlobalContext().beforeCheckpoint(null);
    }

    /** The runtime's restore notifications: every registered hook's {@code afterRestore}. */
    public static void restore() throws Exception {
        requireSnapStartJvm();
        Core.getGlobalContext().afterRestore(null);
    }

    private static void requireSnapStartJvm() {
        if (!"com.amazonaws.services.lambda.crac".equals(System.getProperty("org.crac.Core.Compat"))) {
            throw new IllegalStateException("launch the test JVM as Lambda launches a SnapStart environment:"
                    + " -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac (the module's Surefire/Failsafe"
                    + " configuration)");
        }
    }

    private static synchronized void loadNativeLibrary() {
        if (nativeLibraryLoaded) {
            return;
        }
        String architecture = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        String resource = "/jni/libaws-lambda-jni.linux-" + architecture + ".so";
        try (InputStream library = Core.class.getResourceAsStream(resource)) {
            if (library == null) {
                throw new IllegalStateException("the runtime interface client's jar has no " + resource);
            }
            Path file = Files.createTempFile("aws-lambda-jni", ".so");
            file.toFile().deleteOnExit();
            Files.copy(library, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toString());
            nativeLibraryLoaded = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
