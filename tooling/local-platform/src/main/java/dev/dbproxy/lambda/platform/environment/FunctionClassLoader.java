package dev.dbproxy.lambda.platform.environment;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The class loader of one execution environment: child-first, so every environment loads the function's classes and
 * libraries (the MongoDB driver, Jackson, the function-environment module, ...) afresh and shares no static state with
 * another environment, as separate Lambda sandboxes do.
 *
 * <p>Shared with the platform, and so loaded parent-first: the JDK, the {@code com.amazonaws.services.lambda.runtime}
 * packages (aws-lambda-java-core and aws-lambda-java-events, the types through which the platform calls handlers) and
 * SLF4J (so that functions log through the host's logging backend), plus any library packages the factory was asked
 * to share (see {@link InProcessEnvironmentFactory#sharingLibraries(List)}).
 */
final class FunctionClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final Set<String> JDK_PACKAGES = ModuleLayer.boot().modules().stream()
            .flatMap(module -> module.getPackages().stream())
            .collect(Collectors.toUnmodifiableSet());
    private static final List<String> PLATFORM_PREFIXES = List.of("com.amazonaws.services.lambda.runtime.", "org.slf4j.");

    private final ClassLoader sharedClasses;
    private final List<String> sharedLibraryPrefixes;
    private final List<Class<?>> definedClasses = new CopyOnWriteArrayList<>();

    FunctionClassLoader(String environmentId, List<Path> classPath, ClassLoader sharedClasses,
            List<String> sharedLibraryPrefixes) {
        super("function-" + environmentId, urls(classPath), ClassLoader.getPlatformClassLoader());
        this.sharedClasses = sharedClasses;
        this.sharedLibraryPrefixes = List.copyOf(sharedLibraryPrefixes);
    }

    /** The entries of this JVM's {@code java.class.path}, the default class path of a function. */
    static List<Path> jvmClassPath() {
        return Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .toList();
    }

    private static URL[] urls(List<Path> classPath) {
        List<Path> entries = classPath.isEmpty() ? jvmClassPath() : classPath;
        List<URL> urls = new ArrayList<>(entries.size());
        for (Path entry : entries) {
            try {
                urls.add(entry.toUri().toURL());
            } catch (IOException e) {
                throw new UncheckedIOException("class path entry " + entry + " is not a valid URL", e);
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** The classes this loader defined itself (not the shared ones), for teardown. */
    List<Class<?>> definedClasses() {
        return List.copyOf(definedClasses);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (isJdk(name)) {
                    loaded = getParent().loadClass(name);
                } else if (isShared(name)) {
                    loaded = sharedClasses.loadClass(name);
                } else {
                    loaded = findClass(name);
                    definedClasses.add(loaded);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private static boolean isJdk(String className) {
        int lastDot = className.lastIndexOf('.');
        return lastDot > 0 && JDK_PACKAGES.contains(className.substring(0, lastDot));
    }

    private boolean isShared(String className) {
        return startsWithAny(className, PLATFORM_PREFIXES) || isSharedLibraryClass(className);
    }

    /** Whether a class belongs to a library that every environment shares (so teardown may close its objects). */
    boolean isSharedLibraryClass(String className) {
        return startsWithAny(className, sharedLibraryPrefixes);
    }

    private static boolean startsWithAny(String className, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
