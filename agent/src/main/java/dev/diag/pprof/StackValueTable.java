package dev.diag.pprof;

import dev.diag.stack.Frame;
import dev.diag.stack.StackKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums sample values by stack (and optional labels): the aggregation behind a profile. Thread-safe; adds are
 * short and happen on one background thread (the JFR stream), snapshots on request threads.
 */
public final class StackValueTable {
    private final int width;
    private final Map<Key, long[]> values = new HashMap<>();

    /** @param width number of values per sample (the profile's sample types) */
    public StackValueTable(int width) {
        this.width = width;
    }

    /** Adds {@code delta} (one value per sample type) to the entry of {@code stack} and {@code labels}. */
    public synchronized void add(Frame[] stack, List<Label> labels, long... delta) {
        long[] v = values.computeIfAbsent(new Key(new StackKey(stack), labels), k -> new long[width]);
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

    private record Key(StackKey stack, List<Label> labels) {}
}
