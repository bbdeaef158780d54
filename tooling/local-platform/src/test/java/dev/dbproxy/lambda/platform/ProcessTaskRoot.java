package dev.dbproxy.lambda.platform;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A deployment package of the test handlers, laid out as Lambda's {@code /var/task}: the handler classes (and the
 * function-environment module's, when it is a folder) at the root, their libraries (the MongoDB driver, BSON, Reactor,
 * Reactive Streams, function-environment as a jar, the CRaC API)
 * in {@code lib/}. Built once per test JVM from the test class path.
 */
final class ProcessTaskRoot {

    private static final List<String> LIBRARIES = List.of("mongodb-driver-core", "mongodb-driver-reactivestreams",
            "bson", "reactor-core", "reactive-streams", "function-environment", "org-crac");
    private static Path root;

    private ProcessTaskRoot() {
    }

    static synchronized Path get() {
        if (root == null) {
            root = build();
        }
        return root;
    }

    private static Path build() {
        try {
            Path folder = Files.createTempDirectory("process-task-root-");
            Path lib = Files.createDirectories(folder.resolve("lib"));
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                String name = path.getFileName().toString();
                if (Files.isDirectory(path) && (path.toString().contains("function-environment")
                        || path.endsWith("test-classes"))) {
                    copyTree(path, folder);
                } else if (name.endsWith(".jar") && LIBRARIES.stream().anyMatch(library -> name.startsWith(library + "-")
                        && Character.isDigit(name.charAt(library.length() + 1)))) {
                    Files.copy(path, lib.resolve(name));
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder), "delete-process-task-root"));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target)) {
                    Files.copy(file, target);
                }
            }
        }
    }
}
