package dev.diag.ring;

/**
 * Bounded multi-producer rings striped by thread: a producer writes into the {@link MpscRing} its thread id hashes
 * to, so threads on different stripes never touch the same cache lines, and the one drainer visits every stripe.
 *
 * <p>Why striped and not per thread: a JVM may run millions of virtual threads; per-thread buffers would cost memory
 * per thread and would have to be found and flushed. Stripes bound memory in total ({@code stripes × capacity}
 * records of 64 bytes) whatever the number of threads. Records of one thread stay in order (one thread, one stripe);
 * records of different threads are in order only per stripe: consumers that need a global order sort by timestamp.
 *
 * <p>A full stripe drops the record and counts it ({@link #dropped()}); the producer never waits.
 */
public final class StripedRing {
    private final MpscRing[] stripes;
    private final int stripeMask;
    private final RingRecord view = new RingRecord();
    private long maxOccupancy;

    /**
     * Creates {@code stripes} rings (rounded up to a power of two) sharing {@code totalCapacity} records (each stripe at
     * least 2, rounded up to a power of two).
     */
    public StripedRing(int stripes, int totalCapacity) {
        int s = 1;
        while (s < stripes && s < 1024) s <<= 1;
        this.stripeMask = s - 1;
        this.stripes = new MpscRing[s];
        int each = Math.max(2, totalCapacity / s);
        for (int i = 0; i < s; i++) this.stripes[i] = new MpscRing(each);
    }

    /** Returns the stripe count a machine with {@code cpus} processors gets: twice the processors, 4 to 64. */
    public static int stripesFor(int cpus) {
        return Math.max(4, Math.min(64, 2 * cpus));
    }

    /**
     * Offers a record on the stripe of {@code threadId}; returns false (counted in {@link #dropped()}) when that stripe
     * is full. Never blocks, allocates or throws. Field meanings: {@link RingDescriptor}.
     */
    public boolean offer(int type, int stackId, long threadId, long timestamp, long duration, long objectId,
                         long extra1, long extra2) {
        return stripes[stripeOf(threadId)].offer(type, stackId, threadId, timestamp, duration, objectId, extra1,
                extra2);
    }

    /** As {@link #offer(int, int, long, long, long, long, long, long)}, with {@link RingRecord#attachment()}. */
    public boolean offer(int type, int stackId, long threadId, long timestamp, long duration, long objectId,
                         long extra1, long extra2, Object attachment) {
        return stripes[stripeOf(threadId)].offer(type, stackId, threadId, timestamp, duration, objectId, extra1,
                extra2, attachment);
    }

    private int stripeOf(long threadId) {
        // Fibonacci hashing: consecutive thread ids land on different stripes.
        return (int) ((threadId * 0x9E3779B97F4A7C15L) >>> 40) & stripeMask;
    }

    /**
     * Drains up to {@code limitPerStripe} records from each stripe into {@code handler}; returns how many in all.
     * Single consumer: one thread at a time.
     */
    public int drain(RecordHandler handler, int limitPerStripe) {
        int n = 0;
        for (MpscRing r : stripes) {
            long size = r.size();
            if (size > maxOccupancy) maxOccupancy = size;
            n += r.drain(handler, view, limitPerStripe);
        }
        return n;
    }

    /** Returns the records accepted so far. */
    public long offered() {
        long n = 0;
        for (MpscRing r : stripes) n += r.offered();
        return n;
    }

    /** Returns the records rejected because their stripe was full. */
    public long dropped() {
        long n = 0;
        for (MpscRing r : stripes) n += r.dropped();
        return n;
    }

    /** Returns the most records the drainer found waiting in one stripe (a high-water mark of its visits). */
    public long maxOccupancy() {
        return maxOccupancy;
    }

    /** Returns the number of stripes. */
    public int stripes() {
        return stripes.length;
    }

    /** Returns the records all stripes hold together. */
    public long capacity() {
        return (long) stripes.length * stripes[0].capacity();
    }
}
