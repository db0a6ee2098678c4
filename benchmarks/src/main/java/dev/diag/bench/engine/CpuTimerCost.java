package dev.diag.bench.engine;

import dev.diag.sampler.AsyncProfilerLibrary;
import jdk.jfr.consumer.RecordingFile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one CPU sample costs the thread it samples, by async-profiler's timer: one thread does the same fixed work in
 * phases, each phase under one configuration (none, or a profiler recording), all configurations interleaved in each
 * round, in one JVM so that every phase runs the same compiled code. Prints each configuration's median CPU per phase,
 * its samples per phase, and the extra CPU per sample against none.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar:agent/target/classes:agent-bootstrap/target/classes \
 *     dev.diag.bench.engine.CpuTimerCost [ROUNDS [WORK]] [CONFIG...]</pre>
 *
 * <p>CONFIG: async-profiler event options such as {@code event=ctimer,interval=1ms}; the default set compares
 * perf_events ({@code cpu}), {@code ctimer} and {@code itimer} at 1 ms and 4 ms. WORK: units of work per phase (100
 * takes about 1.2 s).
 */
public final class CpuTimerCost {
    private static long sink;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int work = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        List<String> configs = new ArrayList<>(List.of("none"));
        if (args.length > 2) {
            configs.addAll(List.of(args).subList(2, args.length));
        } else {
            configs.addAll(List.of("event=cpu,interval=1ms", "event=ctimer,interval=1ms", "event=itimer,interval=1ms",
                    "event=cpu,interval=4ms", "event=ctimer,interval=4ms"));
        }
        AsyncProfilerLibrary profiler = AsyncProfilerLibrary.load(null);
        if (profiler == null) throw new IllegalStateException(AsyncProfilerLibrary.failure());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("cpu-timer-cost");
        for (int i = 0; i < 100; i++) sink += unit(); // compiled before any phase counts

        Map<String, List<Long>> cpu = new LinkedHashMap<>();
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String config : configs) {
                Path file = dir.resolve("phase.jfr");
                boolean profiled = !config.equals("none");
                if (profiled) profiler.execute("start," + config + ",loglevel=none,jfr,file=" + file);
                long start = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < work; i++) sink += unit();
                long used = mx.getCurrentThreadCpuTime() - start;
                if (profiled) profiler.execute("stop");
                cpu.computeIfAbsent(config, k -> new ArrayList<>()).add(used);
                samples.computeIfAbsent(config, k -> new ArrayList<>()).add(profiled ? executionSamples(file) : 0);
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);

        long none = median(cpu.get("none"));
        System.out.printf("%-32s %12s %10s %14s%n", "configuration", "CPU ms", "samples", "us per sample");
        for (String config : configs) {
            long c = median(cpu.get(config));
            long n = median(samples.get(config));
            String perSample = n == 0 ? "" : String.format("%.1f", (c - none) / 1e3 / n);
            System.out.printf("%-32s %12.1f %10d %14s%n", config, c / 1e6, n, perSample);
        }
    }

    /** About 12 ms of hashing with a small allocation every thousand steps, as an application's code does. */
    private static long unit() {
        long h = 1;
        for (int i = 0; i < 10_000_000; i++) {
            h = h * 31 + (h >>> 7) ^ i;
            if ((i & 1023) == 0) sink += new byte[64 + (i & 255)].length;
        }
        return h;
    }

    private static long executionSamples(Path file) throws Exception {
        long n = 0;
        try (RecordingFile f = new RecordingFile(file)) {
            while (f.hasMoreEvents()) {
                if (f.readEvent().getEventType().getName().equals("jdk.ExecutionSample")) n++;
            }
        }
        return n;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
