package dev.diag.bench;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The overhead harness's application, in one of two shapes (second argument):
 * <ul>
 * <li>{@code hammer} (default): 4 threads share a ReentrantLock and a monitor, each critical section a little work,
 *     with work outside the locks too, so that threads really contend and park, hundreds of thousands of times a
 *     second; an op is one round.</li>
 * <li>{@code holds}: the integration tests' shape, contention as applications usually have it: a holder keeps the
 *     lock 5 ms at a time (busy, not sleeping, so the holder's own work is measured too) while 4 threads wait for it
 *     and do 1 ms of work between acquisitions; an op is one acquisition by anyone.</li>
 * </ul>
 * Waits until diag's start-up ({@code diag-init}) is over and warms up for a second, so that only the steady state is
 * compared, then prints {@code ops=N} done in the given ms.
 */
public final class ContendedWorkload {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Object MONITOR = new Object();
    private static volatile boolean running = true;
    private static long shared;

    public static void main(String[] args) throws Exception {
        long ms = Long.parseLong(args[0]);
        boolean holds = args.length > 1 && args[1].equals("holds");
        int threads = holds ? 5 : 4;
        long[] ops = new long[threads];
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int id = i;
            Runnable body = !holds ? () -> loop(ops, id) : id == 0 ? () -> holdLoop(ops, id) : () -> waitLoop(ops, id);
            ts[i] = new Thread(body);
            ts[i].start();
        }
        DiagInit.await();
        Thread.sleep(1000); // warm-up: JIT, and the hooks' retransformed classes recompiled
        long before = sum(ops);
        Thread.sleep(ms);
        long measured = sum(ops) - before;
        running = false;
        for (Thread t : ts) t.join();
        System.out.println("ops=" + measured);
        System.exit(0);
    }

    private static long sum(long[] ops) {
        long s = 0;
        for (int i = 0; i < ops.length; i++) s += ops[i];
        return s;
    }

    /** The holder: keeps the lock 5 ms at a time, then 1 ms of work outside it. */
    private static void holdLoop(long[] ops, int id) {
        long n = 0;
        while (running) {
            LOCK.lock();
            try {
                busy(5_000_000L);
            } finally {
                LOCK.unlock();
            }
            busy(1_000_000L);
            ops[id] = ++n;
        }
    }

    /** A waiter: takes the lock for a moment, then 1 ms of work outside it. */
    private static void waitLoop(long[] ops, int id) {
        long n = 0;
        while (running) {
            LOCK.lock();
            try {
                shared++;
            } finally {
                LOCK.unlock();
            }
            busy(1_000_000L);
            ops[id] = ++n;
        }
    }

    /** Computes for about {@code nanos}, so that a slower hook shows as fewer ops. */
    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) x = x * 31 + i;
        }
        if (x == 42) shared++;
    }

    /** Runs until stopped, publishing its count every 1,024 operations (a plain store: the reader tolerates lag). */
    private static void loop(long[] ops, int id) {
        long n = 0;
        long x = 1;
        while (running) {
            LOCK.lock();
            try {
                for (int i = 0; i < 200; i++) x = x * 31 + i;
                shared += x;
            } finally {
                LOCK.unlock();
            }
            if ((n & 7) == 0) {
                synchronized (MONITOR) {
                    shared++;
                }
            }
            for (int i = 0; i < 400; i++) x = x * 17 + i; // outside the lock
            n++;
            if ((n & 1023) == 0) ops[id] = n;
        }
        ops[id] = n + (x == 42 ? 1 : 0);
    }
}
