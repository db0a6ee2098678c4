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
    private static volatile long scannedAt = System.nanoTime() - 2 * RESCAN_NANOS;
    /**
     * Names found nowhere, by the loaded-class scan that missed them: looked up again (a class path resource read, a
     * search of the JDK's image) only once a newer scan is due, which then answers for good. Without it a name the
     * last scan predates was searched for at every stack of every rotation (seen: 75 % of a rotation's wall time).
     */
    private static final Map<String, Long> MISSED = new ConcurrentHashMap<>();
    private static volatile long scans;
    /** Class path and JDK image searches so far (each name should need one, or one more after a newer scan). */
    private static final java.util.concurrent.atomic.AtomicLong SEARCHES = new java.util.concurrent.atomic.AtomicLong();

    private SourceFiles() {}

    /** Lets classes outside the class path (application servers, plugins) be found; without it they have no file. */
    public static void install(Instrumentation inst) {
        instrumentation = inst;
    }

    /** Returns the source file of the class with this binary name ({@code Foo.java}), or null when unknown. */
    public static String of(String className) {
        String file = FILES.get(className);
        if (file != null) return file.isEmpty() ? null : file;
        if (FILES.size() >= MAX_CLASSES || className.contains("$$Lambda") || className.startsWith("jdk.proxy")
                || !isClassName(className)) {
            return null;
        }
        Long missedAt = MISSED.get(className);
        if (missedAt != null && missedAt == scans && System.nanoTime() - scannedAt < RESCAN_NANOS) return null;
        String resource = className.replace('.', '/') + ".class";
        SEARCHES.incrementAndGet();
        file = parse(ClassLoader.getSystemResourceAsStream(resource));
        if (file == null) file = throughLoadedClass(className, resource);
        if (file != null) {
            FILES.put(className, file);
            MISSED.remove(className);
        } else if (MISSED.size() < MAX_CLASSES) {
            MISSED.put(className, scans);
        }
        return file == null || file.isEmpty() ? null : file;
    }

    /** Returns how many names were searched for on the class path and in the JDK's image. */
    static long searches() {
        return SEARCHES.get();
    }

    /**
     * Whether {@code name} can be a Java class's binary name: dotted identifiers. A native or kernel frame's "class"
     * (a library such as {@code libjvm.so}, an empty or bracketed name) is none, and is never looked up.
     */
    static boolean isClassName(String name) {
        if (name.isEmpty() || name.endsWith(".so") || name.contains(".so.")) return false;
        boolean start = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (start) return false;
                start = true;
            } else if (start ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
                start = false;
            } else {
                return false;
            }
        }
        return !start;
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
            scans++;
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
