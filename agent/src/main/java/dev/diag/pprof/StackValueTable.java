package dev.diag.pprof;

import dev.diag.stack.Frame;
import dev.diag.stack.FrameTable;
import dev.diag.stack.StackKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sums sample values by stack (and optional labels): the aggregation behind a profile. Thread-safe; adds are
 * short and happen on one background thread (the JFR stream), snapshots on request threads.
 *
 * <p>Bounded: at most {@code maxEntries} (stack, labels) entries, default {@value #MAX_ENTRIES}; label values and
 * stacks can be new forever. Once full, a sample of a new entry counts under one entry whose stack is
 * {@link #OVERFLOW_FRAME} and no labels (the lost detail stays visible in every graph, as Go's
 * {@code lostProfileEvent}) and in the {@code dropped} counter; known entries keep counting. A new entry's frames
 * are shared with the other stacks diag keeps ({@link FrameTable}).
 */
public final class StackValueTable {
    /** Most entries a table keeps by default, the overflow entry not counted. */
    public static final int MAX_ENTRIES = 16_384;
    /** The one frame of the entry that counts new entries' samples once the table is full. */
    public static final Frame OVERFLOW_FRAME = new Frame("diag", "profileTableFull", null, null, 0);

    private static final Key OVERFLOW = new Key(new StackKey(new Frame[] {OVERFLOW_FRAME}), List.of());

    private final int width;
    private final int maxEntries;
    private final AtomicLong dropped;
    private final Map<Key, long[]> values = new HashMap<>();

    /** @param width number of values per sample (the profile's sample types) */
    public StackValueTable(int width) {
        this(width, MAX_ENTRIES, new AtomicLong());
    }

    /**
     * @param maxEntries most entries kept
     * @param dropped    counts the samples of new entries that found the table full (may be shared by tables)
     */
    public StackValueTable(int width, int maxEntries, AtomicLong dropped) {
        this.width = width;
        this.maxEntries = maxEntries;
        this.dropped = dropped;
    }

    /**
     * Adds {@code delta} (one value per sample type) to the entry of {@code stack} and {@code labels}. A new entry
     * keeps {@code stack}, its frames replaced by equal shared ones: the caller must not change it afterwards.
     */
    public synchronized void add(Frame[] stack, List<Label> labels, long... delta) {
        Key key = new Key(new StackKey(stack), labels);
        long[] v = values.get(key);
        if (v == null) {
            if (values.size() - (values.containsKey(OVERFLOW) ? 1 : 0) >= maxEntries) {
                dropped.incrementAndGet();
                key = OVERFLOW;
            } else {
                FrameTable.SHARED.share(stack);
            }
            v = values.computeIfAbsent(key, k -> new long[width]);
        }
        for (int i = 0; i < width; i++) v[i] += delta[i];
    }

    /** Returns the entries as samples (copies). */
    public synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>(values.size());
        values.forEach((k, v) -> out.add(new Sample(k.stack.frames(), v.clone(), k.labels)));
        return out;
    }

    /** Returns the number of distinct entries. */
    public synchronized int size() {
        return values.size();
    }

    /** Returns how many samples of new entries found the table full and counted under the overflow entry. */
    public long dropped() {
        return dropped.get();
    }

    private record Key(StackKey stack, List<Label> labels) {}
}
