package dev.diag.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One attach connection to a running JVM ({@code com.sun.tools.attach}): its system properties and loading diag into
 * it. Every failure becomes an {@link AttachException} that names the cause. The only class of diag that names
 * {@code jdk.attach} types: callers check {@link ProcessCheck#attachModuleMissing()} first and name it
 * only from nested classes loaded after that check.
 */
final class TargetJvm implements AutoCloseable {
    /** The oldest Java diag runs on. */
    static final int MIN_JAVA = 17;

    private final long pid;
    private final VirtualMachine vm;
    private final Properties properties;

    private TargetJvm(long pid, VirtualMachine vm, Properties properties) {
        this.pid = pid;
        this.vm = vm;
        this.properties = properties;
    }

    /** Returns the pids of the JVMs this user can see (the attach API's list, from hsperfdata), except this one. */
    static List<Long> list() {
        List<Long> pids = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            try {
                long pid = Long.parseLong(d.id());
                if (pid != self) pids.add(pid);
            } catch (NumberFormatException e) {
                // Not a local pid: not ours to list.
            }
        }
        pids.sort(null);
        return pids;
    }

    /** Attaches to {@code pid} after {@link ProcessCheck} and reads its system properties. */
    static TargetJvm attach(long pid) throws AttachException {
        ProcessCheck.check(pid);
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("does not support the attach mechanism")) {
                throw new AttachException(AttachException.REFUSED, "pid " + pid + " does not accept attach (started "
                        + "with -XX:+DisableAttachMechanism?): " + m);
            }
            throw new AttachException(AttachException.REFUSED, "cannot attach to pid " + pid + ": " + m);
        } catch (IOException | RuntimeException e) {
            throw new AttachException(AttachException.REFUSED, "cannot attach to pid " + pid + ": " + e.getMessage());
        }
        try {
            return new TargetJvm(pid, vm, vm.getSystemProperties());
        } catch (IOException | RuntimeException e) {
            detachQuietly(vm);
            throw new AttachException(AttachException.REFUSED, "cannot read the properties of pid " + pid + ": " + e);
        }
    }

    long pid() {
        return pid;
    }

    Properties properties() {
        return properties;
    }

    /** Returns the target's Java feature version (8 for "1.8"), or -1 when unknown. */
    int javaFeature() {
        return javaFeature(properties);
    }

    /**
     * Returns the Java feature version a JVM's properties name: {@code java.specification.version} ("1.8", "17"),
     * else {@code java.version} ("1.8.0_392", "21.0.1+12"); -1 when neither names one.
     */
    static int javaFeature(Properties properties) {
        int feature = feature(properties.getProperty("java.specification.version", ""));
        return feature >= 0 ? feature : feature(properties.getProperty("java.version", ""));
    }

    /**
     * Returns the feature number at the start of a Java version string, old style ({@code 1.8.0_392} is 8) or JEP 322
     * style ({@code 11.0.2}, {@code 17}, {@code 21.0.1+12}, {@code 25-ea}); -1 when it does not start with one.
     */
    static int feature(String version) {
        String v = version.trim();
        if (v.startsWith("1.")) v = v.substring(2);
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
        if (end == 0 || end > 9 || (end < v.length() && Character.isLetter(v.charAt(end)))) return -1;
        return Integer.parseInt(v.substring(0, end));
    }

    /** Returns the target's main class or jar (first word of {@code sun.java.command}), or "?". */
    String mainClass() {
        String c = properties.getProperty("sun.java.command", "").trim();
        if (c.isEmpty()) return "?";
        int space = c.indexOf(' ');
        return space < 0 ? c : c.substring(0, space);
    }

    /**
     * Throws unless diag can be loaded into the target or reused there: Java {@value #MIN_JAVA} or newer, and no
     * other build of diag already loaded (its hook classes in the boot loader would not match this jar's).
     */
    void requireCompatible() throws AttachException {
        requireSupportedJava();
        String loaded = properties.getProperty(AgentProperties.BUILD);
        if (loaded != null && !loaded.equals(AgentProperties.ownBuild())) {
            throw new AttachException(AttachException.INCOMPATIBLE, "pid " + pid + " already runs another "
                    + "build of diag (" + properties.getProperty(AgentProperties.VERSION, "?")
                    + " from " + properties.getProperty(AgentProperties.JAR, "?")
                    + "): attach with that jar to change its options, or restart the JVM");
        }
    }

    /** Returns the target's system properties as they are now (diag's answers among them), read again. */
    Properties currentProperties() throws IOException {
        return vm.getSystemProperties();
    }

    /** Throws unless the target runs Java {@value #MIN_JAVA} or newer. */
    void requireSupportedJava() throws AttachException {
        requireSupportedJava(pid, properties);
    }

    /**
     * Throws {@link AttachException#INCOMPATIBLE} unless {@code properties} (a target's system properties) name Java
     * {@value #MIN_JAVA} or newer. An unknown version is refused too: diag's class files would not load into an
     * older JVM, and the refusal names what the JVM said instead of a class-version error in the target's stderr.
     */
    static void requireSupportedJava(long pid, Properties properties) throws AttachException {
        int feature = javaFeature(properties);
        if (feature >= MIN_JAVA) return;
        String where = " (" + properties.getProperty("java.home", "?") + "); diag needs Java " + MIN_JAVA + " or newer";
        if (feature < 0) {
            throw new AttachException(AttachException.INCOMPATIBLE, "pid " + pid + " runs a Java version diag cannot "
                    + "read (java.specification.version=\"" + properties.getProperty("java.specification.version", "")
                    + "\", java.version=\"" + properties.getProperty("java.version", "") + "\")" + where);
        }
        throw new AttachException(AttachException.INCOMPATIBLE, "pid " + pid + " runs Java "
                + properties.getProperty("java.version", "?") + where);
    }

    /**
     * Loads diag.jar into the target with {@code agentArgs} and returns the answer it published for
     * {@code requestId}. Returns when the target's {@code agentmain} has returned.
     */
    AttachResult loadAgent(Path jar, String requestId, String options) throws AttachException {
        try {
            vm.loadAgent(jar.toString(), AttachResult.requestArgs(requestId, options));
        } catch (AgentLoadException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("EnableDynamicAgentLoading")) {
                throw new AttachException(AttachException.REFUSED, "pid " + pid + " was started with "
                        + "-XX:-EnableDynamicAgentLoading, which forbids loading agents into it: " + m);
            }
            throw new AttachException(AttachException.REFUSED, "pid " + pid + " could not load " + jar + ": " + m);
        } catch (AgentInitializationException e) {
            throw new AttachException(AttachException.FEATURE_FAILED, "diag's agentmain failed in pid " + pid
                    + " (code " + e.returnValue() + "): " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new AttachException(AttachException.REFUSED, "loading diag into pid " + pid + " failed: " + e);
        }
        AttachResult result;
        try {
            result = AttachResult.decode(vm.getSystemProperties().getProperty(AgentProperties.ATTACH_RESULT));
        } catch (IOException | RuntimeException e) {
            throw new AttachException(AttachException.FEATURE_FAILED, "diag loaded into pid " + pid
                    + ", but its answer could not be read: " + e);
        }
        if (result == null || !result.requestId().equals(requestId)) {
            throw new AttachException(AttachException.FEATURE_FAILED, "diag loaded into pid " + pid
                    + ", but it did not answer (another attach at the same moment?); see the application's stderr");
        }
        return result;
    }

    @Override
    public void close() {
        detachQuietly(vm);
    }

    private static void detachQuietly(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException e) {
            // The connection is gone either way.
        }
    }
}
