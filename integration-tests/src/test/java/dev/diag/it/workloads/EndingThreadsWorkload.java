package dev.diag.it.workloads;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Threads that burn CPU and end long before the JVM does, as a batch job's workers do: each of 3 threads spins for
 * {@code args[0]} ms on the clock ({@code System.nanoTime()} in the loop, where JFR's sampler often cannot walk the
 * stack), prints the CPU time it measured ({@code burned=NANOS}) and ends; the JVM exits 2 s later.
 */
public final class EndingThreadsWorkload {
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long millis = Long.parseLong(args[0]);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread[] workers = new Thread[3];
        long[] burned = new long[workers.length];
        for (int i = 0; i < workers.length; i++) {
            int k = i;
            workers[i] = new Thread(() -> {
                long cpu0 = mx.getCurrentThreadCpuTime();
                burnOnTheClock(millis);
                burned[k] = mx.getCurrentThreadCpuTime() - cpu0;
            }, "ending-" + i);
            workers[i].start();
        }
        long total = 0;
        for (int i = 0; i < workers.length; i++) {
            workers[i].join();
            total += burned[i];
        }
        System.out.println("burned=" + total);
        System.out.flush();
        Thread.sleep(2_000);
    }

    static void burnOnTheClock(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long x = 0;
        while (System.nanoTime() < end) x += x * 31 + 7;
        sink = x;
    }
}
