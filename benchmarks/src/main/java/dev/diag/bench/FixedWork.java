package dev.diag.bench;

import java.lang.management.ManagementFactory;

/**
 * The workload {@link ProfilingOverhead} runs in fresh JVMs: prints the JVM's uptime when {@code main} starts, then
 * (when {@code args[0]} > 0) does a fixed amount of work, 2 threads burning CPU and allocating for {@code args[0]}
 * rounds, and prints the process CPU time it took.
 */
public final class FixedWork {
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        System.out.println("main-at-ms " + ManagementFactory.getRuntimeMXBean().getUptime());
        int rounds = Integer.parseInt(args[0]);
        if (rounds == 0) return;
        Thread.sleep(3000); // let diag's start-up (JFR) finish, so the work is measured against steady state
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread[] threads = new Thread[2];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int r = 0; r < rounds; r++) work();
            });
            threads[i].start();
        }
        for (Thread t : threads) t.join();
        System.out.println("work-cpu-ms " + (os.getProcessCpuTime() - cpu0) / 1_000_000
                + " wall-ms " + (System.nanoTime() - t0) / 1_000_000);
    }

    static void work() {
        long h = 1125899906842597L;
        for (int i = 0; i < 200_000; i++) h = 31 * h + (i ^ (h >>> 7));
        byte[][] keep = new byte[64][];
        for (int i = 0; i < 64; i++) keep[i] = new byte[512];
        sink += h + keep[(int) (h & 63)].length;
    }
}
