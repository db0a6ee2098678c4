package dev.diag.hook;

import dev.diag.ring.EventRing;
import dev.diag.ring.RecordType;
import dev.diag.stack.StackCapture;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * Entry points of the advice on {@code LockSupport.park*}: times each park and records it in the block profile with
 * Go's sampling, and registers sampled waiters for the mutex profile ({@link MutexWaiters}).
 *
 * <p>Block sampling, as {@code runtime.SetBlockProfileRate(rate)}: a park of {@code d} ns is recorded with probability
 * {@code min(1, d/rate)}; a recorded park shorter than {@code rate} stands for {@code rate/d} parks and
 * {@code rate} ns (the drainer applies the scale), so totals stay unbiased. {@code rate <= 0} is off; 1 records
 * every park.
 *
 * <p>Cost: off, {@link #enter()} is one static read. On, a park pays two {@code nanoTime()} calls and a random draw
 * before the decision; only recorded parks walk the stack and write a ring record. Nothing on these paths locks,
 * blocks, or throws; the fast path does not allocate. Rates may change at any time ({@link #setBlockRate}); a park
 * in progress is judged by the rate at its end.
 *
 * <p>Execution trace: while a trace records ({@link #setTraced}), every park is recorded, either as a sampled
 * {@link RecordType#BLOCK} or, when the block profile did not keep it, as a {@link RecordType#PARK}; the tracer reads
 * both from the ring. With no trace this adds one static read to {@link #enter()} when the block profile is off.
 */
public final class ParkHook {
    private static volatile long blockRate;
    /** diag's own threads (the drainer, HTTP, JFR streaming): their waits are not the application's. */
    private static volatile ThreadGroup ignoredGroup;
    /** A trace records: every park is recorded, sampled for the block profile or not. */
    private static volatile boolean traced;

    private ParkHook() {}

    /** Sets the block profile rate in nanoseconds, as {@code runtime.SetBlockProfileRate}; {@code <= 0} turns it off. */
    public static void setBlockRate(long rateNanos) {
        blockRate = Math.max(0, rateNanos);
    }

    /** Returns the block profile rate in force (0: off). */
    public static long blockRate() {
        return blockRate;
    }

    /** Makes every park recorded (true while an execution trace records) or only the sampled ones. */
    public static void setTraced(boolean on) {
        traced = on;
    }

    /** Sets the thread group whose threads' parks are never recorded (diag's own). */
    public static void setIgnoredGroup(ThreadGroup group) {
        ignoredGroup = group;
    }

    /** Returns the start of a park in {@code nanoTime} ticks, or 0 when neither the block profile nor a trace records. */
    public static long enter() {
        try {
            if (blockRate <= 0 && !traced) return 0;
            long now = System.nanoTime();
            return now == 0 ? 1 : now; // 0 means "not recording"
        } catch (Throwable e) {
            return 0; // woven into LockSupport: nothing reaches the application (see dev.diag.instrument.HookWeaver)
        }
    }

    /**
     * Ends a park: frees the mutex waiter slot {@code slot} (0: none) and, when the park was timed
     * ({@code start != 0}), decides with the block rate whether to record it. Never throws.
     */
    public static void exit(long start, int slot, Object blocker) {
        try {
            if (slot != 0) MutexWaiters.leave(slot);
            if (start == 0) return;
            long end = System.nanoTime();
            long rate = blockRate;
            long d = end - start;
            if (d <= 0) d = 1;
            // Kept for the block profile with probability d/rate; else kept for the trace alone when one records.
            // nextDouble() * rate, not nextLong(rate): a multiply instead of a 64-bit division on every timed park.
            if (rate > 0 && (rate <= d || ThreadLocalRandom.current().nextDouble() * rate < d)) {
                record(RecordType.BLOCK, end, d, rate, blocker);
            } else if (traced) {
                record(RecordType.PARK, end, d, 0, blocker);
            }
        } catch (Throwable ignored) {
            // A hook never throws into LockSupport.park, on its return or on its throw path.
        }
    }

    /** Records one park of the current thread as a {@code type} record ({@link RecordType#BLOCK} or PARK). */
    static void record(int type, long end, long duration, long rate, Object blocker) {
        Thread t = Thread.currentThread();
        if (t.getThreadGroup() == ignoredGroup) return;
        if (!CallDepth.enter()) {
            CallDepth.exit();
            return;
        }
        try {
            int stackId = StackCapture.WAIT_SITE.captureId();
            if (traced) TraceHook.nameThread();
            EventRing.SHARED.offer(type, stackId, t.getId(), end, duration,
                    blocker == null ? 0 : System.identityHashCode(blocker), rate, hints(blocker), labels());
        } catch (Throwable ignored) {
            // A hook never throws into LockSupport.park.
        } finally {
            CallDepth.exit();
        }
    }

    /** Returns the calling thread's labels for a record, or null when it has none. */
    static LabelSet labels() {
        LabelSet l = LabelHook.current();
        return l.size() == 0 ? null : l;
    }

    /** Returns what the tracer needs to know about the blocker beyond the stack ({@link RecordType#HINT_CONDITION}). */
    private static long hints(Object blocker) {
        return blocker instanceof AbstractQueuedSynchronizer.ConditionObject
                || blocker instanceof AbstractQueuedLongSynchronizer.ConditionObject ? RecordType.HINT_CONDITION : 0;
    }
}
