package dev.diag.it.workloads;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocates from two sites for {@code args[0]} ms on one thread: {@code allocTwo} twice the bytes of
 * {@code allocOne}, both garbage at once, while {@code keepForever} retains {@code args[1]} MiB in a static list.
 * Ends with a GC (Go's heap profile is as of the last GC) and prints
 * {@code truth allocTwo=B allocOne=B kept=B} (bytes, measured with the thread's allocated-byte counter); with
 * {@code args[2]}, then stays alive that many ms (for HTTP snapshots).
 */
public final class AllocSitesWorkload {
    static final List<byte[]> KEPT = new ArrayList<>();
    private static volatile Object sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long millis = Long.parseLong(args[0]);
        long keepBytes = Long.parseLong(args[1]) * 1024 * 1024;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long[] bytes = new long[3];
        long end = System.nanoTime() + millis * 1_000_000L;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            long before = threads.getThreadAllocatedBytes(tid);
            int r = random.nextInt(3);
            if (r < 2) allocTwo();
            else allocOne();
            bytes[r < 2 ? 0 : 1] += threads.getThreadAllocatedBytes(tid) - before;
            if (bytes[2] < keepBytes) {
                before = threads.getThreadAllocatedBytes(tid);
                keepForever();
                bytes[2] += threads.getThreadAllocatedBytes(tid) - before;
            }
        }
        System.gc();
        System.out.printf("truth allocTwo=%d allocOne=%d kept=%d%n", bytes[0], bytes[1], bytes[2]);
        System.out.flush();
        if (args.length > 2) Thread.sleep(Long.parseLong(args[2]));
    }

    /** Allocates 64 small arrays (1 KiB each) that die at once. */
    static void allocTwo() {
        for (int i = 0; i < 64; i++) sink = new byte[1024];
    }

    static void allocOne() {
        for (int i = 0; i < 64; i++) sink = new byte[1024];
    }

    static void keepForever() {
        KEPT.add(new byte[16 * 1024]);
    }
}
