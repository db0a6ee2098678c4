package dev.diag.jfr;

import dev.diag.pprof.EpochNanos;
import dev.diag.stack.Frame;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * Attributes a per-thread counter (CPU nanoseconds, allocated bytes) to the JFR samples taken on that thread: the
 * counter is read at every flush of the stream, and what it grew by between two readings is split evenly over the
 * thread's samples <em>taken</em> between them.
 *
 * <p>Why: a JFR sample's own weight is biased. {@code jdk.ExecutionSample} takes at most a few threads per period
 * and also counts threads the OS has descheduled; one {@code jdk.ObjectAllocationSample} often carries half of all
 * allocation weight. The samples of one thread in a short interval are still a fair picture of <em>where</em> that
 * thread spent its counter then, so sample shares within a thread and interval × the thread's exact delta is an
 * unbiased estimate per stack.
 *
 * <p>By when a sample was taken, not when it arrived: JFR hands samples over up to a second or more after they were
 * taken, so pairing the samples of one flush with the counter delta read at that flush charged a burst (64 MiB
 * allocated in half a second) to whatever the thread did the second before it. So an interval is attributed one flush
 * later, once its samples have arrived, or at once after a catch-up ({@link #attributeAll}).
 *
 * <p>A thread whose counter cannot be read (a virtual thread, an ended thread whose last counters are not known)
 * falls back to the samples' own weights, summed and split evenly like a counter delta: one allocation sample's weight
 * alone is the biased figure this class exists to avoid. A delta with no sample to carry it (time in native code or
 * in the clock's vDSO, where JFR cannot walk the stack) goes to the thread's next samples, at most
 * {@value #IDLE_INTERVALS_CARRIED} interval on, else to the stacks of its latest samples (without counting them
 * again), so that a thread's CPU time is all in the profile. Synchronized: the baseline is set on {@code diag-init}, samples arrive on the JFR stream thread.
 */
public final class ThreadCounterAttribution {
    /** Receives each sample with its attributed share. */
    public interface Sink {
        /**
         * @param share   the sample's part of its thread's counter delta
         * @param samples 1 for a sample, 0 for a later share given to an earlier sample's stack
         */
        void add(Frame[] stack, long epochNanos, long share, int samples, Object detail);
    }

    /**
     * The live threads and, for a few of them, where they are now: how a thread that JFR never sampled still gets its
     * counter into the profile (see {@link #flush}).
     */
    public interface LiveThreads {
        /** No thread is looked at beyond those JFR sampled. */
        LiveThreads NONE = new LiveThreads() {
            @Override
            public long[] ids() {
                return new long[0];
            }

            @Override
            public Frame[][] stacks(long[] ids) {
                return new Frame[ids.length][];
            }
        };

        long[] ids();

        /** Returns each running thread's current stack, leaf first, or null (ended, not running, the caller). */
        Frame[][] stacks(long[] ids);
    }

    /** Intervals without samples whose delta is carried to the thread's next samples before it is dropped. */
    private static final int IDLE_INTERVALS_CARRIED = 1;

    private final LongUnaryOperator counter;
    private final Sink sink;
    private final LongSupplier clock;
    private final LiveThreads live;
    /** What a stand-in sample from {@link LiveThreads} carries as its detail (a CPU sample's labels), by thread. */
    private final LongFunction<Object> detailNow;
    /** A never-sampled thread's delta below this does not make it worth a stack snapshot. */
    private final long snapshotThreshold;
    private final Map<Long, ThreadState> threads = new HashMap<>();

    /**
     * @param counter returns a thread's counter by thread id, or a negative value when it cannot be read
     * @param sink    receives the attributed samples
     */
    public ThreadCounterAttribution(LongUnaryOperator counter, Sink sink) {
        this(counter, sink, EpochNanos::now, LiveThreads.NONE, Long.MAX_VALUE, id -> null);
    }

    /**
     * @param live              the live threads, to find those JFR never samples
     * @param snapshotThreshold the delta (of one interval) from which such a thread's stack is looked at
     * @param detailNow         the detail a stack read from {@code live} carries, by thread, as a sample's would
     */
    public ThreadCounterAttribution(LongUnaryOperator counter, Sink sink, LiveThreads live, long snapshotThreshold,
                                    LongFunction<Object> detailNow) {
        this(counter, sink, EpochNanos::now, live, snapshotThreshold, detailNow);
    }

    /** @param clock the time of a reading, on the samples' clock (epoch nanoseconds) */
    ThreadCounterAttribution(LongUnaryOperator counter, Sink sink, LongSupplier clock, LiveThreads live,
                             long snapshotThreshold, LongFunction<Object> detailNow) {
        this.counter = counter;
        this.sink = sink;
        this.clock = clock;
        this.live = live;
        this.snapshotThreshold = snapshotThreshold;
        this.detailNow = detailNow;
    }

    /** Sets the starting point of every thread alive now, so work done before profiling began is not counted. */
    public synchronized void baseline(long[] threadIds) {
        long now = clock.getAsLong();
        for (long id : threadIds) {
            long v = counter.applyAsLong(id);
            if (v >= 0) threads.computeIfAbsent(id, k -> new ThreadState()).read(now, v);
        }
    }

    /** Queues a sample until its interval is attributed; {@code fallback} is its weight when the counter is unreadable. */
    public synchronized void sample(long threadId, Frame[] stack, long epochNanos, long fallback, Object detail) {
        threads.computeIfAbsent(threadId, k -> new ThreadState()).pending.add(new Pending(stack, epochNanos, fallback,
                detail));
    }

    /**
     * Reads the counters and attributes every interval but the newest, whose samples may still be on their way. Also
     * starts following live threads no sample has named yet, and looks at where a thread is now when its counter grew
     * by {@code snapshotThreshold} or more although JFR has never sampled it (a thread spinning on the clock, or in
     * native code, can go unsampled for its whole life under load): its delta goes to that stack rather than nowhere.
     */
    public synchronized void flush() {
        for (long id : live.ids()) threads.computeIfAbsent(id, k -> ThreadState.discovered());
        attribute(1);
        snapshotUnsampled();
    }

    private void snapshotUnsampled() {
        List<Long> wanted = new ArrayList<>();
        for (Map.Entry<Long, ThreadState> e : threads.entrySet()) {
            ThreadState t = e.getValue();
            if (t.neverSampled() && t.latestDelta() >= snapshotThreshold) wanted.add(e.getKey());
        }
        if (wanted.isEmpty()) return;
        long[] ids = new long[wanted.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = wanted.get(i);
        Frame[][] stacks = live.stacks(ids);
        long now = clock.getAsLong();
        for (int i = 0; i < ids.length; i++) {
            if (stacks[i] == null || stacks[i].length == 0) continue;
            threads.get(ids[i]).snapshot = List.of(new Pending(stacks[i], now, 0, detailNow.apply(ids[i])));
        }
    }

    /**
     * Returns how many threads are followed: live ones and ended ones whose last counter is still known
     * ({@link ExitedThreadCounters}); an ended thread whose counter reads negative is attributed and dropped at the
     * next flush, which bounds this by the live threads plus those that ended in the last seconds.
     */
    synchronized int threadCount() {
        return threads.size();
    }

    /** Reads the counters and attributes every interval: for when every sample taken until now has arrived. */
    public synchronized void attributeAll() {
        attribute(0);
    }

    /**
     * Attributes everything each thread did until now, for the end of a recording: its samples get their intervals,
     * and what no sample carries (at JVM exit JFR may close the stream before the last second of samples arrives)
     * goes to the stacks of the thread's last samples, without counting them again.
     */
    public synchronized void attributeTail() {
        attribute(0);
        for (ThreadState t : threads.values()) {
            List<Pending> latest = t.latestStacks();
            if (t.carried > 0 && !latest.isEmpty()) spread(t.carried, latest, 0);
            t.carried = 0;
        }
    }

    private void attribute(int intervalsLeft) {
        long now = clock.getAsLong();
        for (Iterator<Map.Entry<Long, ThreadState>> it = threads.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, ThreadState> e = it.next();
            ThreadState t = e.getValue();
            long value = counter.applyAsLong(e.getKey());
            if (value < 0) { // ended (or never readable): the samples' own weights, summed, are the best total left
                List<Pending> latest = t.latestStacks();
                if (t.carried > 0 && !latest.isEmpty()) spread(t.carried, latest, 0);
                if (!t.pending.isEmpty()) {
                    long total = 0;
                    for (Pending p : t.pending) total += p.fallback;
                    spread(total, t.pending, 1);
                }
                it.remove();
                continue;
            }
            t.read(now, value);
            while (t.readings.size() > 1 + intervalsLeft) attributeOldestInterval(t);
        }
    }

    private void attributeOldestInterval(ThreadState t) {
        Reading from = t.readings.removeFirst();
        Reading to = t.readings.peekFirst();
        long delta = Math.max(0, to.value - from.value) + t.carried;
        List<Pending> taken = new ArrayList<>();
        for (Iterator<Pending> it = t.pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.epochNanos <= to.epochNanos) {
                taken.add(p);
                it.remove();
            }
        }
        if (taken.isEmpty()) {
            List<Pending> latest = t.latestStacks();
            if (++t.idleIntervals <= IDLE_INTERVALS_CARRIED || latest.isEmpty()) {
                t.carried = t.idleIntervals <= IDLE_INTERVALS_CARRIED ? delta : 0;
            } else {
                spread(delta, latest, 0); // still no sample: the thread's latest stacks, not counted again
                t.carried = 0;
            }
            return;
        }
        spread(delta, taken, 1);
        t.carried = 0;
        t.idleIntervals = 0;
        t.lastBatch = taken;
    }

    private void spread(long delta, List<Pending> samples, int count) {
        int n = samples.size();
        long each = delta / n;
        long rest = delta - each * n;
        for (int i = 0; i < n; i++) {
            Pending p = samples.get(i);
            sink.add(p.stack, p.epochNanos, each + (i < rest ? 1 : 0), count, p.detail);
        }
    }


    private static final class ThreadState {
        /**
         * Counter readings, oldest first; a thread first seen by a sample starts from 0 at the beginning of time (its
         * counter counts from its start, which came after the baseline).
         */
        final ArrayDeque<Reading> readings = new ArrayDeque<>(List.of(new Reading(Long.MIN_VALUE, 0)));
        final List<Pending> pending = new ArrayList<>();
        List<Pending> lastBatch = List.of();
        /** Where a thread JFR never sampled was seen (one stack), or empty. */
        List<Pending> snapshot = List.of();
        long carried;
        int idleIntervals;
        /** Found among the live threads after the baseline: it started since, so it counts from 0 as a sampled one. */
        private boolean countsFromStart;

        static ThreadState discovered() {
            ThreadState t = new ThreadState();
            t.countsFromStart = true;
            return t;
        }

        void read(long epochNanos, long value) {
            Reading last = readings.peekLast();
            if (last.epochNanos == Long.MIN_VALUE && readings.size() == 1 && pending.isEmpty() && !countsFromStart) {
                readings.clear(); // a baseline: what the thread did before it is not counted
            }
            readings.addLast(new Reading(epochNanos, value));
        }

        boolean neverSampled() {
            return pending.isEmpty() && lastBatch.isEmpty();
        }

        /** What the counter grew by in the newest interval, plus what is carried, for the snapshot decision. */
        long latestDelta() {
            if (readings.size() < 2) return carried;
            Iterator<Reading> latestFirst = readings.descendingIterator();
            long newest = latestFirst.next().value;
            return Math.max(0, newest - latestFirst.next().value) + carried;
        }

        /** The stacks to give a delta no sample carries: the latest samples', else the snapshot's. */
        List<Pending> latestStacks() {
            return lastBatch.isEmpty() ? snapshot : lastBatch;
        }
    }

    private record Reading(long epochNanos, long value) {}

    private static final class Pending {
        final Frame[] stack;
        final long epochNanos;
        final long fallback;
        final Object detail;

        Pending(Frame[] stack, long epochNanos, long fallback, Object detail) {
            this.stack = stack;
            this.epochNanos = epochNanos;
            this.fallback = fallback;
            this.detail = detail;
        }
    }
}
