package dev.diag.agent;

import dev.diag.base.Log;
import dev.diag.classfile.ClassFileHeader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * Puts diag's hook and API classes into the bootstrap class loader, so instrumented {@code java.*} classes and every
 * application loader see one copy of them.
 *
 * <p>The classes ship as a jar nested in diag.jar ({@code META-INF/diag/bootstrap.jar}) rather than at its root: at
 * the root the system loader would also define them on a lookup the bootstrap loader had not answered yet,
 * and two copies of a hook class mean hooks write where nobody reads.
 *
 * <p>They are defined directly in the bootstrap loader (supertypes first) rather than by
 * {@link Instrumentation#appendToBootstrapClassLoaderSearch}: appending makes HotSpot turn off class-data sharing for
 * every class outside the boot loader (slower start-up for the application) and print
 * "Sharing is only supported for boot loader classes because bootstrap classpath has been appended" on stderr. If the
 * JDK refuses the direct way, diag falls back to appending.
 */
final class BootstrapJar {
    static final String RESOURCE = dev.diag.attach.AgentProperties.BOOTSTRAP_JAR;
    /** Set once the hook classes are in the boot loader: the fingerprint of the jar they came from. */
    static final String LOADED_PROPERTY = dev.diag.attach.AgentProperties.BUILD;

    private static volatile String fingerprint;

    private BootstrapJar() {}

    /**
     * Makes the bootstrap classes visible once per JVM; a second agent load (attach) finds them there already and
     * checks they are this build's: hooks of one build calling into the agent of another would fail at run time.
     */
    static void install(Instrumentation inst) throws IOException {
        byte[] jar;
        try (InputStream in = DiagAgent.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException("diag.jar lacks " + RESOURCE);
            jar = in.readAllBytes();
        }
        String mine = dev.diag.attach.AgentProperties.fingerprint(jar);
        if (isLoaded()) {
            String loaded = System.getProperty(LOADED_PROPERTY);
            if (loaded != null && !loaded.equals(mine)) {
                throw new IOException("this JVM already has the hook classes of another diag build (" + loaded
                        + ", this jar has " + mine + "); restart the JVM to change diag versions");
            }
            fingerprint = mine;
            exportUnsafeToHooks(inst);
            return;
        }
        try {
            defineInBootLoader(inst, classesOf(jar));
        } catch (Exception | LinkageError e) {
            Log.debug("defining bootstrap classes directly failed (" + e + "); appending to the boot class path");
            append(inst, jar);
        }
        if (!isLoaded()) throw new IOException("bootstrap classes not visible after installing them");
        fingerprint = mine;
        System.setProperty(LOADED_PROPERTY, mine);
        exportUnsafeToHooks(inst);
    }

    /**
     * Exports {@code jdk.internal.misc} to the boot loader's unnamed module, where the hook classes live, so that stack
     * capture can read a throwable's backtrace ({@code dev.diag.stack.Backtrace}); the application's modules gain
     * nothing. Without it stacks still come, from {@code StackWalker}, at about three times the cost.
     */
    private static void exportUnsafeToHooks(Instrumentation inst) {
        try {
            Module hooks = Class.forName("dev.diag.hook.CallDepth", false, null).getModule();
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc", Set.of(hooks)),
                    Map.of(), Set.of(), Map.of());
        } catch (Exception | LinkageError e) {
            Log.debug("stack capture falls back to StackWalker: " + e);
        }
    }

    /** Returns the fingerprint (CRC-32 of the nested jar) of the hook classes in use, or "" before install. */
    static String fingerprint() {
        String f = fingerprint;
        return f == null ? "" : f;
    }

    private static Map<String, byte[]> classesOf(byte[] jar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                String n = e.getName();
                if (!n.endsWith(".class") || n.endsWith("module-info.class") || n.startsWith("META-INF/")) continue;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                byte[] b = bytes.toByteArray();
                classes.put(ClassFileHeader.read(b).name(), b);
            }
        }
        return classes;
    }

    /** Opens {@code jdk.internal.misc} to diag (what {@code redefineModule} is for) and defines each class with a null loader. */
    private static void defineInBootLoader(Instrumentation inst, Map<String, byte[]> classes) throws Exception {
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of(),
                Map.of("jdk.internal.misc", Set.of(BootstrapJar.class.getModule())), Set.of(), Map.of());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        Set<String> defined = new HashSet<>();
        for (String name : classes.keySet()) defineWithSupertypes(name, classes, defined, unsafe, define);
    }

    private static void defineWithSupertypes(String name, Map<String, byte[]> classes, Set<String> defined,
                                             Object unsafe, Method define) throws Exception {
        if (!classes.containsKey(name) || !defined.add(name)) return;
        byte[] b = classes.get(name);
        ClassFileHeader.Names header = ClassFileHeader.read(b);
        if (header.superName() != null) defineWithSupertypes(header.superName(), classes, defined, unsafe, define);
        for (String i : header.interfaces()) defineWithSupertypes(i, classes, defined, unsafe, define);
        define.invoke(unsafe, name, b, 0, b.length, null, null);
    }

    private static void append(Instrumentation inst, byte[] jar) throws IOException {
        Path file = Files.createTempFile("diag-bootstrap-", ".jar");
        file.toFile().deleteOnExit();
        Files.write(file, jar);
        inst.appendToBootstrapClassLoaderSearch(new JarFile(file.toFile()));
    }

    /** Returns whether the hook classes resolve through the bootstrap loader. */
    static boolean isLoaded() {
        try {
            return Class.forName("dev.diag.hook.CallDepth", false, null) != null;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
