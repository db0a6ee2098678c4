package dev.diag.it.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Knows exactly which threads it started when: 5 from {@code spawnBefore} at start ({@code ready}), then, once the
 * file {@code args[0]} exists, 7 from {@code spawnDuring} ({@code spawned}). All stay parked until the JVM is killed
 * (at most 2 minutes).
 */
public final class SpawnOnSignal {
    public static final int BEFORE = 5;
    public static final int DURING = 7;
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        spawnBefore();
        System.out.println("ready");
        System.out.flush();
        Path trigger = Path.of(args[0]);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(trigger) && System.nanoTime() < deadline) Thread.sleep(5);
        spawnDuring();
        System.out.println("spawned");
        System.out.flush();
        Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
    }

    static void spawnBefore() {
        for (int i = 0; i < BEFORE; i++) start("before-" + i);
    }

    static void spawnDuring() {
        for (int i = 0; i < DURING; i++) start("during-" + i);
    }

    private static void start(String name) {
        Thread t = new Thread(SpawnOnSignal::parked, name);
        t.setDaemon(true);
        t.start();
    }

    static void parked() {
        try {
            NEVER.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
