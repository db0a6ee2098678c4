package dev.diag.it.workloads;

import dev.diag.api.Labels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Allocations and lock waits split between two label values in a known ratio, for the allocs, block and mutex
 * profiles. First, in {@code args[1]} (default 100) interleaved rounds, {@code job=big} allocates three times the bytes
 * {@code job=small} does, from one method ({@code allocate}). Then, in {@code args[0]} rounds, a holder thread labelled
 * {@code holder=big} (or {@code holder=small}) takes a {@code ReentrantLock} and keeps it about 30 ms (or 10 ms) while
 * the main thread, labelled {@code job=big} (or {@code job=small}), waits for it in {@code waitForLock}; before that, the
 * same with a {@code synchronized} block ({@code waitForMonitor}), whose waits JFR records. Prints
 * {@code truth alloc_big=B alloc_small=S wait_big=W wait_small=V monitor_big=M monitor_small=N} (bytes allocated and
 * nanoseconds waited per label, as the workload measured them) and exits.
 */
public final class LabelledEventsWorkload {
    private static final int ARRAY_BYTES = 1024;
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Object MONITOR = new Object();
    private static volatile Object sink;

    public static void main(String[] args) throws Exception {
        WorkloadSupport.awaitDiagInit();
        int lockRounds = Integer.parseInt(args[0]);
        int allocRounds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        // JFR's monitor events and label changes are on once the recording has them (JFR starts on diag-init).
        WorkloadSupport.awaitJfrSetting("jdk.JavaMonitorEnter#threshold");
        long allocBig = 0;
        long allocSmall = 0;
        for (int round = 0; round < allocRounds; round++) {
            try (Labels.Scope s = Labels.with("job", "big")) {
                allocBig += allocate(9 * 1024);
            }
            try (Labels.Scope s = Labels.with("job", "small")) {
                allocSmall += allocate(3 * 1024);
            }
        }
        // synchronized first: JFR hands its events over about a second later, the hooks' records at once.
        long monitorBig = 0;
        long monitorSmall = 0;
        for (int round = 0; round < lockRounds; round++) {
            monitorBig += waitBehindMonitor("big", 30);
            monitorSmall += waitBehindMonitor("small", 10);
        }
        long waitBig = 0;
        long waitSmall = 0;
        for (int round = 0; round < lockRounds; round++) {
            waitBig += waitBehind("big", 30);
            waitSmall += waitBehind("small", 10);
        }
        System.out.println("truth alloc_big=" + allocBig + " alloc_small=" + allocSmall + " wait_big=" + waitBig
                + " wait_small=" + waitSmall + " monitor_big=" + monitorBig + " monitor_small=" + monitorSmall);
    }

    /** Allocates {@code arrays} byte arrays of {@value #ARRAY_BYTES} bytes; returns how many array bytes. */
    static long allocate(int arrays) {
        for (int i = 0; i < arrays; i++) sink = new byte[ARRAY_BYTES];
        return (long) arrays * ARRAY_BYTES;
    }

    /**
     * Waits, labelled {@code job=label}, for the lock that a thread labelled {@code holder=label} keeps for
     * {@code holdMillis}; returns the nanoseconds waited.
     */
    private static long waitBehind(String label, long holdMillis) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (Labels.Scope s = Labels.with("holder", label)) {
                LOCK.lock();
                try {
                    held.countDown();
                    Thread.sleep(holdMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    LOCK.unlock();
                }
            }
        }, "holder-" + label);
        holder.start();
        held.await();
        long waited;
        try (Labels.Scope s = Labels.with("job", label)) {
            waited = waitForLock();
        }
        holder.join();
        return waited;
    }

    private static long waitForLock() {
        long start = System.nanoTime();
        LOCK.lock();
        long waited = System.nanoTime() - start;
        LOCK.unlock();
        return waited;
    }

    /**
     * As {@link #waitBehind}, for a {@code synchronized} block: waits, labelled {@code job=label}, for the monitor that
     * a thread labelled {@code holder=label} holds for {@code holdMillis}; returns the nanoseconds waited.
     */
    private static long waitBehindMonitor(String label, long holdMillis) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (Labels.Scope s = Labels.with("holder", label)) {
                synchronized (MONITOR) {
                    held.countDown();
                    Thread.sleep(holdMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "monitor-holder-" + label);
        holder.start();
        held.await();
        long waited;
        try (Labels.Scope s = Labels.with("job", label)) {
            waited = waitForMonitor();
        }
        holder.join();
        return waited;
    }

    private static long waitForMonitor() {
        long start = System.nanoTime();
        synchronized (MONITOR) {
            return System.nanoTime() - start;
        }
    }
}
