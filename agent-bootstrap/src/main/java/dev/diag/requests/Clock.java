package dev.diag.requests;

/**
 * Wall-clock times for the pages from {@link System#nanoTime()} stamps: the hot path reads only the monotonic clock,
 * and one fixed origin turns a stamp into epoch milliseconds when a page is drawn.
 */
public final class Clock {
    private static final long ORIGIN_NANOS = System.nanoTime();
    private static final long ORIGIN_MILLIS = System.currentTimeMillis();

    private Clock() {}

    /** Returns the nanoseconds since the epoch of a {@link System#nanoTime()} stamp (the pages show microseconds). */
    public static long epochNanos(long nanos) {
        return ORIGIN_MILLIS * 1_000_000L + (nanos - ORIGIN_NANOS);
    }
}
