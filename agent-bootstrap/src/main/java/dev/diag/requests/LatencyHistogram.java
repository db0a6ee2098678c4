package dev.diag.requests;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A family's latency histograms as x/net/trace draws them ({@code [minute]}, {@code [hour]}, {@code [total]} on
 * {@code /debug/requests}): each finished request's elapsed microseconds counted in one of {@value #BUCKETS} buckets
 * spaced in powers of two ([0, 2), [2, 4), [4, 8) ... as Go's {@code getBucket}), with the sum and sum of squares for
 * the mean and standard deviation.
 *
 * <p>Three windows: all time, and the last minute and last hour as rings of {@value #SLOTS} slots of 5 s and 5 min
 * (Go's timeseries keeps 60 of 1 s and 60 of 1 min; twelve keep a family's memory at about 8 KB at most, while a
 * window still ends at most one slot short of its length: the last minute is the current slot and the eleven
 * before, 55 to 60 s). Lock-free: a slot is an array of counters for one period, replaced by compare-and-set when its
 * period comes round again; a writer still holding the replaced one counts into a period that has left the window
 * anyway.
 */
public final class LatencyHistogram {
    /** Go's {@code bucketCount}: the last bucket holds everything from 2^37 µs (38 hours) on. */
    public static final int BUCKETS = 38;
    static final int SLOTS = 12;
    static final long MINUTE_SLOT_NANOS = 5_000_000_000L;
    static final long HOUR_SLOT_NANOS = 300_000_000_000L;

    /** The windows, in the order of x/net/trace's links, with the words its page uses. */
    public enum Window {
        MINUTE("last minute"), HOUR("last hour"), TOTAL("all time");

        private final String words;

        Window(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private final Counts total = new Counts(0);
    private final Ring minute = new Ring(MINUTE_SLOT_NANOS);
    private final Ring hour = new Ring(HOUR_SLOT_NANOS);

    /** Counts one request of {@code elapsedNanos} that finished at {@code nowNanos} ({@link System#nanoTime()}). */
    void record(long elapsedNanos, long nowNanos) {
        long micros = Math.max(0, elapsedNanos / 1000);
        int b = bucket(micros);
        total.add(b, micros);
        minute.add(b, micros, nowNanos);
        hour.add(b, micros, nowNanos);
    }

    /** Returns the histogram of {@code window} as of {@code nowNanos}. */
    public Snapshot snapshot(Window window, long nowNanos) {
        long[] counts = new long[BUCKETS];
        double[] sums = new double[2];
        switch (window) {
            case MINUTE: minute.sum(nowNanos, counts, sums); break;
            case HOUR: hour.sum(nowNanos, counts, sums); break;
            default: total.addTo(counts, sums);
        }
        return new Snapshot(counts, (long) sums[0], sums[1]);
    }

    /** Go's {@code getBucket}: the bit length of the value, minus one, within [0, BUCKETS). */
    static int bucket(long micros) {
        int index = 64 - Long.numberOfLeadingZeros(micros) - 1;
        return Math.max(0, Math.min(BUCKETS - 1, index));
    }

    /** Go's {@code bucketBoundary}: the first value of a bucket. */
    public static long lowerBound(int bucket) {
        return bucket == 0 ? 0 : 1L << bucket;
    }

    /** One period's counts: per bucket, then the sum of microseconds and the sum of their squares (double bits). */
    private static final class Counts {
        final long epoch;
        final AtomicLongArray values = new AtomicLongArray(BUCKETS + 2);

        Counts(long epoch) {
            this.epoch = epoch;
        }

        void add(int bucket, long micros) {
            values.incrementAndGet(bucket);
            values.addAndGet(BUCKETS, micros);
            double square = (double) micros * micros;
            for (;;) {
                long bits = values.get(BUCKETS + 1);
                long next = Double.doubleToRawLongBits(Double.longBitsToDouble(bits) + square);
                if (values.compareAndSet(BUCKETS + 1, bits, next)) return;
            }
        }

        void addTo(long[] counts, double[] sums) {
            for (int b = 0; b < BUCKETS; b++) counts[b] += values.get(b);
            sums[0] += values.get(BUCKETS);
            sums[1] += Double.longBitsToDouble(values.get(BUCKETS + 1));
        }
    }

    /** The last {@link #SLOTS} periods of one length. */
    private static final class Ring {
        final long slotNanos;
        final AtomicReferenceArray<Counts> slots = new AtomicReferenceArray<>(SLOTS);

        Ring(long slotNanos) {
            this.slotNanos = slotNanos;
        }

        void add(int bucket, long micros, long nowNanos) {
            long epoch = Math.floorDiv(nowNanos, slotNanos);
            int i = (int) Math.floorMod(epoch, SLOTS);
            for (;;) {
                Counts c = slots.get(i);
                if (c != null && c.epoch == epoch) {
                    c.add(bucket, micros);
                    return;
                }
                if (c != null && c.epoch > epoch) return; // a writer a whole ring late: out of the window
                Counts fresh = new Counts(epoch);
                if (slots.compareAndSet(i, c, fresh)) {
                    fresh.add(bucket, micros);
                    return;
                }
            }
        }

        void sum(long nowNanos, long[] counts, double[] sums) {
            long epoch = Math.floorDiv(nowNanos, slotNanos);
            for (int i = 0; i < SLOTS; i++) {
                Counts c = slots.get(i);
                if (c != null && c.epoch > epoch - SLOTS && c.epoch <= epoch) c.addTo(counts, sums);
            }
        }
    }

    /**
     * One window's histogram: counts per bucket, and the sums for the statistics x/net/trace prints above it.
     */
    public record Snapshot(long[] counts, long sumMicros, double sumOfSquares) {
        public long count() {
            long n = 0;
            for (long c : counts) n += c;
            return n;
        }

        public double mean() {
            long n = count();
            return n == 0 ? 0 : (double) sumMicros / n;
        }

        public double standardDeviation() {
            long n = count();
            if (n == 0) return 0;
            double m = (double) sumMicros / n;
            return Math.sqrt(Math.max(0, sumOfSquares / n - m * m));
        }

        /** Go's {@code percentileBoundary(0.5)}: the median, interpolated within its bucket. */
        public long median() {
            long total = count();
            if (total == 0) return 0;
            if (total == 1) return (long) mean();
            long half = Math.round(Math.floor(total * 0.5 + 0.5));
            long running = 0;
            for (int i = 0; i < BUCKETS; i++) {
                long n = counts[i];
                running += n;
                if (running == half) {
                    // On a bucket's end: halfway to the next bucket that holds anything (or the next boundary).
                    int j = Math.min(i + 1, BUCKETS - 1);
                    long min = lowerBound(j);
                    if (running < total) {
                        while (j < BUCKETS - 1 && counts[j] == 0) j++;
                    }
                    long max = lowerBound(j);
                    return min + Math.round(Math.floor((max - min) / 2.0 + 0.5));
                }
                if (running > half) {
                    double within = (double) (n - (running - half)) / n;
                    long lower = lowerBound(i);
                    long upper = i + 1 < BUCKETS ? lowerBound(i + 1) : lower;
                    return lower + Math.round(Math.floor(within * (upper - lower) + 0.5));
                }
            }
            return lowerBound(BUCKETS - 1);
        }
    }
}
