package dev.diag.it.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A workload for {@code diag.jar profile}: the main thread burns CPU in {@code burnCpu}, and two threads take turns
 * on one {@code ReentrantLock} in {@code holdLock}, each holding it 5 ms while the other waits. Prints {@code ready},
 * then runs until the file {@code args[1]} exists ({@code until FILE}) or for {@code args[1]} seconds
 * ({@code for SECONDS}), at most two minutes, and exits 0.
 */
public final class ProfileTarget {
    private static final ReentrantLock LOCK = new ReentrantLock();
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        boolean untilFile = args[0].equals("until");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(untilFile ? 120 : Long.parseLong(args[1]));
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(ProfileTarget::contend, "contender-" + i);
            t.setDaemon(true);
            t.start();
        }
        System.out.println("ready");
        System.out.flush();
        while (System.nanoTime() < end && !(untilFile && Files.exists(Path.of(args[1])))) burnCpu();
    }

    private static void burnCpu() {
        long x = sink;
        for (int i = 0; i < 2_000_000; i++) x = x * 31 + i;
        sink = x;
    }

    private static void contend() {
        try {
            while (true) holdLock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void holdLock() throws InterruptedException {
        LOCK.lock();
        try {
            Thread.sleep(5); // the other thread waits in LOCK.lock meanwhile
        } finally {
            LOCK.unlock();
        }
    }
}
