package dev.diag.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded multi-producer, single-consumer ring of fixed-size records ({@link RingDescriptor}) in one {@code long[]}:
 * producers never block and never allocate; a full ring rejects the record and counts the drop.
 *
 * <p>Ordering (Vyukov's bounded queue, with JCTools naming: lv = volatile load, lp = plain load, so = ordered/release
 * store, sp = plain store, cas = compare-and-set):
 * <ol>
 * <li>Every slot has a sequence word. Slot {@code i} starts at {@code i}: "free for producer index {@code i}".</li>
 * <li>Producer: {@code p = lvProducerIndex}; {@code s = lvSequence(slot(p))}. {@code s == p}: the slot is free for
 *     {@code p}; {@code casProducerIndex(p, p + 1)} claims it (losing the CAS means another producer took {@code p}:
 *     reload). {@code s < p}: the slot still holds the record of {@code p - capacity}, not yet drained: the ring is
 *     full, the record is dropped and {@link #dropped()} counted. {@code s > p}: {@code p} was stale, reload.</li>
 * <li>The claiming producer writes the body with plain stores ({@code sp}), then {@code soSequence(p + 1)}: the
 *     release store orders the body before the sequence, so a consumer that sees {@code p + 1} sees the whole
 *     record. A record is never torn.</li>
 * <li>Consumer (one thread only, see below): {@code c = lpConsumerIndex}; if {@code lvSequence(slot(c)) == c + 1} it
 *     reads the record, hands it to the handler, and in {@code finally} frees the slot with
 *     {@code soSequence(c + capacity)} and publishes {@code soConsumerIndex(c + 1)}. Any other sequence means the
 *     next record is not published yet (empty, or its producer is between (2) and (3)): drain stops and comes back
 *     later. A producer descheduled between claim and publish delays the consumer, never the other producers
 *     (they fill the other slots, then drop).</li>
 * </ol>
 * Single consumer: {@link #drain} must be called by one thread at a time (diag's {@code diag-drainer}). The producer
 * index and the consumer index are padded onto their own cache lines (field layout by inheritance, as JCTools does),
 * and producers never read the consumer index, so the consumer's stores do not slow them.
 */
public final class MpscRing extends MpscRingConsumerIndex {
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] buffer;
    /** One object per record beside its numbers (the labels of its thread), written and cleared as the record is. */
    private final Object[] attachments;
    private final int mask;
    private final int capacity;

    /** Creates a ring of {@code capacity} records, rounded up to a power of two (at least 2). */
    public MpscRing(int capacity) {
        int c = 2;
        while (c < capacity && c < (1 << 24)) c <<= 1;
        this.capacity = c;
        this.mask = c - 1;
        this.buffer = new long[c * RingDescriptor.RECORD_LONGS];
        this.attachments = new Object[c];
        for (int i = 0; i < c; i++) buffer[i * RingDescriptor.RECORD_LONGS] = i; // ordering (1)
        VarHandle.releaseFence(); // publish the initial sequences before the ring is shared
    }

    /** Returns the number of records the ring holds. */
    public int capacity() {
        return capacity;
    }

    /**
     * Offers one record; returns false, after counting the drop, when the ring is full. Never blocks, never
     * allocates, never throws. Any thread may call it.
     */
    public boolean offer(int type, int stackId, long threadId, long timestamp, long duration, long objectId,
                         long extra1, long extra2) {
        return offer(type, stackId, threadId, timestamp, duration, objectId, extra1, extra2, null);
    }

    /**
     * As {@link #offer(int, int, long, long, long, long, long, long)}, with an object the consumer reads as
     * {@link RingRecord#attachment()}; the ring lets go of it once the record is drained.
     */
    public boolean offer(int type, int stackId, long threadId, long timestamp, long duration, long objectId,
                         long extra1, long extra2, Object attachment) {
        final long[] buffer = this.buffer;
        long pIndex;
        int offset;
        while (true) { // ordering (2)
            pIndex = lvProducerIndex();
            offset = RingDescriptor.offset(pIndex, mask);
            long seq = lvSequence(buffer, offset);
            if (seq == pIndex) {
                if (casProducerIndex(pIndex, pIndex + 1)) break;
            } else if (seq < pIndex) {
                incrementDropped();
                return false;
            }
        }
        buffer[offset + RingDescriptor.TYPE_AND_STACK] = RingDescriptor.typeAndStack(type, stackId); // ordering (3)
        buffer[offset + RingDescriptor.THREAD] = threadId;
        buffer[offset + RingDescriptor.TIME] = timestamp;
        buffer[offset + RingDescriptor.DURATION] = duration;
        buffer[offset + RingDescriptor.OBJECT] = objectId;
        buffer[offset + RingDescriptor.EXTRA1] = extra1;
        buffer[offset + RingDescriptor.EXTRA2] = extra2;
        attachments[(int) (pIndex & mask)] = attachment; // published by the release store below, as the numbers are
        soSequence(buffer, offset, pIndex + 1);
        return true;
    }

    /**
     * Hands up to {@code limit} published records to {@code handler}, oldest first, reusing {@code view}; returns how
     * many. Single consumer only (ordering (4)).
     */
    public int drain(RecordHandler handler, RingRecord view, int limit) {
        final long[] buffer = this.buffer;
        long cIndex = lpConsumerIndex();
        int n = 0;
        while (n < limit) {
            int offset = RingDescriptor.offset(cIndex, mask);
            if (lvSequence(buffer, offset) != cIndex + 1) break;
            int slot = (int) (cIndex & mask);
            view.load(buffer, offset, attachments[slot]);
            n++;
            try {
                handler.onRecord(view);
            } catch (Throwable ignored) {
                // A failing handler loses this record only; the slot is freed below.
            } finally {
                attachments[slot] = null; // before the slot is freed: no drained record's object is kept alive
                soSequence(buffer, offset, cIndex + capacity);
                cIndex++;
                soConsumerIndex(cIndex);
            }
        }
        return n;
    }

    /** Returns how many records are published or being written and not yet drained (a racy estimate). */
    public long size() {
        long c = lvConsumerIndex();
        long p = lvProducerIndex();
        return Math.max(0, Math.min(capacity, p - c));
    }

    /** Returns how many records were ever accepted. */
    public long offered() {
        return lvProducerIndex();
    }

    private static long lvSequence(long[] buffer, int offset) {
        return (long) SEQUENCE.getVolatile(buffer, offset);
    }

    private static void soSequence(long[] buffer, int offset, long value) {
        SEQUENCE.setRelease(buffer, offset, value);
    }
}

/** 128 bytes of padding before the producer index. */
abstract class MpscRingPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The producer index, alone on its cache lines: every producer CASes it. */
abstract class MpscRingProducerIndex extends MpscRingPad0 {
    private static final VarHandle P_INDEX;
    static {
        try {
            P_INDEX = MethodHandles.lookup().findVarHandle(MpscRingProducerIndex.class, "producerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private volatile long producerIndex;

    final long lvProducerIndex() {
        return producerIndex;
    }

    final boolean casProducerIndex(long expect, long next) {
        return P_INDEX.compareAndSet(this, expect, next);
    }
}

abstract class MpscRingPad1 extends MpscRingProducerIndex {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
}

/** The drop counter: written only by producers that find the ring full, so it lives apart from the index. */
abstract class MpscRingDropped extends MpscRingPad1 {
    private static final VarHandle DROPPED;
    static {
        try {
            DROPPED = MethodHandles.lookup().findVarHandle(MpscRingDropped.class, "dropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private volatile long dropped;

    final void incrementDropped() {
        DROPPED.getAndAdd(this, 1L);
    }

    /** Returns how many offers were rejected because the ring was full. */
    public final long dropped() {
        return dropped;
    }
}

abstract class MpscRingPad2 extends MpscRingDropped {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;
}

/** The consumer index: written by the one drainer (ordered stores), read by {@link MpscRing#size()}. */
abstract class MpscRingConsumerIndex extends MpscRingPad2 {
    private static final VarHandle C_INDEX;
    static {
        try {
            C_INDEX = MethodHandles.lookup().findVarHandle(MpscRingConsumerIndex.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private volatile long consumerIndex;
    long p30, p31, p32, p33, p34, p35, p36, p37, p38, p39, p3a, p3b, p3c, p3d, p3e, p3f;

    final long lvConsumerIndex() {
        return consumerIndex;
    }

    final long lpConsumerIndex() {
        return (long) C_INDEX.get(this);
    }

    final void soConsumerIndex(long value) {
        C_INDEX.setRelease(this, value);
    }
}
