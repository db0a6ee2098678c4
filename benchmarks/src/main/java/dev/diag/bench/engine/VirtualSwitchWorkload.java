package dev.diag.bench.engine;

import dev.diag.api.Labels;
import dev.diag.bench.DiagInit;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The worst case for the hooks on {@code VirtualThread.mount()} and {@code unmount()}: 8 virtual threads, each with
 * labels of its own ({@code vt=0..7}), each op a short computation (about a microsecond) and a {@code Thread.yield()},
 * that is an unmount and a mount, on carriers that take turns between differently labelled threads. JDK 21+. Waits
 * for diag's start-up, starts them, warms up 2 s, counts ops for {@code args[0]} ms and prints
 * {@code ops=N cpu-ms=C} (the process CPU in that window), as {@link EngineWorkload} does.
 */
public final class VirtualSwitchWorkload {
    private static final int THREADS = 8;
    private static volatile boolean running = true;
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        long ms = Long.parseLong(args[0]);
        // Threads started before diag's hooks are installed keep a frame of the method the hooks replaced, which takes
        // every switch of theirs off the JVM's fast path (README, "Known limits"): started after, as most are.
        DiagInit.await();
        AtomicLongArray ops = new AtomicLongArray(THREADS);
        Thread[] ts = new Thread[THREADS];
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null); // compiled for 17
        java.lang.reflect.Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        for (int i = 0; i < THREADS; i++) {
            int id = i;
            ts[i] = (Thread) start.invoke(builder, (Runnable) () -> loop(ops, id));
        }
        Thread.sleep(2000);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = sum(ops);
        long cpu0 = os.getProcessCpuTime();
        Thread.sleep(ms);
        long cpu = os.getProcessCpuTime() - cpu0;
        long measured = sum(ops) - before;
        running = false;
        for (Thread t : ts) t.join();
        System.out.println("ops=" + measured + " cpu-ms=" + cpu / 1_000_000);
        System.exit(0);
    }

    private static long sum(AtomicLongArray ops) {
        long s = 0;
        for (int i = 0; i < ops.length(); i++) s += ops.get(i);
        return s;
    }

    private static void loop(AtomicLongArray ops, int id) {
        try (Labels.Scope s = Labels.with("vt", Integer.toString(id))) {
            long h = id;
            while (running) {
                for (int i = 0; i < 1_000; i++) h = 31 * h + (i ^ (h >>> 5));
                sink = h;
                Thread.yield();
                ops.incrementAndGet(id);
            }
        }
    }
}
