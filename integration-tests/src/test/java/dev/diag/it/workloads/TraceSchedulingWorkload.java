package dev.diag.it.workloads;

import dev.diag.api.Region;
import dev.diag.api.Task;
import dev.diag.api.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tracer's scheduling ground truth: (1) a task "fanout" on main that hands work to every executor path the JDK
 * has, each piece of work in a region named after its path ({@code path NAME} printed for each); (2) on JDK 21+,
 * four virtual threads {@code vt-worker-N} that take turns holding one {@code ReentrantLock} for about 2 ms each, and
 * measure how long each waited in {@code lock()} ({@code waited NAME NANOS}).
 */
public final class TraceSchedulingWorkload {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final int VIRTUAL_WORKERS = 4;
    private static final int ROUNDS = 25;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        System.out.println("tracing=" + Trace.isEnabled());
        try (Task task = Trace.newTask("fanout")) {
            fanOut();
        }
        if (Runtime.version().feature() >= 21) contendOnVirtualThreads();
        System.out.println("done");
    }

    private static void fanOut() throws Exception {
        List<String> paths = new ArrayList<>();
        ForkJoinPool.commonPool().submit(work("fjpSubmitCallable", paths)).get();
        ForkJoinPool own = new ForkJoinPool(2);
        own.submit(runnable(work("fjpSubmitRunnable", paths))).get();
        CountDownLatch executed = new CountDownLatch(1);
        own.execute(() -> {
            runnable(work("fjpExecute", paths)).run();
            executed.countDown();
        });
        executed.await();
        own.shutdown();
        ExecutorService fixed = Executors.newFixedThreadPool(2);
        fixed.submit(work("tpeSubmitCallable", paths)).get();
        fixed.invokeAll(List.of(work("tpeInvokeAll", paths))).get(0).get();
        CompletableFuture.supplyAsync(() -> call(work("supplyAsync", paths)))
                .thenApplyAsync(v -> call(work("thenApplyAsync", paths)), fixed).get();
        fixed.shutdown();
        ExecutorService single = Executors.newSingleThreadExecutor();
        single.submit(work("singleThreadSubmit", paths)).get();
        single.shutdown();
        ScheduledExecutorService scheduled = Executors.newScheduledThreadPool(1);
        scheduled.schedule(work("scheduledCallable", paths), 1, TimeUnit.MILLISECONDS).get();
        scheduled.schedule(runnable(work("scheduledRunnable", paths)), 1, TimeUnit.MILLISECONDS).get();
        scheduled.shutdown();
        if (Runtime.version().feature() >= 21) {
            ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                    .invoke(null);
            virtual.submit(work("virtualSubmitCallable", paths)).get();
            virtual.shutdown();
        }
        for (String p : paths) System.out.println("path " + p);
    }

    /** Returns work that runs in a region called {@code name}, noting the path in {@code paths} when it ran. */
    private static Callable<String> work(String name, List<String> paths) {
        return () -> {
            try (Region r = Trace.region(name)) {
                spin(1);
            }
            synchronized (paths) {
                paths.add(name);
            }
            return name;
        };
    }

    private static Runnable runnable(Callable<String> c) {
        return () -> call(c);
    }

    private static String call(Callable<String> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void contendOnVirtualThreads() throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        builder = builderType.getMethod("name", String.class, long.class).invoke(builder, "vt-worker-", 0L);
        ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        long[] waited = new long[VIRTUAL_WORKERS];
        Thread[] workers = new Thread[VIRTUAL_WORKERS];
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < VIRTUAL_WORKERS; i++) {
            int n = i;
            workers[i] = factory.newThread(() -> waited[n] = contend(go));
        }
        for (Thread t : workers) t.start();
        go.countDown();
        for (Thread t : workers) t.join();
        for (int i = 0; i < VIRTUAL_WORKERS; i++) System.out.println("waited " + workers[i].getName() + " " + waited[i]);
    }

    /** Takes the lock {@link #ROUNDS} times, holding it ~2 ms; returns the nanoseconds spent waiting in lock(). */
    static long contend(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        long waited = 0;
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            LOCK.lock();
            try {
                waited += System.nanoTime() - t0;
                spin(2);
            } finally {
                LOCK.unlock();
            }
        }
        return waited;
    }

    private static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }
}
