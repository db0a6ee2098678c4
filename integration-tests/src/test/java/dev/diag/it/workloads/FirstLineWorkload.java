package dev.diag.it.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Does its work from the first line of {@code main}, without waiting for diag's start-up: starts {@value #EARLY}
 * short-lived threads ({@code startEarly}), then 4 waiters take a {@link ReentrantLock} that a holder keeps 5 ms at a
 * time ({@code waitForLock}), each measuring its own waiting (as {@link LockContentionWorkload}), for the run time in ms (args[0]). Prints
 * {@code truth early=N early_ms=T waited_ns=W} (T: how long after the JVM started the early threads were) and exits 0.
 * Waits for threads by sleeping, not joining, so that the only waits on a j.u.c. primitive are the lock's.
 */
public final class FirstLineWorkload {
    public static final int EARLY = 8;
    static final int WAITERS = 4;
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final AtomicLong WAITED = new AtomicLong();
    private static volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        List<Thread> early = startEarly();
        long earlyMillis = System.currentTimeMillis()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long runMillis = Long.parseLong(args[0]);
        List<Thread> threads = new ArrayList<>(early);
        Thread holder = new Thread(FirstLineWorkload::holderLoop, "holder");
        holder.start();
        threads.add(holder);
        for (int i = 0; i < WAITERS; i++) {
            Thread t = new Thread(FirstLineWorkload::waiterLoop, "waiter-" + i);
            t.start();
            threads.add(t);
        }
        Thread.sleep(runMillis);
        running = false;
        for (Thread t : threads) {
            while (t.isAlive()) Thread.sleep(1);
        }
        System.out.println("truth early=" + EARLY + " early_ms=" + earlyMillis + " waited_ns=" + WAITED.get());
        System.out.flush();
        System.exit(0);
    }

    static List<Thread> startEarly() {
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < EARLY; i++) {
            Thread t = new Thread(() -> {}, "early-" + i);
            t.start();
            started.add(t);
        }
        return started;
    }

    private static void holderLoop() {
        while (running) {
            LOCK.lock();
            try {
                pause(5);
            } finally {
                LOCK.unlock();
            }
            pause(1); // outside the lock, so that waiters get it in turn
        }
    }

    private static void waiterLoop() {
        while (running) {
            waitForLock(System.nanoTime());
            pause(2);
        }
    }

    private static void waitForLock(long t0) {
        LOCK.lock();
        try {
            WAITED.addAndGet(System.nanoTime() - t0);
        } finally {
            LOCK.unlock();
        }
    }

    /** Sleeps, which is not a wait on a j.u.c. primitive (Go's block profile does not count a sleep either). */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
