package dev.diag.bench.trace;

import dev.diag.api.Region;
import dev.diag.api.Trace;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tracer's overhead harness: two producers and two consumers contend for one lock and hand items over a small
 * queue, each item in a trace region, for a fixed time; prints the items per second. Run it side by side without
 * the agent, with the agent and no trace, and with {@code trace=FILE}; it prints items per second and the process's
 * CPU time per item over the measured window:
 *
 * <pre>
 * CP=benchmarks/target/benchmarks.jar; W=dev.diag.bench.trace.ContendedTraceWorkload
 * java -cp $CP $W 10 UNIT
 * java -javaagent:agent/target/diag.jar -cp $CP $W 10 UNIT
 * java -javaagent:agent/target/diag.jar=trace=/tmp/w.trace -cp $CP $W 10 UNIT
 * </pre>
 */
public final class ContendedTraceWorkload {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final BlockingQueue<Long> QUEUE = new ArrayBlockingQueue<>(16);
    private static final LongAdder ITEMS = new LongAdder();
    private static final AtomicBoolean STOP = new AtomicBoolean();
    private static long shared;
    /** Work per item: 1 is a few microseconds (an extreme rate of waits), 20 tens of microseconds. */
    private static int unit = 1;
    /** Whether each item is a region (third argument {@code noregions}: not, to see what parks alone cost). */
    private static boolean regions = true;

    private ContendedTraceWorkload() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        unit = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        regions = args.length < 3 || !args[2].equals("noregions");
        dev.diag.bench.DiagInit.await(); // the agent's start-up (instrumentation, JFR) stays outside the measured window
        Thread[] threads = new Thread[4];
        for (int i = 0; i < 2; i++) {
            threads[i] = new Thread(ContendedTraceWorkload::produce, "producer-" + i);
            threads[2 + i] = new Thread(ContendedTraceWorkload::consume, "consumer-" + i);
        }
        for (Thread t : threads) t.start();
        Thread.sleep(1000); // warm-up
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        long before = ITEMS.sum();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long items = ITEMS.sum() - before;
        long cpu = os.getProcessCpuTime() - cpu0;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        STOP.set(true);
        for (Thread t : threads) t.interrupt();
        for (Thread t : threads) t.join();
        // CPU per item as well as items per second: on a loaded machine the throughput follows the CPU share the
        // process gets, while the CPU the process spends per item is what the agent adds.
        System.out.printf("items/s %.0f cpu-us/item %.2f unit=%d tracing=%s%n", items / elapsed,
                cpu / 1e3 / Math.max(1, items), unit, Trace.isEnabled());
    }

    private static void produce() {
        long i = 0;
        try {
            while (!STOP.get()) {
                try (Region r = regions ? Trace.region("produce") : null) {
                    work(20);
                    QUEUE.put(i++);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void consume() {
        try {
            while (!STOP.get()) {
                Long item = QUEUE.take();
                try (Region r = regions ? Trace.region("consume") : null) {
                    work(item.intValue() % 40);
                    ITEMS.increment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A few microseconds under the lock, some outside: enough contention to park often. */
    private static void work(int n) {
        LOCK.lock();
        try {
            for (int k = 0; k < (200 + n) * unit; k++) shared = shared * 31 + k;
        } finally {
            LOCK.unlock();
        }
        long x = shared;
        for (int k = 0; k < 300 * unit; k++) x = x * 17 + k;
        if (x == 42) System.out.print("");
    }
}
