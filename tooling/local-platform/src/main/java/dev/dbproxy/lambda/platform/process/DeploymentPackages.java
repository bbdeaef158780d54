package dev.dbproxy.lambda.platform.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The task roots of process environments: a function's deployment package (its {@code CodeUri}: a jar or zip)
 * extracted once, like Lambda's {@code /var/task}, and reused by every environment of that package until the file
 * changes. A folder is used as it is.
 */
final class DeploymentPackages {

    private final Path scratch;
    private final Map<Path, Extracted> extracted = new ConcurrentHashMap<>();

    private record Extracted(FileTime modified, long size, Path taskRoot) {
    }

    DeploymentPackages(Path scratch) {
        this.scratch = scratch;
    }

    /**
     * The task root of a deployment package.
     *
     * @throws IllegalArgumentException when the package is neither a folder nor a readable jar or zip
     */
    Path taskRoot(Path deploymentPackage) {
        Path file = deploymentPackage.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            return file;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("deployment package " + file + " does not exist (build it first: mvn package)");
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            return extracted.compute(file, (key, known) -> known != null && known.modified().equals(modified)
                    && known.size() == size ? known : new Extracted(modified, size, extract(file))).taskRoot();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read deployment package " + file, e);
        }
    }

    private Path extract(Path file) {
        try {
            Path root = Files.createTempDirectory(scratch, "task-");
            try (ZipFile zip = new ZipFile(file.toFile())) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    Path target = root.resolve(entry.getName()).normalize();
                    if (!target.startsWith(root)) {
                        throw new IllegalArgumentException("deployment package " + file + " has an entry outside its root: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, target);
                        }
                    }
                }
            }
            return root;
        } catch (IOException e) {
            throw new IllegalArgumentException("deployment package " + file + " is not a readable jar or zip: " + e.getMessage(), e);
        }
    }
}
