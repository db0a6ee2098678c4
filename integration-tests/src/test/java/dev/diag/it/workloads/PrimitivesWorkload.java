package dev.diag.it.workloads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Waits on j.u.c. primitives and a monitor from methods named after them ({@code awaitLatch}, {@code takeFromQueue},
 * {@code acquirePermit}, {@code getFuture}, {@code awaitBarrier}, {@code awaitPhase}, {@code takeHandOff},
 * {@code getTask}, {@code waitForNotify}), {@value #ROUNDS} times each, about 20 ms a time (or the ms given as
 * argument), while the main thread releases them; one more thread only sleeps ({@code sleepAWhile}), which Go does
 * not count as blocking. Prints {@code NAME_ns=N}, each waiter's measured total, and exits 0.
 */
public final class PrimitivesWorkload {
    static final int ROUNDS = 10;

    /** A wait that the workload times. */
    private interface Wait {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        long gapMillis = args.length > 0 ? Long.parseLong(args[0]) : 20;
        WorkloadSupport.awaitDiagInit();
        Map<String, AtomicLong> totals = new LinkedHashMap<>();
        for (String name : new String[] {"latch", "queue", "permit", "future", "barrier", "phaser", "handoff", "task",
                "notify", "sleep"}) {
            totals.put(name, new AtomicLong());
        }
        for (int r = 0; r < ROUNDS; r++) {
            CountDownLatch latch = new CountDownLatch(1);
            ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
            Semaphore permits = new Semaphore(0);
            CompletableFuture<String> future = new CompletableFuture<>();
            CyclicBarrier barrier = new CyclicBarrier(2);
            Phaser phaser = new Phaser(2);
            SynchronousQueue<String> handOff = new SynchronousQueue<>();
            FutureTask<String> task = new FutureTask<>(() -> "x");
            Monitor monitor = new Monitor();
            List<Thread> waiters = new ArrayList<>();
            waiters.add(waiter("latch-waiter", totals.get("latch"), () -> awaitLatch(latch)));
            waiters.add(waiter("queue-waiter", totals.get("queue"), () -> takeFromQueue(queue)));
            waiters.add(waiter("permit-waiter", totals.get("permit"), () -> acquirePermit(permits)));
            waiters.add(waiter("future-waiter", totals.get("future"), () -> getFuture(future)));
            waiters.add(waiter("barrier-waiter", totals.get("barrier"), () -> awaitBarrier(barrier)));
            waiters.add(waiter("phaser-waiter", totals.get("phaser"), () -> awaitPhase(phaser)));
            waiters.add(waiter("handoff-waiter", totals.get("handoff"), () -> takeHandOff(handOff)));
            waiters.add(waiter("task-waiter", totals.get("task"), () -> getTask(task)));
            waiters.add(waiter("notify-waiter", totals.get("notify"), monitor::waitForNotify));
            waiters.add(waiter("sleeper", totals.get("sleep"), () -> sleepAWhile(gapMillis)));
            for (Thread t : waiters) t.start();
            Thread.sleep(gapMillis);
            latch.countDown();
            queue.put("x");
            permits.release();
            future.complete("x");
            barrier.await();
            phaser.arrive();
            handOff.put("x");
            task.run();
            monitor.notifyWaiter();
            for (Thread t : waiters) t.join();
        }
        StringBuilder out = new StringBuilder();
        totals.forEach((name, ns) -> out.append(name).append("_ns=").append(ns).append(' '));
        System.out.println(out.toString().trim());
        System.exit(0); // explicit: a test must not depend on every other thread being a daemon
    }

    private static Thread waiter(String name, AtomicLong total, Wait wait) {
        return new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                wait.run();
            } catch (Exception e) {
                return;
            }
            total.addAndGet(System.nanoTime() - t0);
        }, name);
    }

    static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        latch.await();
    }

    static void takeFromQueue(ArrayBlockingQueue<String> queue) throws InterruptedException {
        queue.take();
    }

    static void acquirePermit(Semaphore permits) throws InterruptedException {
        permits.acquire();
    }

    static void getFuture(CompletableFuture<String> future) throws Exception {
        future.get();
    }

    static void awaitBarrier(CyclicBarrier barrier) throws Exception {
        barrier.await();
    }

    static void awaitPhase(Phaser phaser) {
        phaser.arriveAndAwaitAdvance();
    }

    static void takeHandOff(SynchronousQueue<String> handOff) throws InterruptedException {
        handOff.take();
    }

    static void getTask(FutureTask<String> task) throws Exception {
        task.get();
    }

    static void sleepAWhile(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** {@code Object.wait} until the main thread notifies. */
    private static final class Monitor {
        private boolean notified;

        synchronized void waitForNotify() throws InterruptedException {
            while (!notified) wait();
        }

        synchronized void notifyWaiter() {
            notified = true;
            notifyAll();
        }
    }
}
