package dev.diag.it.workloads;

import dev.diag.api.Labels;
import example.threads.SpinningThread;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Burns CPU in one method for {@code args[0]} ms on one thread, each call (about a millisecond) under the label
 * {@code job=six}, {@code job=three} or {@code job=one} drawn 60/30/10 %, all inside an outer {@code tenant=acme}; only
 * the labels tell the jobs apart. Meanwhile a thread labelled {@code role=waiter} waits. Then hands work to a pool
 * and to {@code CompletableFuture.runAsync} from inside {@code job=pooled} ({@code spinPooled}), and more to the same
 * pool from outside any scope ({@code spinUnlabelled}), and starts a thread inside {@code job=started}
 * ({@code spinStarted}), a {@code Thread} subclass whose {@code run()} does not call {@code super.run()} inside
 * {@code job=subclass} ({@code SpinningThread.spinInSubclass}), and on JDK 21+ a virtual thread inside
 * {@code job=virtual} ({@code spinVirtual}). Prints {@code truth six=S three=T one=O} (each job's share of
 * the measured CPU time), then {@code pooled= unlabelled= started= subclass=}: the CPU milliseconds each of those
 * methods measured on its own thread (a virtual thread's own CPU time is not measured by the JVM), and exits.
 */
public final class LabelsWorkload {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String[] JOBS = {"six", "three", "one"};
    private static volatile long sink;
    private static final AtomicLong pooledCpu = new AtomicLong();
    private static final AtomicLong unlabelledCpu = new AtomicLong();
    private static final AtomicLong startedCpu = new AtomicLong();

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        long millis = Long.parseLong(args[0]);
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try (Labels.Scope s = Labels.with("role", "waiter")) {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "labelled-waiter");
        waiter.setDaemon(true); // still waiting when the goroutine profile is written at exit
        waiter.start();

        long[] cpu = new long[3];
        long end = System.nanoTime() + millis * 1_000_000L;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Labels.Scope tenant = Labels.with("tenant", "acme")) {
            while (System.nanoTime() < end) {
                int r = random.nextInt(10);
                int which = r < 6 ? 0 : r < 9 ? 1 : 2;
                int work = 150_000 + random.nextInt(100_000);
                try (Labels.Scope job = Labels.with("job", JOBS[which])) {
                    long before = THREADS.getCurrentThreadCpuTime();
                    burn(work);
                    cpu[which] += THREADS.getCurrentThreadCpuTime() - before;
                }
            }
        }
        if (!Labels.current().isEmpty()) throw new AssertionError("labels left behind: " + Labels.current());
        long subclassCpu = handOff();
        double total = cpu[0] + cpu[1] + cpu[2];
        System.out.printf("truth six=%.4f three=%.4f one=%.4f pooled=%.1f unlabelled=%.1f started=%.1f subclass=%.1f%n",
                cpu[0] / total, cpu[1] / total, cpu[2] / total, pooledCpu.get() / 1e6, unlabelledCpu.get() / 1e6,
                startedCpu.get() / 1e6, subclassCpu / 1e6);
        System.out.println("checksum " + sink);
    }

    /**
     * Work handed to other threads: labelled by the scope it was submitted in, and only by that. Returns the CPU time
     * of the Thread subclass.
     */
    private static long handOff() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2); // its threads start inside the scope below
        List<Future<?>> pending = new ArrayList<>();
        try (Labels.Scope job = Labels.with("job", "pooled")) {
            for (int i = 0; i < 16; i++) pending.add(pool.submit(() -> spinPooled(8_000_000)));
            for (int i = 0; i < 4; i++) pending.add(CompletableFuture.runAsync(() -> spinPooled(8_000_000)));
        }
        for (Future<?> f : pending) f.get();
        pending.clear();
        for (int i = 0; i < 16; i++) pending.add(pool.submit(() -> spinUnlabelled(8_000_000)));
        for (Future<?> f : pending) f.get();
        pool.shutdown();
        Thread started;
        try (Labels.Scope job = Labels.with("job", "started")) {
            started = new Thread(() -> spinStarted(64_000_000), "started-in-scope");
            started.start();
        }
        started.join();
        SpinningThread subclass;
        try (Labels.Scope job = Labels.with("job", "subclass")) {
            subclass = new SpinningThread("subclass-started-in-scope", 64_000_000);
            subclass.start();
        }
        subclass.join();
        if (Runtime.version().feature() >= 21) {
            Thread virtual;
            try (Labels.Scope job = Labels.with("job", "virtual")) {
                virtual = startVirtual(() -> spinVirtual(64_000_000));
            }
            virtual.join();
        }
        return subclass.cpuNanos();
    }

    /** {@code Thread.ofVirtual().start(task)}, through reflection: this class is compiled for JDK 17. */
    private static Thread startVirtual(Runnable task) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        java.lang.reflect.Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        return (Thread) start.invoke(builder, task);
    }

    static void spinStarted(int n) {
        measured(n, startedCpu);
    }

    static void spinVirtual(int n) {
        spin(n);
    }

    static void spinPooled(int n) {
        measured(n, pooledCpu);
    }

    static void spinUnlabelled(int n) {
        measured(n, unlabelledCpu);
    }

    private static void measured(int n, AtomicLong cpu) {
        long before = THREADS.getCurrentThreadCpuTime();
        spin(n);
        cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - before);
    }

    /** As {@link #burn}, under another name, so that the main thread's samples are told apart by their frames. */
    static void spin(int n) {
        long h = 7;
        for (int i = 0; i < n; i++) h = 31 * h + (i ^ (h >>> 5));
        sink += h;
    }

    static void burn(int n) {
        long h = 1125899906842597L;
        for (int i = 0; i < n; i++) h = 31 * h + (i ^ (h >>> 7));
        sink += h;
    }
}
