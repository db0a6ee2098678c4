package dev.diag.it.workloads;

import java.lang.reflect.Method;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * 16 threads hammering 4 locks (2 ReentrantLock, 2 read-write locks, and a monitor) for the given ms: the most park
 * and release events per second the machine allows. Every thread counts its operations; prints {@code ops=N},
 * {@code minThreadOps=N} and diag's ring drop counter ({@code dropped=N}, read from the bootstrap class the hooks
 * use), and exits 0.
 */
public final class LockStressWorkload {
    private static final int THREADS = 16;
    private static final ReentrantLock[] LOCKS = {new ReentrantLock(), new ReentrantLock()};
    private static final ReentrantReadWriteLock[] RW = {new ReentrantReadWriteLock(), new ReentrantReadWriteLock()};
    private static final Object MONITOR = new Object();
    private static volatile boolean running = true;
    private static long shared;

    public static void main(String[] args) throws Exception {
        long runMillis = Long.parseLong(args[0]);
        WorkloadSupport.awaitDiagInit();
        long[] ops = new long[THREADS];
        Thread[] threads = new Thread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            int id = i;
            threads[i] = new Thread(() -> ops[id] = hammer(id), "hammer-" + i);
            threads[i].start();
        }
        Thread.sleep(runMillis);
        running = false;
        long total = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < THREADS; i++) {
            threads[i].join();
            total += ops[i];
            min = Math.min(min, ops[i]);
        }
        System.out.println("ops=" + total + " minThreadOps=" + min + " dropped=" + ringDropped());
        System.exit(0);
    }

    static long hammer(int id) {
        long n = 0;
        while (running) {
            ReentrantLock l = LOCKS[(int) (n + id) & 1];
            l.lock();
            try {
                shared++;
            } finally {
                l.unlock();
            }
            ReentrantReadWriteLock rw = RW[(int) (n + id) & 1];
            if ((n & 3) == 0) {
                rw.writeLock().lock();
                try {
                    shared++;
                } finally {
                    rw.writeLock().unlock();
                }
            } else {
                rw.readLock().lock();
                rw.readLock().unlock();
            }
            if ((n & 15) == 0) {
                synchronized (MONITOR) {
                    shared++;
                }
            }
            n++;
        }
        return n;
    }

    private static long ringDropped() {
        try {
            Class<?> ring = Class.forName("dev.diag.ring.EventRing", true, null);
            Object shared = ring.getField("SHARED").get(null);
            Method dropped = shared.getClass().getMethod("dropped");
            return (long) dropped.invoke(shared);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
