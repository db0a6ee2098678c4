package dev.diag.it.workloads;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The tracer's CPU samples from the native engine, on the right goroutines. Prints {@code thread NAME ID} for each
 * thread and {@code cpu METHOD NANOS} for the CPU time each burner spent in its method.
 *
 * <ul>
 *   <li>{@code attach}: a thread {@code early-burner}, started before anything else, burns in {@code earlyBurn} until
 *   the JVM is killed (its OS id: {@code ostid early-burner TID}); prints {@code serving} once it runs (diag is attached
 *   after that), and main waits.</li>
 *   <li>{@code exit MILLIS}: main burns {@code MILLIS} of CPU in {@code mainBurn}, starts {@code after-main} (not a
 *   daemon), which burns as long in {@code afterMain}, and returns: its OS thread then goes on as the JVM's
 *   {@code DestroyJavaVM}, a Java thread of its own, until {@code after-main} ends.</li>
 * </ul>
 */
public final class TraceCpuWorkload {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("attach")) {
            Thread early = new Thread(() -> {
                System.out.println("ostid early-burner " + osThreadId());
                earlyBurn();
            }, "early-burner");
            early.setDaemon(true);
            early.start();
            System.out.println("thread early-burner " + early.getId());
            System.out.println("thread main " + Thread.currentThread().getId());
            while (early.getState() == Thread.State.NEW) Thread.sleep(1);
            Thread.sleep(100); // its ostid line first
            System.out.println("serving");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
            return;
        }
        long nanos = Long.parseLong(args[1]) * 1_000_000L;
        WorkloadSupport.awaitDiagInit();
        System.out.println("thread main " + Thread.currentThread().getId());
        System.out.println("cpu mainBurn " + mainBurn(nanos));
        Thread after = new Thread(() -> System.out.println("cpu afterMain " + afterMain(nanos)), "after-main");
        System.out.println("thread after-main " + after.getId());
        System.out.flush();
        after.start();
    }

    /** The calling thread's OS id (Linux), which the test reads its CPU time by. */
    private static long osThreadId() {
        try {
            return Long.parseLong(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self"))
                    .getFileName().toString());
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void earlyBurn() {
        while (true) burn(Long.MAX_VALUE);
    }

    private static long mainBurn(long nanos) {
        return burn(nanos);
    }

    private static long afterMain(long nanos) {
        return burn(nanos);
    }

    /** Burns {@code nanos} of this thread's CPU time; returns how much it burned. */
    private static long burn(long nanos) {
        long start = THREADS.getCurrentThreadCpuTime();
        long h = 7;
        while (THREADS.getCurrentThreadCpuTime() - start < nanos) {
            for (int i = 0; i < 20_000; i++) h = 31 * h + (i ^ (h >>> 7));
        }
        sink = h;
        return THREADS.getCurrentThreadCpuTime() - start;
    }
}
