package dev.diag.it.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A JVM to attach to: prints {@code ready}, waits (at most 60 s) until the file {@code args[0]} exists, then starts
 * exactly 10 short-lived platform threads from {@code spawnAfterAttach}, prints {@code spawned=10} and exits with 3.
 * The test creates the file once its attaches are done, so the workload knows the truth: 10 thread creations after
 * the hooks went in, from a thread (main) that was running before.
 */
public final class AttachTarget {
    public static final int EXIT_CODE = 3;
    public static final int THREADS = 10;

    public static void main(String[] args) throws Exception {
        Path go = Path.of(args[0]);
        System.out.println("ready");
        System.out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(go) && System.nanoTime() < deadline) Thread.sleep(10);
        spawnAfterAttach();
        System.out.println("spawned=" + THREADS);
        System.exit(EXIT_CODE);
    }

    static void spawnAfterAttach() throws InterruptedException {
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> { }, "after-attach-" + i);
            t.start();
            t.join();
        }
    }
}
