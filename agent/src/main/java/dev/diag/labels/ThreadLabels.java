package dev.diag.labels;

import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;
import dev.diag.jfr.EventRequest;
import dev.diag.jfr.JfrSession;
import dev.diag.pprof.EpochNanos;
import dev.diag.pprof.Label;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which labels each thread had at the time of a JFR event, for the profiles that show labels
 * ({@code dev.diag.api.Labels}) where JFR samples them; {@link LabelTimeline} does the same for native samples.
 *
 * <p>A label change is committed as a {@link LabelsChanged} JFR event on the changing thread; JFR stamps it on the
 * same clock as the CPU samples and the stream delivers events in time order, so a consumer on the stream thread that
 * asks {@link #of} while handling a sample gets the labels in force when the sample was taken, not when it arrived
 * (a second later). Threads labelled before this started are seeded from {@link LabelHook}.
 *
 * <p>Each thread's last few changes are kept with their times, so that {@link #at} can also tell the labels of a
 * moment shortly before the event: a lock's holder released the lock, then closed its scope, before the waiter's
 * {@code jdk.JavaMonitorEnter} event (stamped when the waiter got the lock) was committed.
 *
 * <p>Bounded: a platform thread that ends labelled has its labels cleared by {@link LabelHook#threadEnding}, which
 * reaches here as a change to no labels and moves the thread to the last {@value #MAX_UNLABELLED} unlabelled ones;
 * past {@value #MAX_THREADS} labelled threads (virtual threads do not run {@code Thread.exit}) a newly labelled
 * thread's events carry no labels, counted in {@link #dropped()}.
 */
public final class ThreadLabels {
    /** Distinct label sets whose pprof form is kept; past it the cache starts over (label values may be unbounded). */
    private static final int MAX_CACHED_SETS = 4096;
    /** Most threads whose labels are followed. */
    static final int MAX_THREADS = LabelHook.MAX_THREADS;
    /**
     * Most threads kept after their labels became empty, for {@link #at} (a lock holder that closed its scope, or
     * ended, just after it released the lock); the oldest is forgotten first.
     */
    static final int MAX_UNLABELLED = 4096;

    /** Threads labelled now. Written by the JFR stream thread, read by others ({@link #size}). */
    private final Map<Long, History> byThread = new ConcurrentHashMap<>();
    /** Threads whose labels became empty, most recent last: their history is still asked for a moment. */
    private final Map<Long, History> unlabelled = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, History> eldest) {
            return size() > MAX_UNLABELLED;
        }
    };
    private final Map<String, List<Label>> decoded = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    ThreadLabels() {}

    /**
     * Starts following label changes through {@code jfr}; returns null when JFR cannot deliver them. One follower
     * serves every consumer of that stream (cpu and allocs under the JFR engine, monitor events): the agent starts it
     * once ({@code FeatureContext.threadLabels()}).
     */
    public static ThreadLabels start(JfrSession jfr) {
        ThreadLabels labels = new ThreadLabels();
        FlightRecorder.register(LabelsChanged.class);
        LabelChanges.toJfr(true);
        if (!jfr.subscribe(EventRequest.of(LabelsChanged.NAME).threshold(Duration.ZERO), labels::onChange)) {
            LabelChanges.toJfr(false);
            return null;
        }
        for (long threadId : LabelHook.labelledThreads()) {
            List<Label> l = toPprof(LabelHook.of(threadId));
            if (!l.isEmpty()) labels.byThread.putIfAbsent(threadId, new History(Long.MIN_VALUE, l));
        }
        return labels;
    }

    /** Returns the labels of thread {@code threadId} as of the event being handled; call on the JFR stream thread. */
    public List<Label> of(long threadId) {
        History h = byThread.get(threadId);
        return h == null ? List.of() : h.now();
    }

    /**
     * Returns the labels thread {@code threadId} had at {@code epochNanos}, a moment shortly before the event being
     * handled (the last {@value History#SIZE} changes of each thread are kept): a lock holder's labels while it held
     * the lock, though it has closed its scope since. Call on the JFR stream thread.
     */
    public List<Label> at(long threadId, long epochNanos) {
        History h = byThread.get(threadId);
        if (h == null) h = unlabelled.get(threadId);
        return h == null ? List.of() : h.at(epochNanos);
    }

    /** Returns the pprof labels of {@code set}, in key order. */
    public static List<Label> toPprof(LabelSet set) {
        if (set.size() == 0) return List.of();
        List<Label> out = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) out.add(Label.string(set.key(i), set.value(i)));
        return List.copyOf(out);
    }

    /** On the changing thread: the change as a JFR event, when the recording has it enabled. */
    static void commit(LabelSet set) {
        LabelsChanged e = new LabelsChanged();
        if (!e.shouldCommit()) return;
        e.labels = set.joined();
        e.commit();
    }

    private void onChange(RecordedEvent e) {
        RecordedThread t = e.getThread();
        if (t == null) return;
        changed(t.getJavaThreadId(), EpochNanos.of(e.getStartTime()), e.getString("labels"));
    }

    /** As {@link #changed(long, long, String)} at an unknown time (for tests that need no {@link #at}). */
    void changed(long threadId, String encoded) {
        changed(threadId, Long.MIN_VALUE + 1, encoded);
    }

    /**
     * Records thread {@code threadId}'s labels, {@link LabelSet#joined() joined} ("" for none), from
     * {@code epochNanos} on.
     */
    void changed(long threadId, long epochNanos, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            put(threadId, epochNanos, List.of());
            return;
        }
        if (decoded.size() >= MAX_CACHED_SETS) decoded.clear();
        put(threadId, epochNanos, decoded.computeIfAbsent(encoded, ThreadLabels::decode));
    }

    /**
     * Makes {@code labels} thread {@code threadId}'s from {@code epochNanos} on, within {@value #MAX_THREADS} labelled
     * threads; a thread whose labels become empty moves to the bounded {@link #unlabelled}.
     */
    private void put(long threadId, long epochNanos, List<Label> labels) {
        History h = byThread.get(threadId);
        if (labels.isEmpty()) {
            if (h == null) return;
            h.add(epochNanos, labels);
            byThread.remove(threadId);
            unlabelled.put(threadId, h);
        } else if (h != null) {
            h.add(epochNanos, labels);
        } else if (byThread.size() < MAX_THREADS) {
            h = unlabelled.remove(threadId);
            if (h == null) h = new History(epochNanos, labels);
            else h.add(epochNanos, labels);
            byThread.put(threadId, h);
        } else {
            dropped.incrementAndGet();
        }
    }

    /** Returns how many label changes of a thread not yet followed found {@value #MAX_THREADS} threads followed. */
    public long dropped() {
        return dropped.get();
    }

    /** Returns how many threads are labelled now. */
    int size() {
        return byThread.size();
    }


    static List<Label> decode(String encoded) {
        String[] parts = encoded.split(String.valueOf(LabelSet.SEPARATOR), -1);
        List<Label> out = new ArrayList<>(parts.length / 2);
        for (int i = 0; i + 1 < parts.length; i += 2) out.add(Label.string(parts[i], parts[i + 1]));
        return List.copyOf(out);
    }

    /**
     * A thread's last {@value #SIZE} label changes and their times, newest at {@code newest}. Written and read by the
     * JFR stream thread.
     */
    private static final class History {
        static final int SIZE = 4;
        final long[] times = new long[SIZE];
        @SuppressWarnings("unchecked")
        final List<Label>[] labels = new List[SIZE];
        int newest;
        int count = 1;

        History(long epochNanos, List<Label> first) {
            times[0] = epochNanos;
            labels[0] = first;
        }

        void add(long epochNanos, List<Label> l) {
            newest = (newest + 1) % SIZE;
            times[newest] = epochNanos;
            labels[newest] = l;
            if (count < SIZE) count++;
        }

        List<Label> now() {
            return labels[newest];
        }

        /**
         * The labels in force at {@code epochNanos}: none before the thread's first known change, the oldest kept
         * when the time is older than all {@value #SIZE} (a best guess).
         */
        List<Label> at(long epochNanos) {
            int i = newest;
            for (int k = 0; k < count; k++) {
                if (times[i] <= epochNanos) return labels[i];
                i = (i + SIZE - 1) % SIZE;
            }
            return count < SIZE ? List.of() : labels[(newest + 1) % SIZE];
        }
    }
}
