package dev.diag.sampler;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * async-profiler's native library, carried inside diag.jar and loaded once per JVM.
 *
 * <p>Its JNI functions are bound to this class, not to async-profiler's {@code one.profiler.AsyncProfiler}: the
 * library registers its natives on whichever class called {@code System.load} (it looks for that frame on the
 * stack), so diag needs none of async-profiler's Java classes, and an application that ships them keeps its own.
 * The native methods below must keep the names and descriptors the library registers.
 *
 * <p>The library is copied to a private directory (owner-only) and unlinked once loaded: nothing of it stays on disk.
 */
public final class AsyncProfilerLibrary {
    private static final String RESOURCE_DIR = "/dev/diag/sampler/native/";
    private static final String FILE_NAME = "libasyncProfiler.so";
    private static AsyncProfilerLibrary loaded;
    private static String failure;

    private AsyncProfilerLibrary() {}

    /**
     * Returns the library, loading it on first use, or null when it cannot run here; {@link #failure()} says why.
     * Never throws.
     */
    public static synchronized AsyncProfilerLibrary load(Instrumentation inst) {
        if (loaded != null || failure != null) return loaded;
        try {
            String platform = platform();
            if (platform == null) {
                failure = "no native sampler for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
                return null;
            }
            if (alreadyMapped()) {
                failure = "async-profiler is already loaded in this JVM (an -agentpath or the application's own copy)";
                return null;
            }
            Path dir = Files.createTempDirectory("diag-sampler-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path lib = dir.resolve(FILE_NAME);
            try (InputStream in = AsyncProfilerLibrary.class.getResourceAsStream(RESOURCE_DIR + platform + "/" + FILE_NAME)) {
                if (in == null) {
                    failure = "diag.jar holds no native sampler for " + platform;
                    return null;
                }
                Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                allowNativeAccess(inst);
                bind(lib.toString());
            } finally {
                Files.deleteIfExists(lib);
                Files.deleteIfExists(dir);
            }
            AsyncProfilerLibrary library = new AsyncProfilerLibrary();
            library.execute("version"); // the natives are bound: this fails with UnsatisfiedLinkError otherwise
            loaded = library;
            return library;
        } catch (Throwable e) { // UnsatisfiedLinkError (musl, an old glibc), IOException, a refusing JVM
            failure = "the native sampler cannot load (" + e + ")";
            return null;
        }
    }

    /** Returns why {@link #load} returned null, or null. */
    public static synchronized String failure() {
        return failure;
    }

    /**
     * From JDK 22 on, {@code System.load} from a module without native access prints a four-line warning on stderr
     * (JEP 472), which {@code --enable-native-access} on the command line would avoid: diag grants that access to its
     * own module, as the command line would, through the JDK's internal access point (exported to diag for this one
     * call with {@code Instrumentation.redefineModule}). diag runs in an unnamed module, and the JDK keeps that access for
     * all of them at once: the application's own code on the class path gets it too, as with
     * {@code --enable-native-access=ALL-UNNAMED}. Without an {@code Instrumentation}, or where
     * the JDK has no such method (JDK 17-21, where nothing warns), nothing is done.
     */
    private static void allowNativeAccess(Instrumentation inst) {
        if (inst == null || Runtime.version().feature() < 22) return;
        Module self = AsyncProfilerLibrary.class.getModule();
        try {
            Module base = Object.class.getModule();
            inst.redefineModule(base, Set.of(), Map.of("jdk.internal.access", Set.of(self)), Map.of(), Set.of(),
                    Map.of());
            Class<?> secrets = Class.forName("jdk.internal.access.SharedSecrets");
            Object access = secrets.getMethod("getJavaLangAccess").invoke(null);
            Class<?> api = Class.forName("jdk.internal.access.JavaLangAccess");
            // The JDK keeps one flag for every unnamed module (what --enable-native-access=ALL-UNNAMED sets).
            if (self.isNamed()) api.getMethod("addEnableNativeAccess", Module.class).invoke(access, self);
            else api.getMethod("addEnableNativeAccessToAllUnnamed").invoke(access);
        } catch (ReflectiveOperationException | RuntimeException e) {
            dev.diag.base.Log.debug("sampler: native access not granted (" + e + "); the JDK may warn once");
        }
    }

    /** The call of {@code System.load} must come from this class: the library binds its natives to the caller's class. */
    private static void bind(String path) {
        System.load(path);
    }

    /**
     * Runs one async-profiler command ({@code start,event=cpu,...}, {@code stop}, {@code version}) and returns its
     * text output.
     *
     * @throws IllegalStateException    the profiler refused (already started, not started, an event it cannot use)
     * @throws IllegalArgumentException the command does not parse
     */
    public synchronized String execute(String command) throws IOException {
        return execute0(command);
    }

    static String platform() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) return null;
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64") || arch.equals("x86_64")) return "linux-x64";
        if (arch.equals("aarch64") || arch.equals("arm64")) return "linux-arm64";
        return null;
    }

    /** Two copies of async-profiler in one process would fight over the same signals and JVMTI callbacks. */
    private static boolean alreadyMapped() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                if (line.contains(FILE_NAME)) return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    // Registered by the library's JNI_OnLoad; names and descriptors are async-profiler's.
    private native void start0(String event, long interval, boolean reset) throws IllegalStateException;

    private native void stop0() throws IllegalStateException;

    private native String execute0(String command) throws IOException;

    private native byte[] execute1(String command) throws IOException;

    private native long getSamples();

    private native void filterThread0(Thread thread, boolean enable);
}
