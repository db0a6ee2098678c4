package dev.diag.jfr;

import dev.diag.hook.ThreadExitHook;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CPU time and allocated bytes of each platform thread as it ended, read on the thread itself in
 * {@code Thread.exit()} ({@link ThreadExitHook}): what {@code ThreadMXBean} no longer answers for an ended thread.
 * With them the per-thread attribution ({@link ThreadCounterAttribution}) gives a thread's last samples their true
 * share instead of a guess from sample weights, which undercounts a thread JFR could seldom walk (one spinning on
 * {@code System.nanoTime()} lost 30% of its CPU time); the native sampler weighs allocation samples with them. Kept
 * for a while, as samples are read seconds late, then dropped; bounded.
 */
public final class ExitedThreadCounters implements ThreadExitHook.Listener {
    public static final ExitedThreadCounters INSTANCE = new ExitedThreadCounters();

    /**
     * How long an ended thread's counters are kept at least: several flushes of the JFR stream. Those the native
     * sampler has not read yet stay longer (see {@link #readUntil}).
     */
    private static final long KEEP_NANOS = 30_000_000_000L;
    static final int MAX_THREADS = 16_384;
    /** Old entries are looked for at most this often, so that many exits a second do not scan the map each. */
    private static final long EVICTION_EVERY_NANOS = 1_000_000_000L;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** Thread id to {cpu nanoseconds, allocated bytes, System.nanoTime() at exit}; -1 where unknown. */
    private final Map<Long, long[]> byThread = new ConcurrentHashMap<>();

    private volatile long lastEviction = System.nanoTime();
    /**
     * Whether a reader needs each ended thread's counters until it has read past its end (the native sampler, whose
     * recordings run up to a minute), and its {@code System.nanoTime()} so far.
     */
    private volatile boolean reading;
    private volatile long readUpTo;

    private ExitedThreadCounters() {}

    @Override
    public void exiting(Thread thread) {
        long now = System.nanoTime();
        // Time-gated only: evicting whenever the map is full would scan it on every exit of an app that starts
        // thousands of threads a second. A full map drops the newest threads' counters until the next eviction.
        if (now - lastEviction > EVICTION_EVERY_NANOS) {
            lastEviction = now;
            evictOlderThan(keptFrom(now));
        }
        if (byThread.size() >= MAX_THREADS) return;
        byThread.put(thread.getId(), new long[] {cpuNanos(), allocatedBytes(), now});
    }

    /**
     * Says a reader has read the counters of the threads that ended before {@code nanoTime}: those after it are kept
     * until it reads further, however long that takes (within {@link #MAX_THREADS}).
     */
    public void readUntil(long nanoTime) {
        readUpTo = nanoTime;
        reading = true;
    }

    /** Says the reader of {@link #readUntil} reads no more. */
    public void readerDone() {
        reading = false;
    }

    /** Returns the CPU time the thread had used when it ended, or -1 when not known. */
    public long cpuNanos(long threadId) {
        long[] v = byThread.get(threadId);
        return v == null ? -1 : v[0];
    }

    /** Returns the bytes the thread had allocated when it ended, or -1 when not known. */
    public long allocatedBytes(long threadId) {
        long[] v = byThread.get(threadId);
        return v == null ? -1 : v[1];
    }

    /** Returns how many ended threads' counters are kept. */
    int size() {
        return byThread.size();
    }

    /** The {@code System.nanoTime()} before which an ended thread's counters are no longer needed. */
    long keptFrom(long now) {
        long from = now - KEEP_NANOS;
        long read = readUpTo;
        return reading && read - from < 0 ? read : from;
    }

    /** Drops the counters of threads that ended before {@code nanoTime}: their last samples have been attributed. */
    void evictOlderThan(long nanoTime) {
        byThread.values().removeIf(v -> v[2] - nanoTime < 0);
    }

    private long cpuNanos() {
        try {
            return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private long allocatedBytes() {
        try {
            return threads instanceof com.sun.management.ThreadMXBean
                    ? ((com.sun.management.ThreadMXBean) threads).getCurrentThreadAllocatedBytes() : -1;
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
