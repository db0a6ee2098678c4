package dev.diag.classfile;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The source file of a loaded class, read from its class file's {@code SourceFile} attribute, for stacks that come
 * without file names (JFR records method, descriptor and line only). Read, not guessed: a class's file is not its
 * name plus ".java" for nested, non-public top-level, Kotlin or Scala classes.
 *
 * <p>Each class name is resolved once and cached: first as a resource of the system class loader (the JDK's modules
 * and the class path, without loading anything), else through the class itself among those the JVM has loaded
 * ({@link Instrumentation#getAllLoadedClasses}, at most once a second; classes held weakly, so an application's
 * class loader can still be collected). A class with no class file (hidden classes, lambdas, generated proxies) or
 * no {@code SourceFile} attribute has no file. Bounded at {@value #MAX_CLASSES} names.
 */
public final class SourceFiles {
    private static final int MAX_CLASSES = 65_536;
    private static final long RESCAN_NANOS = 1_000_000_000L;
    /** Cached answers; "" = no file. */
    private static final Map<String, String> FILES = new ConcurrentHashMap<>();
    private static volatile Instrumentation instrumentation;
    private static Map<String, WeakReference<Class<?>>> loaded = Map.of();
    private static long scannedAt = System.nanoTime() - 2 * RESCAN_NANOS;

    private SourceFiles() {}

    /** Lets classes outside the class path (application servers, plugins) be found; without it they have no file. */
    public static void install(Instrumentation inst) {
        instrumentation = inst;
    }

    /** Returns the source file of the class with this binary name ({@code Foo.java}), or null when unknown. */
    public static String of(String className) {
        String file = FILES.get(className);
        if (file != null) return file.isEmpty() ? null : file;
        if (FILES.size() >= MAX_CLASSES || className.contains("$$Lambda") || className.startsWith("jdk.proxy")) {
            return null;
        }
        String resource = className.replace('.', '/') + ".class";
        file = parse(ClassLoader.getSystemResourceAsStream(resource));
        if (file == null) file = throughLoadedClass(className, resource);
        if (file != null) FILES.put(className, file);
        return file == null || file.isEmpty() ? null : file;
    }

    /** Finds the class among those loaded and reads its class file; "" when certain there is none, null to retry. */
    private static synchronized String throughLoadedClass(String className, String resource) {
        Instrumentation inst = instrumentation;
        if (inst == null) return "";
        WeakReference<Class<?>> ref = loaded.get(className);
        Class<?> c = ref == null ? null : ref.get();
        if (c == null) {
            if (System.nanoTime() - scannedAt < RESCAN_NANOS) return null; // loaded since the last scan, maybe
            Map<String, WeakReference<Class<?>>> byName = new HashMap<>();
            for (Class<?> k : inst.getAllLoadedClasses()) {
                if (!k.isArray() && !k.isPrimitive()) byName.putIfAbsent(k.getName(), new WeakReference<>(k));
            }
            loaded = byName;
            scannedAt = System.nanoTime();
            ref = byName.get(className);
            c = ref == null ? null : ref.get();
            if (c == null) return ""; // not loaded by anyone: hidden, or unloaded since
        }
        String file = parse(c.getResourceAsStream("/" + resource));
        return file == null ? "" : file;
    }

    /** Returns the SourceFile of the class file in {@code in} ("" when it has none), or null without a stream. */
    private static String parse(InputStream in) {
        if (in == null) return null;
        try (in) {
            String file = ClassFileHeader.sourceFile(in.readAllBytes());
            return file == null ? "" : file;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
