package dev.diag.attach;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;

/**
 * What a running diag publishes about itself as system properties of its JVM, and what {@code list}, {@code status}
 * and {@code attach} read back over the attach connection ({@code VirtualMachine.getSystemProperties()}).
 *
 * <p>System properties because the attach protocol can read them without loading anything into the target (no
 * agent load, so no JDK 21+ dynamic-agent warning, and no JMX server to start). Every name is under {@code dev.diag.}.
 * This class names no {@code com.sun.tools.attach} type: it runs inside targets that may lack {@code jdk.attach}.
 */
public final class AgentProperties {
    /** diag's version (the jar's Implementation-Version); present once diag has started in the JVM. */
    public static final String VERSION = "dev.diag.version";
    /** The diag.jar the running agent was loaded from. */
    public static final String JAR = "dev.diag.jar";
    /** Fingerprint of the hook classes in the boot loader; another build of diag cannot reconfigure this one. */
    public static final String BUILD = "dev.diag.build";
    /** The running configuration, as {@code key=value,...} of the keys that were set, as shown: secrets redacted. */
    public static final String OPTIONS = "dev.diag.options";
    /** diag's counters, one {@code name=value} per line, refreshed every second by {@link StatusPublisher}. */
    public static final String COUNTERS = "dev.diag.counters";
    /** When {@link #COUNTERS} was last refreshed, epoch milliseconds. */
    public static final String COUNTERS_TIME = "dev.diag.counters.time";
    /**
     * When diag's start-up ({@code diag-init}: every feature of the options started) ended, epoch milliseconds;
     * absent while it runs. {@code status} shows it; a test workload waits for it before its measured part.
     */
    public static final String STARTED = "dev.diag.started";
    /** The answer to the last attach request: see {@link AttachResult}. */
    public static final String ATTACH_RESULT = "dev.diag.attach.result";

    /**
     * The prefix of the answers to {@code profile} windows, one property per request id ({@link WindowRequest}); the
     * agent keeps only the last few.
     */
    public static final String WINDOW_RESULT = "dev.diag.window.result";

    /** Where diag.jar carries the hook classes that go into the boot loader. */
    public static final String BOOTSTRAP_JAR = "/META-INF/diag/bootstrap.jar";

    private AgentProperties() {}

    /** Publishes version, jar, build and options; called at start and after every reconfiguration. */
    public static void publish(String version, String jar, String build, String options) {
        System.setProperty(VERSION, version);
        System.setProperty(JAR, jar);
        System.setProperty(BUILD, build);
        System.setProperty(OPTIONS, options);
    }

    /** Publishes that diag's start-up has ended. */
    public static void publishStarted() {
        System.setProperty(STARTED, Long.toString(System.currentTimeMillis()));
    }

    /** Returns the counters as published text: {@code name=value} lines, in the map's (sorted) order. */
    static String counterText(Map<String, LongSupplier> counters) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, LongSupplier> e : counters.entrySet()) {
            long v;
            try {
                v = e.getValue().getAsLong();
            } catch (RuntimeException ex) {
                continue; // a counter that cannot be read now is left out rather than stopping the others
            }
            sb.append(e.getKey()).append('=').append(v).append('\n');
        }
        return sb.toString();
    }

    /** Returns the fingerprint of a bootstrap jar: CRC-32 of its bytes, as 8 hex digits. */
    public static String fingerprint(byte[] bootstrapJar) {
        CRC32 crc = new CRC32();
        crc.update(bootstrapJar);
        return String.format("%08x", crc.getValue());
    }

    /** Returns the fingerprint of the hook classes this diag.jar carries, or "" when it carries none. */
    public static String ownBuild() {
        try (InputStream in = AgentProperties.class.getResourceAsStream(BOOTSTRAP_JAR)) {
            return in == null ? "" : fingerprint(in.readAllBytes());
        } catch (IOException e) {
            return "";
        }
    }

    /** Returns whether diag runs in the JVM whose system properties these are. */
    public static boolean isLoaded(Properties target) {
        return target.getProperty(VERSION) != null;
    }
}
