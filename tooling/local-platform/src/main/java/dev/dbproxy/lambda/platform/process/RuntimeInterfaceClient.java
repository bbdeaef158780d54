package dev.dbproxy.lambda.platform.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The AWS Lambda runtime interface client ({@code com.amazonaws:aws-lambda-java-runtime-interface-client} 2.10.1
 * and its four dependencies) that every process environment runs, as Lambda's java21 runtime does. The build copies
 * the jars and the client's JNI library next to this class (maven-dependency-plugin), so nothing is downloaded at
 * run time; from a packaged jar they are extracted to a temporary folder once.
 *
 * @param classPath the client's jars
 * @param jniLibrary the client's native library for this machine, named to the client so that it does not extract
 *                   its own copy to {@code /tmp} in every process
 */
record RuntimeInterfaceClient(List<Path> classPath, Path jniLibrary) {

    /** The client's entry point; its argument is the handler. */
    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The system property naming the JNI library. */
    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static final String FOLDER = "runtime-interface-client/";
    private static final List<String> JARS = List.of("aws-lambda-java-runtime-interface-client.jar",
            "aws-lambda-java-core.jar", "aws-lambda-java-serialization.jar", "utils-lite.jar", "annotations.jar");

    /**
     * Finds the client's files built next to this class, or extracts them to {@code scratch} when this class is in a
     * jar.
     *
     * @throws IllegalStateException when the build did not copy them (run the module's build)
     */
    static RuntimeInterfaceClient locate(Path scratch) {
        String jni = "jni/libaws-lambda-jni." + platform() + ".so";
        URL marker = RuntimeInterfaceClient.class.getResource(FOLDER + JARS.get(0));
        if (marker == null) {
            throw new IllegalStateException("the Lambda runtime interface client is not next to "
                    + RuntimeInterfaceClient.class.getName() + "; build tooling/local-platform with Maven, which copies it");
        }
        try {
            if (marker.getProtocol().equals("file")) {
                Path folder = Path.of(marker.toURI()).getParent();
                return new RuntimeInterfaceClient(JARS.stream().map(folder::resolve).toList(), folder.resolve(jni));
            }
            Path folder = Files.createDirectories(scratch.resolve("runtime-interface-client"));
            for (String file : concat(JARS, jni)) {
                Path target = folder.resolve(file);
                Files.createDirectories(target.getParent());
                try (InputStream in = RuntimeInterfaceClient.class.getResourceAsStream(FOLDER + file)) {
                    if (in == null) {
                        throw new IllegalStateException("missing " + FOLDER + file + " next to " + RuntimeInterfaceClient.class.getName());
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new RuntimeInterfaceClient(JARS.stream().map(folder::resolve).toList(), folder.resolve(jni));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Lambda runtime interface client", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected location " + marker, e);
        }
    }

    private static List<String> concat(List<String> jars, String jni) {
        List<String> all = new java.util.ArrayList<>(jars);
        all.add(jni);
        return all;
    }

    private static String platform() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return "linux-x86_64";
        }
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return "linux-aarch_64";
        }
        throw new IllegalStateException("process environments run on Linux x86_64 or aarch64, not " + arch);
    }
}
