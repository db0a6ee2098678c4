package dev.diag.it.workloads;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ground truth for {@code /debug/vars}: three steps, each run when the file of its name appears in {@code args[0]}
 * (at most 2 minutes each), each printing what the JVM measured of it. Keeps about 32 MiB of small objects alive from
 * the start ({@code ready}), so that a full collection takes measurable milliseconds.
 * <ul>
 *   <li>{@code gc}: calls {@code System.gc()} {@value #GCS} times and prints the collection count and time (ms) of
 *   the stop-the-world collectors' {@code GarbageCollectorMXBean}s around it, and the wall clock (ms):
 *   {@code gc_start_ms=.. gc_before_count=.. gc_before_ms=.. gc_after_count=.. gc_after_ms=.. gc_end_ms=..}.</li>
 *   <li>{@code alloc}: allocates 256 MiB in 64 KiB arrays and prints what the JVM counted for its thread,
 *   {@code allocated=N}.</li>
 *   <li>{@code lock}: {@value #ROUNDS} rounds in which {@value #WAITERS} new threads queue on a held
 *   {@code ReentrantLock} in {@code waitForLock}, each seen parked before the holder lets go; prints
 *   {@code parked_waits=N}, how many waits certainly parked.</li>
 * </ul>
 * Then it idles until killed.
 */
public final class VarsWorkload {
    public static final int GCS = 5;
    public static final int ROUNDS = 10;
    public static final int WAITERS = 3;
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final List<Object> RETAINED = new ArrayList<>();
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        Path dir = Path.of(args[0]);
        for (int i = 0; i < 512 * 1024; i++) RETAINED.add(new long[6]); // ~32 MiB in half a million objects
        say("ready");

        awaitFile(dir.resolve("gc"));
        long startMs = System.currentTimeMillis();
        long[] before = stopTheWorldCollections();
        for (int i = 0; i < GCS; i++) System.gc();
        long[] after = stopTheWorldCollections();
        say("gc_start_ms=" + startMs + " gc_before_count=" + before[0] + " gc_before_ms=" + before[1]
                + " gc_after_count=" + after[0] + " gc_after_ms=" + after[1] + " gc_end_ms=" + System.currentTimeMillis());

        awaitFile(dir.resolve("alloc"));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 4096; i++) sink = new byte[64 * 1024];
        say("allocated=" + (threads.getCurrentThreadAllocatedBytes() - allocatedBefore));

        awaitFile(dir.resolve("lock"));
        say("parked_waits=" + lockRounds());

        Thread.sleep(120_000);
    }

    /**
     * Returns {count, time ms} summed over the collectors that stop the world: the JDK's concurrent-cycle beans
     * ("G1 Concurrent GC" on JDK 21+, "ZGC Cycles", "Shenandoah Cycles") count background work, not pauses.
     */
    private static long[] stopTheWorldCollections() {
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().contains("Concurrent") || gc.getName().contains("Cycles")) continue;
            count += gc.getCollectionCount();
            ms += gc.getCollectionTime();
        }
        return new long[] {count, ms};
    }

    private static int lockRounds() throws InterruptedException {
        for (int r = 0; r < ROUNDS; r++) {
            LOCK.lock();
            List<Thread> waiters = new ArrayList<>();
            try {
                for (int i = 0; i < WAITERS; i++) {
                    Thread t = new Thread(VarsWorkload::waitForLock, "waiter-" + r + "-" + i);
                    t.start();
                    waiters.add(t);
                }
                // A waiter that got the lock by spinning never parked: let go only once each is parked on it.
                while (LOCK.getQueueLength() < WAITERS
                        || waiters.stream().anyMatch(t -> t.getState() != Thread.State.WAITING)) {
                    Thread.sleep(1);
                }
            } finally {
                LOCK.unlock();
            }
            for (Thread t : waiters) t.join();
        }
        return ROUNDS * WAITERS;
    }

    static void waitForLock() {
        LOCK.lock();
        LOCK.unlock();
    }

    private static void awaitFile(Path p) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(p) && System.nanoTime() < deadline) Thread.sleep(5);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
