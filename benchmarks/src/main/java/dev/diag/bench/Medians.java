package dev.diag.bench;

import java.util.Arrays;
import java.util.List;

/** Medians of the runs a side-by-side benchmark collects. */
public final class Medians {
    private Medians() {}

    /** Returns the median of one column of rows (the upper one for an even count). */
    public static long of(List<long[]> rows, int column) {
        return of(rows.stream().mapToLong(r -> r[column]).toArray());
    }

    /** Returns the median of the values (the upper one for an even count). */
    public static long of(List<Long> values) {
        return of(values.stream().mapToLong(Long::longValue).toArray());
    }

    /** Returns the median of the values (the upper one for an even count). */
    public static long of(long[] values) {
        long[] xs = values.clone();
        Arrays.sort(xs);
        return xs[xs.length / 2];
    }
}
