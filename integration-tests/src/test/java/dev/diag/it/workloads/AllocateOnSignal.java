package dev.diag.it.workloads;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Allocates in two phases it can tell apart: {@code allocateBefore} for 300 ms at start ({@code ready}), then, once
 * the file {@code args[0]} exists, {@code allocateDuring} allocates 64 MiB in 4 KiB arrays over about half a second and prints the bytes its
 * thread allocated meanwhile as measured by the JVM ({@code during=N}). Then idles until killed (at most 2 minutes).
 */
public final class AllocateOnSignal {
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) allocateBefore();
        System.out.println("ready");
        System.out.flush();
        Path trigger = Path.of(args[0]);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(trigger) && System.nanoTime() < deadline) Thread.sleep(5);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        allocateDuring();
        long during = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("during=" + during);
        System.out.flush();
        Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
    }

    static void allocateBefore() {
        for (int i = 0; i < 1024; i++) sink = new byte[4096];
    }

    /**
     * Spread over about half a second: JFR throttles its allocation samples per short window, so a burst of a few
     * milliseconds can get none at all.
     */
    static void allocateDuring() throws InterruptedException {
        for (int batch = 0; batch < 64; batch++) {
            for (int i = 0; i < 256; i++) sink = new byte[4096];
            Thread.sleep(8);
        }
    }
}
