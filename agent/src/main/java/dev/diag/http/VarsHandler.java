package dev.diag.http;

import dev.diag.feature.FeatureContext;
import dev.diag.json.JsonString;
import dev.diag.pprof.GoMemStats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Serves {@code /debug/vars} as Go's {@code expvar} does: {@code {\n}, {@code "key": value} entries in key order joined
 * by {@code ,\n}, then {@code \n}\n}. Keys: {@code cmdline} (array), {@code memstats} ({@link GoMemStats}: Go's names,
 * JVM values), {@code jvm} (what Go's memstats has no name for: threads, classes, uptime) and {@code diag} (diag's
 * own counters: events seen and dropped, ring occupancy, requests served), and beside them each variable the
 * application published with {@code dev.diag.api.Vars}, as Go's {@code expvar.Publish} adds a key.
 */
final class VarsHandler implements Endpoint {
    private final FeatureContext agent;
    private final List<String> cmdline;

    VarsHandler(FeatureContext agent, List<String> cmdline) {
        this.agent = agent;
        this.cmdline = cmdline;
    }

    @Override
    public void serve(PprofExchange ex) throws IOException {
        Map<String, String> vars = new TreeMap<>();
        vars.put("cmdline", json(cmdline));
        vars.put("memstats", json(GoMemStats.read()));
        vars.put("jvm", json(jvm()));
        Map<String, Object> diag = new TreeMap<>();
        for (Map.Entry<String, LongSupplier> c : agent.counters().entrySet()) {
            try {
                diag.put(c.getKey(), c.getValue().getAsLong());
            } catch (RuntimeException e) {
                diag.put(c.getKey(), -1L); // a broken counter must not take the page down
            }
        }
        vars.put("diag", json(diag));
        // The application's names never collide with the four above: Vars refuses them at publication.
        ApplicationVars.read().forEach(vars::putIfAbsent);
        StringBuilder sb = new StringBuilder("{\n");
        boolean first = true;
        for (Map.Entry<String, String> e : vars.entrySet()) {
            if (!first) sb.append(",\n");
            first = false;
            sb.append(json(e.getKey())).append(": ").append(e.getValue());
        }
        sb.append("\n}\n");
        ex.withoutNoSniff(); // expvar sets only the content type
        ex.send(200, GoPprof.JSON, null, sb.toString());
    }

    private static Map<String, Object> jvm() {
        var threads = ManagementFactory.getThreadMXBean();
        var classes = ManagementFactory.getClassLoadingMXBean();
        var runtime = ManagementFactory.getRuntimeMXBean();
        Map<String, Object> m = new TreeMap<>();
        m.put("Threads", (long) threads.getThreadCount());
        m.put("DaemonThreads", (long) threads.getDaemonThreadCount());
        m.put("PeakThreads", (long) threads.getPeakThreadCount());
        m.put("ThreadsStarted", threads.getTotalStartedThreadCount());
        m.put("ClassesLoaded", (long) classes.getLoadedClassCount());
        m.put("ClassesLoadedTotal", classes.getTotalLoadedClassCount());
        m.put("ClassesUnloaded", classes.getUnloadedClassCount());
        m.put("UptimeNs", runtime.getUptime() * 1_000_000L);
        m.put("HeapMax", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
        m.put("Processors", (long) Runtime.getRuntime().availableProcessors());
        m.put("Version", Runtime.version().toString());
        return m;
    }

    /** Writes a value as compact JSON: maps, lists, long arrays, strings, numbers, booleans. */
    static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            JsonString.append(sb, (String) v);
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) sb.append(',');
                first = false;
                JsonString.append(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object o : (List<?>) v) {
                if (!first) sb.append(',');
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else if (v instanceof long[]) {
            long[] a = (long[]) v;
            sb.append('[');
            for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : ",").append(a[i]);
            sb.append(']');
        } else if (v instanceof Double) {
            double d = (Double) v;
            sb.append(Double.isFinite(d) ? Double.toString(d) : "0");
        } else {
            sb.append(v); // Long, Integer, Boolean
        }
    }
}
