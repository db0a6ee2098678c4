package dev.diag.it.workloads;

import dev.diag.api.Labels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A generator of endless new profile keys, to show that every table diag keeps is bounded: runs {@code args[0]}
 * seconds and every {@code args[1]} seconds prints {@code mem t=S live=BYTES rss=BYTES} (the heap in use after a
 * full GC, and the process's resident set from {@code /proc/self/status}).
 *
 * <p>Short-lived worker threads ({@value #WORKERS} at a time, each a new name, living about {@value #WORKER_MILLIS} ms)
 * each draw a number from one counter per round and walk down {@value #DEPTH} levels of four look-alike methods
 * chosen by the number's digits in base 4, so nearly every round runs on a stack never seen before. At the bottom,
 * under a label whose value is the number, a round allocates, enters a {@code synchronized} block and a
 * {@code ReentrantLock} that every worker wants (so both are contended: block, mutex), burns a little CPU, and every
 * {@value #START_EVERY}th round starts (and joins) a thread from that stack (threadcreate). Each worker also labels
 * itself for its whole life and ends with that label still set, as a thread labelled for its lifetime does.
 *
 * <p>Runs with or without diag: without it, put the {@code dev.diag.api} jar on the class path.
 */
public final class EndlessStacksWorkload {
    static final int WORKERS = 4;
    static final int DEPTH = 14;
    static final long WORKER_MILLIS = 200;
    static final int START_EVERY = 64;
    /** Work inside each lock and outside both, per round: the locks are busy often enough to be contended. */
    static final int HELD = 2_000;
    static final int UNHELD = 20_000;

    private static final Object MONITOR = new Object();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final AtomicLong NEXT = new AtomicLong();
    private static final AtomicLong THREADS = new AtomicLong();
    private static volatile Object sink;
    private static volatile long spin;
    private static volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        long every = Long.parseLong(args[1]);
        WorkloadSupport.awaitDiagInit();
        System.out.println("ready");
        Thread[] spawners = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++) {
            spawners[i] = new Thread(EndlessStacksWorkload::spawnForever, "gen-spawner-" + i);
            spawners[i].setDaemon(true);
            spawners[i].start();
        }
        long start = System.nanoTime();
        for (long t = every; t <= seconds; t += every) {
            long wake = start + t * 1_000_000_000L;
            for (long left = wake - System.nanoTime(); left > 0; left = wake - System.nanoTime()) {
                Thread.sleep(Math.max(1, left / 1_000_000L));
            }
            System.out.println("mem t=" + t + " live=" + liveHeapAfterFullGc() + " rss=" + rssBytes()
                    + " rounds=" + NEXT.get() + " threads=" + THREADS.get());
        }
        running = false;
        for (Thread s : spawners) s.join(5_000);
        System.out.println("done");
    }

    /** Starts one worker after the other, each a new thread with a new name, until the run ends. */
    private static void spawnForever() {
        while (running) {
            Thread w = new Thread(EndlessStacksWorkload::work, "gen-worker-" + THREADS.incrementAndGet());
            w.start();
            try {
                w.join();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @SuppressWarnings("resource") // left open on purpose: the thread ends labelled
    private static void work() {
        Labels.with("worker", Thread.currentThread().getName());
        long end = System.nanoTime() + WORKER_MILLIS * 1_000_000L;
        while (running && System.nanoTime() < end) {
            long n = NEXT.getAndIncrement();
            descend(n, DEPTH);
        }
    }

    /** Goes down one of four methods by the next base-4 digit of {@code n}: 4^DEPTH distinct stacks. */
    private static void descend(long n, int level) {
        if (level == 0) {
            bottom(n);
            return;
        }
        switch ((int) (n >>> (2 * (level - 1))) & 3) {
            case 0 -> branchA(n, level - 1);
            case 1 -> branchB(n, level - 1);
            case 2 -> branchC(n, level - 1);
            default -> branchD(n, level - 1);
        }
    }

    private static void branchA(long n, int level) {
        descend(n, level);
    }

    private static void branchB(long n, int level) {
        descend(n, level);
    }

    private static void branchC(long n, int level) {
        descend(n, level);
    }

    private static void branchD(long n, int level) {
        descend(n, level);
    }

    private static void bottom(long n) {
        try (Labels.Scope s = Labels.with("round", Long.toString(n))) {
            sink = new byte[64 + (int) (n & 1023)];
            synchronized (MONITOR) {
                burn(HELD);
            }
            LOCK.lock();
            try {
                burn(HELD);
            } finally {
                LOCK.unlock();
            }
            burn(UNHELD);
            if (n % START_EVERY == 0) startOne();
        }
    }

    private static void startOne() {
        Thread t = new Thread(() -> sink = new Object(), "gen-child-" + THREADS.incrementAndGet());
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void burn(int n) {
        long x = spin;
        for (int i = 0; i < n; i++) x = x * 31 + i;
        spin = x;
    }

    /** Returns the heap in use right after a full collection: what the JVM's objects need, garbage left out. */
    static long liveHeapAfterFullGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Returns the resident set size from {@code /proc/self/status} ({@code VmRSS}), or -1 off Linux. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
