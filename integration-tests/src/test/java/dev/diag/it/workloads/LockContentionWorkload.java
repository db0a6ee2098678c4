package dev.diag.it.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Ground truth for the block and mutex profiles: one holder keeps a lock about 5 ms at a time ({@code holdLockLong})
 * while 4 waiters keep trying to take it ({@code waitForLock}), each measuring its own waiting. Prints
 * {@code waited_ns=N} (the waiters' total) and exits 0.
 *
 * <p>Args: {@code reentrant|synchronized|stamped|virtual} (stamped: a StampedLock's write lock; virtual: the waiters
 * are virtual threads waiting on a ReentrantLock, JDK 21+), and the run time in ms.
 */
public final class LockContentionWorkload {
    static final int WAITERS = 4;
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Object MONITOR = new Object();
    private static final StampedLock STAMPED = new StampedLock();
    private static final AtomicLong WAITED = new AtomicLong();
    private static volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long runMillis = Long.parseLong(args[1]);
        WorkloadSupport.awaitDiagInit();
        Thread holder = new Thread(() -> holderLoop(mode), "holder");
        holder.start();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            Runnable body = () -> waiterLoop(mode);
            Thread t = mode.equals("virtual") ? WorkloadSupport.startVirtual(body) : new Thread(body, "waiter-" + i);
            if (!mode.equals("virtual")) t.start();
            waiters.add(t);
        }
        Thread.sleep(runMillis);
        running = false;
        holder.join();
        for (Thread t : waiters) t.join();
        System.out.println("waited_ns=" + WAITED.get());
        System.exit(0); // explicit: a test must not depend on every other thread being a daemon
    }

    private static void holderLoop(String mode) {
        while (running) {
            if (mode.equals("synchronized")) holdMonitorLong();
            else if (mode.equals("stamped")) holdStampedLong();
            else holdLockLong();
            pause(1); // outside the lock, so that waiters get it in turn
        }
    }

    private static void holdLockLong() {
        LOCK.lock();
        try {
            pause(5);
        } finally {
            LOCK.unlock();
        }
    }

    private static void holdMonitorLong() {
        synchronized (MONITOR) {
            pause(5);
        }
    }

    private static void holdStampedLong() {
        long stamp = STAMPED.writeLock();
        try {
            pause(5);
        } finally {
            STAMPED.unlockWrite(stamp);
        }
    }

    private static void waiterLoop(String mode) {
        while (running) {
            long t0 = System.nanoTime();
            if (mode.equals("synchronized")) waitForMonitor(t0);
            else if (mode.equals("stamped")) waitForStamped(t0);
            else waitForLock(t0);
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

    private static void waitForStamped(long t0) {
        long stamp = STAMPED.writeLock();
        try {
            WAITED.addAndGet(System.nanoTime() - t0);
        } finally {
            STAMPED.unlockWrite(stamp);
        }
    }

    private static void waitForMonitor(long t0) {
        synchronized (MONITOR) {
            WAITED.addAndGet(System.nanoTime() - t0);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
