package dev.diag.it.workloads;

import java.util.concurrent.CountDownLatch;

/**
 * Three threads touch a class whose static initializer another thread is still running (it takes 300 ms), so each
 * waits for it inside the JVM; each measures its own wait. Prints {@code truth waited_ns=N} (their sum) and exits.
 */
public final class ClassInitWorkload {
    private static volatile long sink;

    static final class SlowToInitialize {
        static final long VALUE;

        static {
            long end = System.nanoTime() + 300_000_000L;
            long h = 0;
            while (System.nanoTime() < end) h += System.nanoTime() % 7; // busy, not sleeping: the wait is the JVM's
            VALUE = h;
        }

        static long value() {
            return VALUE;
        }
    }

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        CountDownLatch initializing = new CountDownLatch(1);
        Thread initializer = new Thread(() -> {
            initializing.countDown();
            sink += SlowToInitialize.value();
        }, "initializer");
        long[] waited = new long[3];
        Thread[] waiters = new Thread[waited.length];
        for (int i = 0; i < waiters.length; i++) {
            int me = i;
            waiters[i] = new Thread(() -> waited[me] = touchTheClass(), "waiter-" + i);
        }
        initializer.start();
        initializing.await();
        Thread.sleep(50); // the initializer is inside <clinit> now
        for (Thread t : waiters) t.start();
        initializer.join();
        for (Thread t : waiters) t.join();
        System.out.println("truth waited_ns=" + (waited[0] + waited[1] + waited[2]));
        System.out.println("checksum " + sink);
    }

    static long touchTheClass() {
        long start = System.nanoTime();
        sink += SlowToInitialize.value();
        return System.nanoTime() - start;
    }
}
