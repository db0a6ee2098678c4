package dev.diag.labels;

import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;
import dev.diag.jfr.EventRequest;
import dev.diag.jfr.JfrSession;
import dev.diag.pprof.Label;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>Bounded: a platform thread that ends labelled has its labels cleared by {@link LabelHook#threadEnding}, which
 * reaches here as a change to no labels; past {@value #MAX_THREADS} labelled threads (virtual threads do not run
 * {@code Thread.exit}) a newly labelled thread's samples carry no labels, counted in {@link #dropped()}.
 */
public final class ThreadLabels {
    /** Distinct label sets whose pprof form is kept; past it the cache starts over (label values may be unbounded). */
    private static final int MAX_CACHED_SETS = 4096;
    /** Most threads whose labels are followed. */
    static final int MAX_THREADS = LabelHook.MAX_THREADS;

    private final Map<Long, List<Label>> byThread = new ConcurrentHashMap<>();
    private final Map<String, List<Label>> decoded = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    ThreadLabels() {}

    /** Starts following label changes through {@code jfr}; returns null when JFR cannot deliver them. */
    public static ThreadLabels start(JfrSession jfr) {
        ThreadLabels labels = new ThreadLabels();
        FlightRecorder.register(LabelsChanged.class);
        LabelHook.setListener(ThreadLabels::commit);
        if (!jfr.subscribe(EventRequest.of(LabelsChanged.NAME).threshold(Duration.ZERO), labels::onChange)) {
            LabelHook.setListener(null);
            return null;
        }
        for (long threadId : LabelHook.labelledThreads()) {
            List<Label> l = toPprof(LabelHook.of(threadId));
            if (!l.isEmpty()) labels.byThread.putIfAbsent(threadId, l);
        }
        return labels;
    }

    /** Returns the labels of thread {@code threadId} as of the event being handled; call on the JFR stream thread. */
    public List<Label> of(long threadId) {
        List<Label> l = byThread.get(threadId);
        return l == null ? List.of() : l;
    }

    /** Returns the pprof labels of {@code set}, in key order. */
    public static List<Label> toPprof(LabelSet set) {
        if (set.size() == 0) return List.of();
        List<Label> out = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) out.add(Label.string(set.key(i), set.value(i)));
        return List.copyOf(out);
    }

    private static void commit(LabelSet set) {
        LabelsChanged e = new LabelsChanged();
        if (!e.shouldCommit()) return;
        e.labels = set.joined();
        e.commit();
    }

    private void onChange(RecordedEvent e) {
        RecordedThread t = e.getThread();
        if (t == null) return;
        changed(t.getJavaThreadId(), e.getString("labels"));
    }

    /** Records thread {@code threadId}'s labels, {@link LabelSet#joined() joined} ("" for none), from now on. */
    void changed(long threadId, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            put(threadId, List.of());
            return;
        }
        if (decoded.size() >= MAX_CACHED_SETS) decoded.clear();
        put(threadId, decoded.computeIfAbsent(encoded, ThreadLabels::decode));
    }

    /** Makes {@code labels} thread {@code threadId}'s (none: forgets it), within {@value #MAX_THREADS} threads. */
    private void put(long threadId, List<Label> labels) {
        if (labels.isEmpty()) {
            byThread.remove(threadId);
        } else if (byThread.containsKey(threadId) || byThread.size() < MAX_THREADS) {
            byThread.put(threadId, labels);
        } else {
            dropped.incrementAndGet();
        }
    }

    /** Returns how many label changes of a thread not yet followed found {@value #MAX_THREADS} threads followed. */
    public long dropped() {
        return dropped.get();
    }

    /** Returns how many threads' labels are followed. */
    int size() {
        return byThread.size();
    }


    static List<Label> decode(String encoded) {
        String[] parts = encoded.split(String.valueOf(LabelSet.SEPARATOR), -1);
        List<Label> out = new ArrayList<>(parts.length / 2);
        for (int i = 0; i + 1 < parts.length; i += 2) out.add(Label.string(parts[i], parts[i + 1]));
        return List.copyOf(out);
    }
}
