package dev.diag.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workload {@code java -jar diag.jar demo} profiles: a few seconds of CPU burning in two methods of known
 * weight, allocation at two sites, a contended lock and a producer/consumer queue, so every profile has something
 * recognisable in it.
 */
public final class DemoApp {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final List<byte[]> RETAINED = new ArrayList<>();
    private static volatile long sink;

    private DemoApp() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        awaitDiagReady();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(16);
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> { while (System.nanoTime() < end) { hashTwoThirds(); hashOneThird(); } }, "cpu"));
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> { while (System.nanoTime() < end) holdLock(); }, "locker-" + i));
        }
        threads.add(new Thread(() -> { while (System.nanoTime() < end) produce(queue); }, "producer"));
        threads.add(new Thread(() -> { while (System.nanoTime() < end) consume(queue); }, "consumer"));
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        System.out.println("demo: done, retained " + RETAINED.size() + " buffers, checksum " + sink);
    }

    /**
     * Waits (at most 30 s) for diag's start-up thread to finish: JFR takes a second or more to start, and the demo's
     * few seconds should all be in the profiles. A real application need not wait; its first seconds are just missing.
     */
    private static void awaitDiagReady() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("diag-init"))) {
            Thread.sleep(10);
        }
    }

    static void hashTwoThirds() { sink += spin(2_000_000); }

    static void hashOneThird() { sink += spin(1_000_000); }

    private static long spin(int n) {
        long h = 1125899906842597L;
        for (int i = 0; i < n; i++) h = 31 * h + (i ^ (h >>> 7));
        return h;
    }

    static void holdLock() {
        LOCK.lock();
        try {
            sink += spin(200_000);
        } finally {
            LOCK.unlock();
        }
    }

    static void produce(BlockingQueue<byte[]> queue) {
        byte[] buffer = new byte[64 * 1024];
        try {
            if (!queue.offer(buffer, 10, java.util.concurrent.TimeUnit.MILLISECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void consume(BlockingQueue<byte[]> queue) {
        try {
            byte[] b = queue.poll(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (b != null && RETAINED.size() < 256) RETAINED.add(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
