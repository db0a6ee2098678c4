package dev.diag.bench.engine;

import dev.diag.bench.DiagInit;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine issue's application: 4 threads; each op takes a contended {@code ReentrantLock} and a contended monitor
 * briefly, allocates, and computes. Waits for diag's start-up, warms up 2 s (or {@code args[1]} ms: a later window shows
 * the steady state, once the JIT has compiled the profiler's Java side too), then counts ops for {@code args[0]} ms
 * and prints {@code ops=N cpu-ms=C}: the process CPU (every thread: the JVM's, the profiler's) in that window, then
 * {@code groups app=MS diag=MS jit=MS gc=MS other=MS}: the same window's CPU by who spent it ({@link ThreadGroupsCpu}).
 */
public final class EngineWorkload {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Object MONITOR = new Object();
    private static volatile boolean running = true;
    private static volatile Object sink;
    private static long shared;

    public static void main(String[] args) throws Exception {
        long ms = Long.parseLong(args[0]);
        long[] ops = new long[4];
        Thread[] ts = new Thread[ops.length];
        for (int i = 0; i < ts.length; i++) {
            int id = i;
            ts[i] = new Thread(() -> loop(ops, id), "worker-" + i);
            ts[i].start();
        }
        DiagInit.await();
        Thread.sleep(args.length > 1 ? Long.parseLong(args[1]) : 2000);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = sum(ops);
        Map<String, Long> groups0 = ThreadGroupsCpu.read();
        long cpu0 = os.getProcessCpuTime();
        Thread.sleep(ms);
        long cpu = os.getProcessCpuTime() - cpu0;
        Map<String, Long> groups1 = ThreadGroupsCpu.read();
        long measured = sum(ops) - before;
        running = false;
        for (Thread t : ts) t.join();
        System.out.println("ops=" + measured + " cpu-ms=" + cpu / 1_000_000);
        System.out.println("groups " + ThreadGroupsCpu.difference(groups0, groups1));
        System.exit(0);
    }

    private static long sum(long[] ops) {
        long s = 0;
        for (long o : ops) s += o;
        return s;
    }

    private static void loop(long[] ops, int id) {
        long n = 0;
        long x = id + 1;
        while (running) {
            LOCK.lock();
            try {
                for (int i = 0; i < 50; i++) x = x * 31 + i;
                shared += x;
            } finally {
                LOCK.unlock();
            }
            synchronized (MONITOR) {
                shared++;
            }
            sink = new byte[64 + (int) (n & 511)];
            for (int i = 0; i < 2000; i++) x = x * 17 + (i ^ (x >>> 9));
            n++;
            if ((n & 255) == 0) ops[id] = n;
        }
        ops[id] = n + (x == 42 ? 1 : 0);
    }
}
