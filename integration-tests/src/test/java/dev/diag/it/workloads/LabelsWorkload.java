package dev.diag.it.workloads;

import dev.diag.api.Labels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Burns CPU in one method for {@code args[0]} ms on one thread, each call (about a millisecond) under the label
 * {@code job=six}, {@code job=three} or {@code job=one} drawn 60/30/10 %, all inside an outer {@code tenant=acme}; only
 * the labels tell the jobs apart. Meanwhile a thread labelled {@code role=waiter} waits. Prints
 * {@code truth six=S three=T one=O} (each job's share of the measured CPU time) and exits.
 */
public final class LabelsWorkload {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String[] JOBS = {"six", "three", "one"};
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long millis = Long.parseLong(args[0]);
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try (Labels.Scope s = Labels.with("role", "waiter")) {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "labelled-waiter");
        waiter.setDaemon(true); // still waiting when the goroutine profile is written at exit
        waiter.start();

        long[] cpu = new long[3];
        long end = System.nanoTime() + millis * 1_000_000L;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Labels.Scope tenant = Labels.with("tenant", "acme")) {
            while (System.nanoTime() < end) {
                int r = random.nextInt(10);
                int which = r < 6 ? 0 : r < 9 ? 1 : 2;
                int work = 150_000 + random.nextInt(100_000);
                try (Labels.Scope job = Labels.with("job", JOBS[which])) {
                    long before = THREADS.getCurrentThreadCpuTime();
                    burn(work);
                    cpu[which] += THREADS.getCurrentThreadCpuTime() - before;
                }
            }
        }
        if (!Labels.current().isEmpty()) throw new AssertionError("labels left behind: " + Labels.current());
        double total = cpu[0] + cpu[1] + cpu[2];
        System.out.printf("truth six=%.4f three=%.4f one=%.4f%n", cpu[0] / total, cpu[1] / total, cpu[2] / total);
        System.out.println("checksum " + sink);
    }

    static void burn(int n) {
        long h = 1125899906842597L;
        for (int i = 0; i < n; i++) h = 31 * h + (i ^ (h >>> 7));
        sink += h;
    }
}
