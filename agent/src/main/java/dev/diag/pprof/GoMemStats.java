package dev.diag.pprof;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's {@code runtime.MemStats} filled from JVM values, under Go's field names and in Go's order: what
 * {@code /debug/vars} shows as {@code memstats} and the heap profile's text form ends with.
 *
 * <p>Mapping: {@code HeapAlloc}/{@code Alloc}/{@code HeapInuse} = heap used; {@code HeapSys} = heap committed
 * ({@code NextGC} too: the JVM does not publish its next trigger); {@code OtherSys} = non-heap committed (metaspace,
 * code cache); {@code Sys} = both; {@code TotalAlloc} = bytes allocated by all threads (JDK 21+; on 17 by live threads
 * only); {@code NumGC}/{@code PauseTotalNs} from the stop-the-world collectors' beans (concurrent cycles of G1, ZGC and
 * Shenandoah are not pauses); {@code PauseNs}/{@code PauseEnd}/{@code LastGC}/{@code NumForcedGC} from GC
 * notifications seen since {@link #install()}. Fields with no JVM counterpart (Mallocs, Frees, HeapObjects, MSpan*,
 * MCache*, BuckHashSys, Stack*) are 0.
 */
public final class GoMemStats {
    private static final int PAUSE_RING = 256; // Go keeps the last 256 pauses in a circular buffer
    private static final long[] PAUSE_NS = new long[PAUSE_RING];
    private static final long[] PAUSE_END = new long[PAUSE_RING];
    private static long pauses;
    private static long forced;
    private static long lastGcUnixNanos;
    private static boolean installed;

    private GoMemStats() {}

    /** Starts listening to GC notifications (once; cheap: one callback per collection). */
    public static synchronized void install() {
        if (installed) return;
        installed = true;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter && !isConcurrent(gc.getName())) {
                ((NotificationEmitter) gc).addNotificationListener(GoMemStats::onGc, null, null);
            }
        }
    }

    private static void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long start = ManagementFactory.getRuntimeMXBean().getStartTime();
        long endUnixNanos = (start + info.getGcInfo().getEndTime()) * 1_000_000L;
        synchronized (GoMemStats.class) {
            int i = (int) (pauses % PAUSE_RING);
            PAUSE_NS[i] = info.getGcInfo().getDuration() * 1_000_000L;
            PAUSE_END[i] = endUnixNanos;
            pauses++;
            if ("System.gc()".equals(info.getGcCause())) forced++;
            lastGcUnixNanos = Math.max(lastGcUnixNanos, endUnixNanos);
        }
    }

    /** Concurrent-cycle beans (G1 Concurrent GC, ZGC Cycles, Shenandoah Cycles) count work, not pauses. */
    private static boolean isConcurrent(String name) {
        return name.contains("Concurrent") || name.contains("Cycles");
    }

    /** Returns the statistics now, keyed and ordered as Go's MemStats (values: Long, long[], Double, Boolean, List). */
    public static Map<String, Object> read() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long numGc = 0;
        long pauseTotal = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (isConcurrent(gc.getName())) continue;
            numGc += Math.max(0, gc.getCollectionCount());
            pauseTotal += Math.max(0, gc.getCollectionTime()) * 1_000_000L;
        }
        long[] pauseNs;
        long[] pauseEnd;
        long numForced;
        long lastGc;
        synchronized (GoMemStats.class) {
            pauseNs = PAUSE_NS.clone();
            pauseEnd = PAUSE_END.clone();
            numForced = forced;
            lastGc = lastGcUnixNanos;
        }
        long uptimeNs = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        int cpus = Runtime.getRuntime().availableProcessors();
        double gcFraction = uptimeNs <= 0 ? 0 : (double) pauseTotal / ((double) uptimeNs * cpus);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Alloc", heap.getUsed());
        m.put("TotalAlloc", totalAllocatedBytes());
        m.put("Sys", heap.getCommitted() + nonHeap.getCommitted());
        m.put("Lookups", 0L);
        m.put("Mallocs", 0L);
        m.put("Frees", 0L);
        m.put("HeapAlloc", heap.getUsed());
        m.put("HeapSys", heap.getCommitted());
        m.put("HeapIdle", Math.max(0, heap.getCommitted() - heap.getUsed()));
        m.put("HeapInuse", heap.getUsed());
        m.put("HeapReleased", 0L);
        m.put("HeapObjects", 0L);
        m.put("StackInuse", 0L);
        m.put("StackSys", 0L);
        m.put("MSpanInuse", 0L);
        m.put("MSpanSys", 0L);
        m.put("MCacheInuse", 0L);
        m.put("MCacheSys", 0L);
        m.put("BuckHashSys", 0L);
        m.put("GCSys", 0L);
        m.put("OtherSys", nonHeap.getCommitted());
        m.put("NextGC", heap.getCommitted());
        m.put("LastGC", lastGc);
        m.put("PauseTotalNs", pauseTotal);
        m.put("PauseNs", pauseNs);
        m.put("PauseEnd", pauseEnd);
        m.put("NumGC", numGc);
        m.put("NumForcedGC", numForced);
        m.put("GCCPUFraction", gcFraction);
        m.put("EnableGC", Boolean.TRUE);
        m.put("DebugGC", Boolean.FALSE);
        m.put("BySize", List.of()); // Go's size classes have no JVM counterpart
        return m;
    }

    /** Appends the {@code # runtime.MemStats} block of Go's heap text, line by line as Go writes it. */
    static void appendHeapText(StringBuilder sb) {
        Map<String, Object> m = read();
        sb.append("\n# runtime.MemStats\n");
        for (String k : new String[] {"Alloc", "TotalAlloc", "Sys", "Lookups", "Mallocs", "Frees", "HeapAlloc",
                "HeapSys", "HeapIdle", "HeapInuse", "HeapReleased", "HeapObjects"}) {
            sb.append("# ").append(k).append(" = ").append(m.get(k)).append('\n');
        }
        sb.append("# Stack = ").append(m.get("StackInuse")).append(" / ").append(m.get("StackSys")).append('\n');
        sb.append("# MSpan = ").append(m.get("MSpanInuse")).append(" / ").append(m.get("MSpanSys")).append('\n');
        sb.append("# MCache = ").append(m.get("MCacheInuse")).append(" / ").append(m.get("MCacheSys")).append('\n');
        for (String k : new String[] {"BuckHashSys", "GCSys", "OtherSys", "NextGC", "LastGC"}) {
            sb.append("# ").append(k).append(" = ").append(m.get(k)).append('\n');
        }
        sb.append("# PauseNs = ").append(goArray((long[]) m.get("PauseNs"))).append('\n');
        sb.append("# PauseEnd = ").append(goArray((long[]) m.get("PauseEnd"))).append('\n');
        sb.append("# NumGC = ").append(m.get("NumGC")).append('\n');
        sb.append("# NumForcedGC = ").append(m.get("NumForcedGC")).append('\n');
        sb.append("# GCCPUFraction = ").append(m.get("GCCPUFraction")).append('\n');
        sb.append("# DebugGC = ").append(m.get("DebugGC")).append('\n');
        long maxRss = maxRssBytes();
        if (maxRss > 0) sb.append("# MaxRSS = ").append(maxRss).append('\n');
    }

    private static String goArray(long[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) sb.append(i == 0 ? "" : " ").append(values[i]);
        return sb.append(']').toString();
    }

    /** Returns the bytes allocated by every thread so far: JDK 21+ counts dead threads too, JDK 17 only live ones. */
    private static long totalAllocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean)) return 0;
        var threads = (com.sun.management.ThreadMXBean) bean;
        try {
            Method total = com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes");
            long v = (long) total.invoke(threads);
            if (v >= 0) return v;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // JDK 17: no total; sum the live threads below.
        }
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) sum += Math.max(0, b);
        return sum;
    }

    /** Returns the peak resident set size (Linux VmHWM), Go's MaxRSS, or 0 where unknown. */
    private static long maxRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (Exception e) {
            // Not Linux, or /proc is hidden: Go prints no MaxRSS line there either.
        }
        return 0;
    }
}
