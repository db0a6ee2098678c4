package dev.diag.it.workloads;

import dev.diag.api.Labels;
import dev.diag.api.Region;
import dev.diag.api.Task;
import dev.diag.api.Trace;
import example.checkout.Billing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tracer's ground truth: a producer and a consumer that contend for one lock and hand items over a queue, a task
 * "checkout" that starts on main and continues on an executor thread and in a CompletableFuture stage, nested regions
 * and span-annotated methods ({@link Billing}). Records what it measured ({@code region NAME NANOS}) for the test to
 * compare with the trace; it prints them only after the last region).
 *
 * <p>In mode {@code jfr}, what only JFR reports instead, each on a thread of its own, one after the other:
 * a thread that burns CPU inside region "burn" ({@code burn CPU_NANOS WALL_NANOS}), one that sleeps three times
 * ({@code sleep NANOS} each), an {@code Object.wait} that another thread's {@code notify} ends ({@code wait NANOS}), and
 * a {@code synchronized} entry that waits for the thread holding the monitor ({@code monitor NANOS}). The notifier and
 * the holder keep running until the thread they released has resumed, so a viewer can draw the wake-up from them.
 * {@code thread NAME ID} gives each thread's id (Go's goroutine id in a {@code .trace}).
 */
public final class TraceWorkload {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final BlockingQueue<Integer> QUEUE = new ArrayBlockingQueue<>(1);
    private static final int ITEMS = 60;
    private static final int SLEEPS = 3;
    private static final long SLEEP_MILLIS = 40;
    /** How long the notifier and the holder keep the other thread waiting. */
    private static final long HOLD_MILLIS = 50;
    private static final Object SIGNAL = new Object();
    private static final Object MONITOR = new Object();
    /** Printed at the end, never inside a region (string work is slow the first time). */
    private static final List<String> TRUTH = java.util.Collections.synchronizedList(new ArrayList<>());
    private static volatile long sink;
    /** CPU time the burner spends in region "burn". */
    private static long burnCpuNanos;
    private static boolean signalled; // guarded by SIGNAL
    private static volatile boolean waiterReady;
    private static volatile boolean waiterResumed;
    private static volatile boolean monitorHeld;
    private static volatile boolean contenderEntered;
    private static volatile Thread monitorContender;

    /**
     * Runs the workload once; with argument {@code loop}, again and again until killed (a server to trace); with
     * {@code jfr CPU_MILLIS}, runs what only JFR reports instead, burning that much CPU time.
     */
    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        if (args.length > 0 && args[0].equals("loop")) {
            System.out.println("serving");
            while (true) runOnce();
        }
        System.out.println("tracing=" + Trace.isEnabled());
        if (args.length > 1 && args[0].equals("jfr")) {
            WorkloadSupport.awaitJfrSetting("jdk.ExecutionSample#period");
            burnCpuNanos = Long.parseLong(args[1]) * 1_000_000L;
            // The first getThreadMXBean loads and transforms the platform MBean classes for a while: done here, so
            // that every CPU sample of the burner is of its burning (a sample in that class loading is truncated).
            ManagementFactory.getThreadMXBean();
            onThread("cpu-burner", TraceWorkload::burnCpu);
            onThread("sleeper", TraceWorkload::sleepSeveralTimes);
            waitForNotify();
            enterHeldMonitor();
            TRUTH.forEach(System.out::println);
        } else {
            runOnce();
            Billing.printMeasured();
        }
        System.out.println("done");
    }

    private static void runOnce() throws Exception {
        Thread producer = new Thread(TraceWorkload::produce, "producer");
        Thread consumer = new Thread(TraceWorkload::consume, "consumer");
        producer.start();
        consumer.start();

        ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "checkout-worker"));
        try (Task task = Trace.newTask("checkout")) {
            // Each region's truth is its body, as an @Traced method's is: what diag does to open a region is not in it.
            long prepareNs;
            long validateNs;
            try (Region prepare = Trace.region("prepare")) {
                long t0 = System.nanoTime();
                spin(10);
                try (Region validate = Trace.region("validate")) {
                    long v0 = System.nanoTime();
                    spin(30);
                    validateNs = System.nanoTime() - v0;
                }
                Trace.log("order", "validated");
                spin(10);
                prepareNs = System.nanoTime() - t0;
            }
            print("validate", validateNs);
            print("prepare", prepareNs);
            pool.submit(TraceWorkload::charge).get();
            CompletableFuture.runAsync(() -> {
                long auditNs;
                try (Region audit = Trace.region("audit")) {
                    long a0 = System.nanoTime();
                    spin(20);
                    auditNs = System.nanoTime() - a0;
                }
                print("audit", auditNs);
            }).get();
        }
        Billing.computeTotals();
        Billing.sendReceipt();
        System.gc(); // with -XX:+ExplicitGCInvokesConcurrent on G1: a concurrent cycle, which this call waits for

        producer.join();
        consumer.join();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    private static void charge() {
        long chargeNs;
        try (Labels.Scope step = Labels.with("step", "charge"); Region charge = Trace.region("charge")) {
            long t0 = System.nanoTime();
            spin(5);
            Billing.chargeCard();
            Trace.log("payment", "charged");
            chargeNs = System.nanoTime() - t0;
        }
        print("charge", chargeNs);
    }

    private static void produce() {
        try {
            for (int i = 0; i < ITEMS; i++) {
                withLock(1);
                QUEUE.put(i);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void consume() {
        try {
            for (int i = 0; i < ITEMS; i++) {
                QUEUE.take();
                withLock(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Holds the shared lock while working for {@code millis}. */
    private static void withLock(long millis) {
        LOCK.lock();
        try {
            spin(millis);
        } finally {
            LOCK.unlock();
        }
    }

    /** Runs {@code body} on a new thread named {@code name} and waits for it. */
    private static void onThread(String name, Runnable body) throws InterruptedException {
        Thread t = start(name, body);
        t.join();
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        TRUTH.add("thread " + name + " " + t.getId());
        return t;
    }

    /** Burns {@link #burnCpuNanos} of this thread's CPU time in region "burn", in a loop JFR can sample. */
    private static void burnCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try (Region burn = Trace.region("burn")) {
            long x = 0;
            while (mx.getCurrentThreadCpuTime() - cpu0 < burnCpuNanos) {
                // Only Java code between the clock reads, a millisecond or so of it: JDK 17's jdk.ExecutionSample
                // drops a sample whose thread is in native code or in a VM leaf call such as a clock read (it cannot
                // walk from there). Reading the clock every 10,000 iterations, or spinning on nanoTime, gave 3-8
                // samples a second instead of ~80.
                for (int i = 0; i < 1_000_000; i++) x = mix(x, i);
            }
            sink = x;
        }
        long wall = System.nanoTime() - t0;
        TRUTH.add("burn " + (mx.getCurrentThreadCpuTime() - cpu0) + " " + wall);
    }

    private static long mix(long x, int i) {
        return (x ^ (x >>> 7)) * 31 + i;
    }

    private static void sleepSeveralTimes() {
        try {
            for (int i = 0; i < SLEEPS; i++) {
                long t0 = System.nanoTime();
                Thread.sleep(SLEEP_MILLIS);
                TRUTH.add("sleep " + (System.nanoTime() - t0));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** "cond-waiter" waits in {@code Object.wait} until "cond-notifier" notifies it, {@link #HOLD_MILLIS} later. */
    private static void waitForNotify() throws InterruptedException {
        Thread waiter = start("cond-waiter", TraceWorkload::awaitSignal);
        Thread notifier = start("cond-notifier", TraceWorkload::sendSignal);
        waiter.join();
        notifier.join();
    }

    private static void awaitSignal() {
        synchronized (SIGNAL) {
            long t0 = System.nanoTime();
            waiterReady = true; // still holding SIGNAL: the notifier can only notify once this thread waits
            try {
                while (!signalled) SIGNAL.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TRUTH.add("wait " + (System.nanoTime() - t0));
        }
        waiterResumed = true;
    }

    private static void sendSignal() {
        while (!waiterReady) Thread.onSpinWait();
        spin(HOLD_MILLIS);
        synchronized (SIGNAL) {
            signalled = true;
            SIGNAL.notify();
        }
        while (!waiterResumed) Thread.onSpinWait(); // running, not waiting, when the waiter wakes
    }

    /** "monitor-contender" blocks entering {@code synchronized} while "monitor-holder" holds the monitor. */
    private static void enterHeldMonitor() throws InterruptedException {
        Thread holder = start("monitor-holder", TraceWorkload::holdMonitor);
        monitorContender = start("monitor-contender", TraceWorkload::enterMonitor);
        holder.join();
        monitorContender.join();
    }

    private static void holdMonitor() {
        synchronized (MONITOR) {
            monitorHeld = true;
            Thread contender;
            while ((contender = monitorContender) == null || contender.getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait();
            }
            spin(HOLD_MILLIS);
        }
        while (!contenderEntered) Thread.onSpinWait(); // running when the contender gets the monitor
    }

    private static void enterMonitor() {
        while (!monitorHeld) Thread.onSpinWait();
        long t0 = System.nanoTime();
        synchronized (MONITOR) {
            TRUTH.add("monitor " + (System.nanoTime() - t0));
            contenderEntered = true;
        }
    }

    private static void print(String region, long nanos) {
        Billing.MEASURED.put(region, nanos);
    }

    private static void spin(long millis) {
        Billing.spin(millis);
    }
}
