package dev.diag.sampler;

import dev.diag.hook.NativeThreadIds;
import dev.diag.hook.ThreadExitHook;
import dev.diag.pprof.EpochNanos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which Java thread ran on an OS thread at a given time, for the samples async-profiler wrote under a wrong Java id.
 *
 * <p>async-profiler keeps one Java id per OS thread id and writes them all into a recording's thread table when the
 * recording stops, so every sample of an OS thread in one file gets the Java id of the thread that had it last. That is
 * wrong when one OS thread was two Java threads within the file: {@code main} returning makes the launcher's thread
 * {@code DestroyJavaVM} (a new Java thread, same OS thread), so main's last seconds came out as another thread (seen
 * as "main is thread 28"); a native thread that attaches to the JVM again and again, and an OS id the kernel hands
 * out again, do the same. Every Java thread but the last of an OS thread has ended by then, and each says so on its
 * way out ({@code Thread.exit()}, {@link ThreadExitHook}): it reads its own OS id ({@code /proc/thread-self}, one
 * system call per thread end, only while the native sampler is open) and the time. A sample at time {@code t} on OS
 * thread {@code T} then belongs to the first thread that ended on {@code T} at or after {@code t}, or, when none did,
 * to the Java thread async-profiler named (the one still alive, or the last to end).
 *
 * <p>An ending thread never waits and allocates no table entry: it claims a slot of a preallocated ring (a CAS on
 * one counter) and publishes it there; the sampler's thread, the only reader, moves published slots into its own table
 * when it attributes samples. Bounded: at most {@value #MAX_EXITS} ends wait in the ring and at most as many are kept
 * in the table (more are dropped and counted, and their samples keep async-profiler's id); the sampler forgets those
 * older than the recording it has read.
 */
public final class OsThreadOwners implements ThreadExitHook.Listener {
    public static final OsThreadOwners INSTANCE = new OsThreadOwners();

    static final int MAX_EXITS = 16_384;
    private static final int MASK = MAX_EXITS - 1;

    private final long[] ringOsIds = new long[MAX_EXITS];
    private final long[] ringJavaIds = new long[MAX_EXITS];
    private final long[] ringEpochNanos = new long[MAX_EXITS];
    /** Slot {@code i} holds end number {@code n} once this is {@code n + 1} (release after the slot's fields). */
    private final AtomicLongArray published = new AtomicLongArray(MAX_EXITS);
    /** The number the next end claims. */
    private final AtomicLong claimed = new AtomicLong();
    /** Ends below this number were moved to the table; written by the reader only. */
    private volatile long consumed;
    private final AtomicLong dropped = new AtomicLong();

    /** OS thread id to the Java threads that ended on it, oldest first: {java id, epoch nanos at exit}. Reader's. */
    private final Map<Long, List<long[]>> exits = new HashMap<>(); // guarded by this
    private int size; // guarded by this
    private volatile boolean recording;
    /** Asks the sampler to read its samples soon (it drains the ring as it does); must not block. */
    private volatile Runnable whenFilling = () -> {};
    /** Whether the ends waiting now have asked for a read; the reader clears it as it drains. */
    private volatile boolean readAsked;

    OsThreadOwners() {}

    /** Starts noting thread ends: the native sampler is open. */
    void record() {
        recording = true;
    }

    /**
     * Has {@code readSamplesSoon} run, on the ending thread, when half of the ring waits to be read: samples are read
     * once a minute or so, and a JVM that ends hundreds of threads a second would otherwise fill the ring first.
     */
    void whenFilling(Runnable readSamplesSoon) {
        whenFilling = readSamplesSoon;
    }

    @Override
    public void exiting(Thread thread) {
        if (!recording) return;
        long os = NativeThreadIds.current();
        if (os < 0) return;
        ended(os, thread.getId(), EpochNanos.now());
    }

    /** Notes that Java thread {@code javaId} ended on OS thread {@code osId} at {@code epochNanos}; never blocks. */
    void ended(long osId, long javaId, long epochNanos) {
        long n;
        do {
            n = claimed.get();
            if (n - consumed >= MAX_EXITS) {
                dropped.incrementAndGet();
                return;
            }
        } while (!claimed.compareAndSet(n, n + 1));
        int slot = (int) (n & MASK);
        ringOsIds[slot] = osId;
        ringJavaIds[slot] = javaId;
        ringEpochNanos[slot] = epochNanos;
        published.lazySet(slot, n + 1);
        if (n - consumed >= MAX_EXITS / 2 && !readAsked) { // after publishing: the read it asks for can drain this end
            readAsked = true; // a race asks twice at worst, which costs nothing
            whenFilling.run();
        }
    }

    /** Moves the ends published so far from the ring to the table; stops at one claimed but not yet published. */
    private void drain() {
        long n = consumed;
        long end = claimed.get();
        for (; n < end; n++) {
            int slot = (int) (n & MASK);
            if (published.get(slot) != n + 1) break;
            if (size >= MAX_EXITS) {
                dropped.incrementAndGet();
            } else {
                exits.computeIfAbsent(ringOsIds[slot], k -> new ArrayList<>(1))
                        .add(new long[] {ringJavaIds[slot], ringEpochNanos[slot]});
                size++;
            }
        }
        consumed = n;
        if (readAsked) readAsked = false; // drained at every sample: a volatile write only when it changes
    }

    /**
     * Returns the Java id of the thread that ran on OS thread {@code osId} at {@code epochNanos}: the first one that
     * ended there at or after that time, else {@code reported} (async-profiler's).
     */
    synchronized long javaIdAt(long osId, long epochNanos, long reported) {
        drain();
        List<long[]> ended = exits.get(osId);
        if (ended == null) return reported;
        for (long[] e : ended) {
            if (e[1] >= epochNanos) return e[0];
        }
        return reported;
    }

    /** Forgets the threads that ended before {@code epochNanos}: no sample still to be read is older. */
    synchronized void forgetBefore(long epochNanos) {
        drain();
        exits.values().removeIf(ended -> {
            int before = ended.size();
            ended.removeIf(e -> e[1] < epochNanos);
            size -= before - ended.size();
            return ended.isEmpty();
        });
    }

    /** Returns how many thread ends were not kept (the ring or the table was full). */
    public long dropped() {
        return dropped.get();
    }
}
