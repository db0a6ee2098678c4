package dev.diag.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One family of requests (x/net/trace's {@code family}): how many are active, how many finished in each latency
 * bucket and with an error, and the last {@link #PER_BUCKET} of each bucket. The buckets are x/net/trace's and, as
 * there, cumulative: a 120 ms request counts in ≥0s, ≥0.05s and ≥0.1s. Lock-free: counts are {@link LongAdder}s, a
 * bucket's recent requests a ring written at an atomically taken index, active requests a small table claimed by
 * compare-and-set (a request finding no free slot in a few tries is counted but not listed), and the latency
 * histograms of the last minute, hour and all time a {@link LatencyHistogram}.
 */
public final class RequestFamily {
    /** The lower bounds of the latency buckets, in nanoseconds: ≥0s, ≥0.05s, ≥0.1s, ≥0.2s, ≥0.5s, ≥1s, ≥10s, ≥100s. */
    public static final long[] BUCKET_NANOS = {0, 50_000_000L, 100_000_000L, 200_000_000L, 500_000_000L,
            1_000_000_000L, 10_000_000_000L, 100_000_000_000L};
    /** The index of the errors bucket, after the latency ones. */
    public static final int ERRORS = BUCKET_NANOS.length;
    /** Finished requests kept per bucket, as x/net/trace's {@code tracesPerBucket}. */
    public static final int PER_BUCKET = 10;
    /** Active requests listed at most (all are counted). */
    public static final int ACTIVE_SLOTS = 64;
    private static final int ACTIVE_PROBES = 4;

    private final String name;
    private final LongAdder[] counts = new LongAdder[ERRORS + 1];
    private final AtomicIntegerArray next = new AtomicIntegerArray(ERRORS + 1);
    private final AtomicReferenceArray<RequestRecord> recent = new AtomicReferenceArray<>((ERRORS + 1) * PER_BUCKET);
    private final LongAdder active = new LongAdder();
    private final AtomicReferenceArray<RequestRecord> activeSlots = new AtomicReferenceArray<>(ACTIVE_SLOTS);
    private final LatencyHistogram latency = new LatencyHistogram();

    RequestFamily(String name) {
        this.name = name;
        for (int b = 0; b < counts.length; b++) counts[b] = new LongAdder();
    }

    public String name() {
        return name;
    }

    RequestRecord start(String title) {
        RequestRecord r = new RequestRecord(this, title, System.nanoTime());
        active.increment();
        int first = (int) Thread.currentThread().getId();
        for (int i = 0; i < ACTIVE_PROBES; i++) {
            int slot = (first + i) & (ACTIVE_SLOTS - 1);
            if (activeSlots.get(slot) == null && activeSlots.compareAndSet(slot, null, r)) {
                r.activeSlot = slot;
                break;
            }
        }
        return r;
    }

    void finished(RequestRecord r, long nowNanos) {
        if (r.activeSlot >= 0) activeSlots.compareAndSet(r.activeSlot, r, null);
        active.decrement();
        long elapsed = r.elapsedNanos();
        latency.record(elapsed, nowNanos);
        for (int b = 0; b < ERRORS && elapsed >= BUCKET_NANOS[b]; b++) keep(b, r);
        if (r.isError()) keep(ERRORS, r);
    }

    private void keep(int bucket, RequestRecord r) {
        counts[bucket].increment();
        int i = Math.floorMod(next.getAndIncrement(bucket), PER_BUCKET);
        recent.set(bucket * PER_BUCKET + i, r);
    }

    /** Returns how many requests of this family are running now. */
    public long active() {
        return Math.max(0, active.sum());
    }

    /** Returns how many finished in {@code bucket} (0 to {@link #ERRORS}) since the start. */
    public long count(int bucket) {
        return counts[bucket].sum();
    }

    /** Returns the family's latency histogram (x/net/trace's {@code [minute]}, {@code [hour]}, {@code [total]}). */
    public LatencyHistogram latency() {
        return latency;
    }

    /** Returns the kept requests of a bucket, most recent start first. */
    public List<RequestRecord> recent(int bucket) {
        List<RequestRecord> out = new ArrayList<>(PER_BUCKET);
        for (int i = 0; i < PER_BUCKET; i++) {
            RequestRecord r = recent.get(bucket * PER_BUCKET + i);
            if (r != null) out.add(r);
        }
        out.sort((a, b) -> Long.compare(b.startNanos(), a.startNanos()));
        return out;
    }

    /** Returns the listed active requests, most recent start first. */
    public List<RequestRecord> activeRequests() {
        List<RequestRecord> out = new ArrayList<>();
        for (int i = 0; i < ACTIVE_SLOTS; i++) {
            RequestRecord r = activeSlots.get(i);
            if (r != null && r.isActive()) out.add(r);
        }
        out.sort((a, b) -> Long.compare(b.startNanos(), a.startNanos()));
        return out;
    }
}
