package dev.diag.sampler;

import java.util.Arrays;

/**
 * A map from long keys to non-negative ints, open addressing with linear probing: the sample file reader looks up a
 * constant or an event type for every event, and a boxed {@code Long} per look-up would be most of its garbage.
 */
final class LongIntMap {
    static final int ABSENT = -1;
    private long[] keys;
    private int[] values;
    private int size;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, ABSENT);
    }

    /** Returns the value of {@code key}, or {@link #ABSENT}. */
    int get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            int v = values[i];
            if (v == ABSENT || keys[i] == key) return v;
        }
    }

    /** Sets {@code key} to {@code value} (not negative). */
    void put(long key, int value) {
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (values[i] == ABSENT) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, ABSENT);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != ABSENT) put(oldKeys[i], oldValues[i]);
        }
    }
}
