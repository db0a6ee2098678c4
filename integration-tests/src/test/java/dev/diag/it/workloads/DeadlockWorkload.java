package dev.diag.it.workloads;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two real deadlocks and one thread that only waits: threads {@code monitor-a} and {@code monitor-b} each hold one
 * monitor and wait to enter the other's ({@code enterAThenB}, {@code enterBThenA}); {@code lock-a} and
 * {@code lock-b} do the same with two {@code ReentrantLock}s ({@code lockCThenD}, {@code lockDThenC}); {@code bystander}
 * waits on a latch nobody counts down, which is no deadlock. Prints {@code ready} once all five wait, then waits for
 * {@code args[0]} ms (every thread is a daemon). With {@code args[1]} {@code bystander-only}, only the bystander runs.
 */
public final class DeadlockWorkload {
    private static final Object A = new Object();
    private static final Object B = new Object();
    private static final ReentrantLock C = new ReentrantLock();
    private static final ReentrantLock D = new ReentrantLock();
    private static final CountDownLatch BOTH_MONITORS_HELD = new CountDownLatch(2);
    private static final CountDownLatch BOTH_LOCKS_HELD = new CountDownLatch(2);
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        boolean bystanderOnly = args.length > 1 && args[1].equals("bystander-only");
        Thread[] threads = bystanderOnly ? new Thread[] {daemon("bystander", DeadlockWorkload::waitForever)}
                : new Thread[] {
                    daemon("monitor-a", DeadlockWorkload::enterAThenB),
                    daemon("monitor-b", DeadlockWorkload::enterBThenA),
                    daemon("lock-a", DeadlockWorkload::lockCThenD), daemon("lock-b", DeadlockWorkload::lockDThenC),
                    daemon("bystander", DeadlockWorkload::waitForever)};
        for (Thread t : threads) t.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!allWaiting(threads) && System.nanoTime() < deadline) Thread.sleep(10);
        System.out.println("ready");
        Thread.sleep(Long.parseLong(args[0]));
    }

    private static boolean allWaiting(Thread[] threads) {
        for (Thread t : threads) {
            Thread.State s = t.getState();
            if (s != Thread.State.BLOCKED && s != Thread.State.WAITING) return false;
        }
        return true;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    static void enterAThenB() {
        synchronized (A) {
            arrive(BOTH_MONITORS_HELD);
            synchronized (B) {
                throw new AssertionError("entered B");
            }
        }
    }

    static void enterBThenA() {
        synchronized (B) {
            arrive(BOTH_MONITORS_HELD);
            synchronized (A) {
                throw new AssertionError("entered A");
            }
        }
    }

    static void lockCThenD() {
        C.lock();
        arrive(BOTH_LOCKS_HELD);
        D.lock();
        throw new AssertionError("took D");
    }

    static void lockDThenC() {
        D.lock();
        arrive(BOTH_LOCKS_HELD);
        C.lock();
        throw new AssertionError("took C");
    }

    static void waitForever() {
        try {
            NEVER.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until both threads of a pair hold their first lock, so that each then waits for the other's. */
    private static void arrive(CountDownLatch latch) {
        latch.countDown();
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
