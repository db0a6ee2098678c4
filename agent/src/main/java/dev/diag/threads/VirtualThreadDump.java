package dev.diag.threads;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lists virtual threads (JDK 21+), which no public API enumerates, through the JVM's own thread dump:
 * {@code HotSpotDiagnosticMXBean.dumpThreads(file, JSON)} written to a private temporary directory, read, deleted.
 *
 * <p>What it lists is what the JVM tracks: virtual threads started by executors and structured concurrency always,
 * and those started directly ({@code Thread.ofVirtual().start}) while {@code jdk.trackAllThreads} is true, its
 * default. Costs a file write of every thread's stack, so it runs on demand (profile requests), never on a timer of
 * diag's own. On JDK 17, or when the dump fails, it returns no threads and says why once at debug level.
 */
final class VirtualThreadDump {
    private static final boolean SUPPORTED = Runtime.version().feature() >= 21;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static volatile Path dir;
    private static volatile boolean failed;

    private VirtualThreadDump() {}

    /** Returns the virtual threads the JVM tracks now; {@code platformIds} tells them apart on JDK 21's dump. */
    static List<Goroutine> list(Set<Long> platformIds) {
        if (!SUPPORTED || failed) return List.of();
        Path file = null;
        try {
            file = directory().resolve("threads-" + SEQUENCE.incrementAndGet() + ".json");
            dump(file);
            String json = Files.readString(file, StandardCharsets.UTF_8);
            return parse(json, platformIds);
        } catch (Throwable e) {
            failed = true;
            dev.diag.base.Log.debug("virtual threads are not listed: " + e);
            return List.of();
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Exception ignored) {
                    // the directory is private and removed at exit
                }
            }
        }
    }

    private static Path directory() throws Exception {
        Path d = dir;
        if (d == null) {
            synchronized (VirtualThreadDump.class) {
                if (dir == null) {
                    dir = Files.createTempDirectory("diag-threads"); // owner-only on POSIX
                    dir.toFile().deleteOnExit();
                }
                d = dir;
            }
        }
        return d;
    }

    private static void dump(Path file) throws Exception {
        Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Enum> format = (Class<Enum>) Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
        @SuppressWarnings("unchecked")
        Object json = Enum.valueOf(format, "JSON");
        Method m = bean.getMethod("dumpThreads", String.class, format);
        @SuppressWarnings("unchecked")
        Object mx = ManagementFactory.getPlatformMXBean((Class<java.lang.management.PlatformManagedObject>) bean);
        m.invoke(mx, file.toAbsolutePath().toString(), json);
    }

    /** Reads the virtual threads out of the JSON dump: flagged {@code "virtual": true}, or (JDK 21) not a platform id. */
    @SuppressWarnings("unchecked")
    static List<Goroutine> parse(String json, Set<Long> platformIds) {
        Map<String, Object> root = (Map<String, Object>) JsonReader.parse(json);
        Map<String, Object> dump = (Map<String, Object>) root.get("threadDump");
        List<Goroutine> out = new ArrayList<>();
        for (Object c : (List<Object>) dump.get("threadContainers")) {
            for (Object t : (List<Object>) ((Map<String, Object>) c).get("threads")) {
                Map<String, Object> thread = (Map<String, Object>) t;
                long tid = Long.parseLong(String.valueOf(thread.get("tid")));
                Object flag = thread.get("virtual");
                boolean virtual = flag != null ? Boolean.TRUE.equals(flag) : !platformIds.contains(tid);
                if (!virtual) continue;
                List<Object> frames = (List<Object>) thread.get("stack");
                StackTraceElement[] stack = new StackTraceElement[frames.size()];
                for (int i = 0; i < stack.length; i++) stack[i] = frame((String) frames.get(i));
                out.add(new Goroutine(tid, String.valueOf(thread.get("name")), (String) thread.get("state"),
                        waitingOn(thread), true, stack));
            }
        }
        return out;
    }

    /** JDK 25 writes {@code "parkBlocker": {"object": "..."}}, {@code "blockedOn"} or {@code "waitingOn"}: the object. */
    @SuppressWarnings("unchecked")
    private static String waitingOn(Map<String, Object> thread) {
        for (String key : new String[] {"parkBlocker", "blockedOn", "waitingOn"}) {
            Object v = thread.get(key);
            if (v instanceof Map) v = ((Map<String, Object>) v).get("object");
            if (v != null) return String.valueOf(v);
        }
        return null;
    }

    /**
     * Parses {@link StackTraceElement#toString()}: {@code [loader/][module@version/]Class.method(File.java:12)}. A
     * hidden class keeps its {@code /0x...} suffix ({@code Foo$$Lambda/0x0000...}).
     */
    static StackTraceElement frame(String text) {
        int paren = text.indexOf('(');
        String where = paren < 0 ? text : text.substring(0, paren);
        String source = paren < 0 ? "" : text.substring(paren + 1, text.endsWith(")") ? text.length() - 1 : text.length());
        int slash;
        while ((slash = where.indexOf('/')) >= 0 && !where.startsWith("0x", slash + 1)) {
            where = where.substring(slash + 1);
        }
        int dot = where.lastIndexOf('.');
        String cls = dot < 0 ? "" : where.substring(0, dot);
        String method = where.substring(dot + 1);
        String file = null;
        int line = -1;
        if (source.equals("Native Method")) {
            line = -2;
        } else if (!source.equals("Unknown Source") && !source.isEmpty()) {
            int colon = source.lastIndexOf(':');
            file = colon < 0 ? source : source.substring(0, colon);
            if (colon >= 0) {
                try {
                    line = Integer.parseInt(source.substring(colon + 1));
                } catch (NumberFormatException e) {
                    line = -1;
                }
            }
        }
        return new StackTraceElement(cls, method, file, line);
    }

    /** For tests: whether this JVM can list virtual threads at all. */
    static boolean supported() {
        return SUPPORTED;
    }

    static File directoryForTests() {
        return dir == null ? null : dir.toFile();
    }
}
