package dev.diag.hook;

import java.util.Arrays;

/**
 * An immutable set of profile labels (Go's {@code pprof.LabelSet}): keys sorted, one value per key, stored as one flat
 * {@code [key0, value0, key1, value1, ...]} array so that reading it costs no allocation.
 */
public final class LabelSet {
    public static final LabelSet EMPTY = new LabelSet(new String[0]);

    /** Separates keys and values in {@link #joined()}; no sensible label contains it. */
    public static final char SEPARATOR = '\u0000';

    private final String[] keyValues;
    private String joined;

    private LabelSet(String[] keyValues) {
        this.keyValues = keyValues;
    }

    /** Returns the number of labels. */
    public int size() {
        return keyValues.length / 2;
    }

    public String key(int i) {
        return keyValues[2 * i];
    }

    public String value(int i) {
        return keyValues[2 * i + 1];
    }

    /**
     * Returns this set with {@code keyValues} (key, value, key, value...) added, a later value replacing an earlier one
     * of the same key, as Go's {@code pprof.WithLabels}. The pairs are whole and non-null ({@code Labels.with} checks).
     */
    public LabelSet with(String... keyValues) {
        // One array of the exact size: a key already here is replaced in place (a new span_id over the old one, the
        // common case on a hot path), and only new keys need the sort.
        int added = 0;
        for (int i = 0; i < keyValues.length; i += 2) {
            if (indexOf(this.keyValues, this.keyValues.length, keyValues[i]) < 0
                    && indexOf(keyValues, i, keyValues[i]) < 0) {
                added += 2;
            }
        }
        String[] merged = Arrays.copyOf(this.keyValues, this.keyValues.length + added);
        int n = this.keyValues.length;
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = keyValues[i];
            int at = indexOf(merged, n, key);
            if (at >= 0) {
                merged[at + 1] = keyValues[i + 1];
            } else {
                merged[n++] = key;
                merged[n++] = keyValues[i + 1];
            }
        }
        return new LabelSet(added == 0 ? merged : sortedByKey(merged));
    }

    /** Returns the value of {@code key}, or null when the set has no such key. */
    public String valueOf(String key) {
        int at = indexOf(keyValues, keyValues.length, key);
        return at < 0 ? null : keyValues[at + 1];
    }

    /** Returns this set without {@code keys}; this same set when it has none of them. */
    public LabelSet without(String... keys) {
        int kept = keyValues.length;
        for (String key : keys) {
            if (indexOf(keyValues, keyValues.length, key) >= 0) kept -= 2;
        }
        if (kept == keyValues.length) return this;
        String[] out = new String[kept];
        int n = 0;
        for (int i = 0; i < keyValues.length; i += 2) {
            if (contains(keys, keyValues[i])) continue;
            out[n++] = keyValues[i];
            out[n++] = keyValues[i + 1];
        }
        return new LabelSet(out); // still sorted: pairs were only left out
    }

    private static boolean contains(String[] keys, String key) {
        for (String k : keys) {
            if (k.equals(key)) return true;
        }
        return false;
    }

    /**
     * Returns keys and values in one string, separated by {@link #SEPARATOR} (a NUL inside a label
     * becomes a space); computed once per set, so a profiler can record a change without building strings.
     */
    public String joined() {
        String j = joined;
        if (j == null) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < keyValues.length; i++) {
                if (i > 0) b.append(SEPARATOR);
                b.append(keyValues[i].replace(SEPARATOR, ' '));
            }
            joined = j = b.toString();
        }
        return j;
    }

    /** Returns the labels as one string, {@code key=value} pairs joined by {@code ,} in key order (for messages). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < size(); i++) {
            if (i > 0) b.append(", ");
            b.append(key(i)).append('=').append(value(i));
        }
        return b.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet && Arrays.equals(keyValues, ((LabelSet) o).keyValues);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyValues);
    }

    private static int indexOf(String[] kv, int n, String key) {
        for (int i = 0; i < n; i += 2) {
            if (kv[i].equals(key)) return i;
        }
        return -1;
    }

    /** Insertion sort of the pairs by key: label sets are small, and this needs no comparator object. */
    private static String[] sortedByKey(String[] kv) {
        for (int i = 2; i < kv.length; i += 2) {
            String key = kv[i];
            String value = kv[i + 1];
            int j = i - 2;
            while (j >= 0 && kv[j].compareTo(key) > 0) {
                kv[j + 2] = kv[j];
                kv[j + 3] = kv[j + 1];
                j -= 2;
            }
            kv[j + 2] = key;
            kv[j + 3] = value;
        }
        return kv;
    }
}
