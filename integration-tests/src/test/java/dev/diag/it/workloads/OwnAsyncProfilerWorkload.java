package dev.diag.it.workloads;

import one.profiler.AsyncProfiler;
import one.profiler.Counter;

/**
 * An application that profiles itself with its own async-profiler (the library from its own jar), after diag has
 * started: burns CPU in {@code burn} for {@code args[0]} ms under its own profiler, and prints
 * {@code own-profile burn-samples=N} from its own collapsed dump.
 */
public final class OwnAsyncProfilerWorkload {
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        AsyncProfiler profiler = AsyncProfiler.getInstance();
        profiler.execute("start,event=cpu,interval=1ms");
        burn(Long.parseLong(args[0]));
        profiler.stop();
        long samples = 0;
        for (String line : profiler.dumpCollapsed(Counter.SAMPLES).split("\n")) {
            if (line.contains("OwnAsyncProfilerWorkload.burn")) {
                samples += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        System.out.println("own-profile burn-samples=" + samples);
        burn(Long.parseLong(args[0]));
    }

    static void burn(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long h = 17;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) h = 31 * h + (i ^ (h >>> 7));
        }
        sink = h;
    }
}
