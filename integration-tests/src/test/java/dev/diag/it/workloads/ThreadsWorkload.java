package dev.diag.it.workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Starts 6 platform threads from {@code spawnSleepers} once diag's hooks are in (it waits for the agent's
 * {@code diag-init} thread to finish), and the one worker of a {@code ForkJoinPool} of parallelism 1 from
 * {@code startPoolWorker} (JDK 21+ start pool workers through {@code Thread.start(ThreadContainer)}, JDK 17 through
 * {@code start()}; the pool is shut down and its worker gone before anything is printed), keeps the sleepers parked
 * in {@code awaitRelease} while it prints what it knows of its live threads, then exits with code 7.
 *
 * <p>It prints {@code live=N ids=A,B,...}: every live thread that is not diag's (diag's are the threads of the
 * {@code diag} thread group), by Java thread id. It keeps the sleepers parked for {@code args[0]} ms, or, with
 * {@code until:FILE}, until FILE exists (at most 2 minutes); then it prints the same line again as
 * {@code live_after=N ids_after=...}, then diag's threads on a line of their own,
 * {@code diag_after=ID:daemon|user:NAME|ID:...}, so a test can tell whether its threads stayed the same while it looked,
 * and whose the other threads are.
 */
public final class ThreadsWorkload {
    public static final int SLEEPERS = 6;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = spawnSleepers(release);
        startPoolWorker();
        System.out.println(ownThreads("live", "ids"));
        System.out.flush();
        String arg = args.length > 0 ? args[0] : "0";
        if (arg.startsWith("until:")) {
            Path trigger = Path.of(arg.substring("until:".length()));
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(trigger) && System.nanoTime() < deadline) Thread.sleep(5);
            System.out.println(ownThreads("live_after", "ids_after"));
            System.out.println(diagThreads());
            System.out.flush();
        } else {
            Thread.sleep(Long.parseLong(arg));
        }
        release.countDown();
        for (Thread t : threads) t.join();
        System.exit(7);
    }

    /** A pool of parallelism 1 gets its only worker from the first submit, on this thread; later tasks reuse it. */
    static void startPoolWorker() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        Thread worker = null;
        for (int i = 0; i < 3; i++) worker = pool.submit(Thread::currentThread).get();
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        // A terminated pool's worker can still be ending (seen on JDK 25): it must be gone before threads are listed.
        worker.join(TimeUnit.SECONDS.toMillis(60));
    }

    static List<Thread> spawnSleepers(CountDownLatch release) {
        List<Thread> out = new ArrayList<>();
        for (int i = 0; i < SLEEPERS; i++) {
            Thread t = new Thread(() -> awaitRelease(release), "sleeper-" + i);
            t.start();
            out.add(t);
        }
        return out;
    }

    static void awaitRelease(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String ownThreads(String countKey, String idsKey) {
        TreeMap<Long, Thread> own = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!isDiags(t)) own.put(t.getId(), t);
        }
        StringJoiner ids = new StringJoiner(",");
        own.keySet().forEach(id -> ids.add(Long.toString(id)));
        return countKey + "=" + own.size() + " " + idsKey + "=" + ids;
    }

    private static String diagThreads() {
        StringJoiner out = new StringJoiner("|");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (isDiags(t)) out.add(t.getId() + ":" + (t.isDaemon() ? "daemon" : "user") + ":" + t.getName());
        }
        return "diag_after=" + out;
    }

    /** diag puts all its threads in one thread group named "diag" (a thread that has ended has no group). */
    private static boolean isDiags(Thread t) {
        ThreadGroup g = t.getThreadGroup();
        return g != null && g.getName().equals("diag");
    }
}
