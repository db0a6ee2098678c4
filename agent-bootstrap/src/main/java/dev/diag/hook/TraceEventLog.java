package dev.diag.hook;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The append-only event log of one execution trace: fixed-size records in lazily allocated chunks, bounded by a
 * capacity fixed at creation. Any thread appends; one reader reads after the recording stopped.
 *
 * <p>Record layout (one slot, {@link #SLOT_LONGS} longs plus two references):
 * <pre>
 *  long[base+0] TS    System.nanoTime() of the event; 0 until the record is complete
 *  long[base+1] TYPE  one of the TYPE_* codes
 *  long[base+2] TID   Java thread id of the thread that appended
 *  long[base+3] A     first argument (task id, target thread id)
 *  long[base+4] B     second argument (parent task id)
 *  ref1[j], ref2[j]   names, messages, the Thread itself (resolved by the reader, never by the writer)
 * </pre>
 *
 * <p>Ordering: (1) a writer claims a slot index with one {@code getAndIncrement} on {@code claimed}; (2) it installs
 * the slot's chunk if absent (CAS, so two racing writers agree on one chunk); (3) it writes TYPE, TID, A, B and the
 * references with plain stores; (4) it writes TS last with a release store. The reader loads TS with acquire: a
 * zero TS is a record still being written (or abandoned by a dying thread) and is skipped, so no torn record is
 * ever read. Full: a claim at or past the capacity fails, remembers the time of the first failure, and the
 * recording ends there (the trace stops cleanly rather than losing events from its middle). Chunks are allocated
 * by whichever writer first reaches them: one allocation per {@link #CHUNK_EVENTS} events, never more.
 */
public final class TraceEventLog {
    public static final int SLOT_LONGS = 5;
    /** Approximate heap bytes per event, used to turn {@code trace.max} into a capacity. */
    public static final int BYTES_PER_EVENT = SLOT_LONGS * 8 + 2 * 8;

    public static final int TS = 0;
    public static final int TYPE = 1;
    public static final int TID = 2;
    public static final int A = 3;
    public static final int B = 4;

    /** ref1 = the Thread: names the thread in the trace. Written once per thread and recording. */
    public static final int TYPE_THREAD = 1;
    /** A = task id, B = parent task id, ref1 = name. */
    public static final int TYPE_TASK_CREATE = 2;
    /** A = task id. */
    public static final int TYPE_TASK_END = 3;
    /** A = task id, B = StackTable id of the region's start site (0: none), ref1 = name. */
    public static final int TYPE_REGION_BEGIN = 4;
    /** A = task id. Ends the thread's innermost open region. */
    public static final int TYPE_REGION_END = 5;
    /** A = task id, ref1 = category, ref2 = message. */
    public static final int TYPE_LOG = 6;
    /** A = Java thread id of the thread being unparked. TS = when; appended by the drainer from the event ring. */
    public static final int TYPE_UNPARK = 7;
    /**
     * A park of TID that ended at TS: A = its duration in ns, B = the StackTable id of its wait site (low 32 bits) and
     * the ring record's hints (high 32 bits). Appended by the drainer from the event ring.
     */
    public static final int TYPE_PARK = 8;
    /**
     * The thread's profile labels became ref1 (a {@code LabelSet}; empty when they were cleared): A = task id. Appended
     * by {@link LabelHook#set} through {@link TraceHook#labelsChanged}.
     */
    public static final int TYPE_LABELS = 9;

    private static final int CHUNK_SHIFT = 12;
    public static final int CHUNK_EVENTS = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_EVENTS - 1;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final AtomicLong GENERATIONS = new AtomicLong();

    private final long capacity;
    private final AtomicReferenceArray<Chunk> chunks;
    private final AtomicLong claimed = new AtomicLong();
    private final long generation = GENERATIONS.incrementAndGet();
    private volatile long fullAt;

    /** One block of slots. */
    private static final class Chunk {
        final long[] longs = new long[CHUNK_EVENTS * SLOT_LONGS];
        final Object[] ref1 = new Object[CHUNK_EVENTS];
        final Object[] ref2 = new Object[CHUNK_EVENTS];
    }

    /** Creates a log that holds at most {@code capacity} events (at least one chunk). */
    public TraceEventLog(long capacity) {
        long chunkCount = Math.max(1, (capacity + CHUNK_EVENTS - 1) >>> CHUNK_SHIFT);
        if (chunkCount > Integer.MAX_VALUE) chunkCount = Integer.MAX_VALUE;
        this.capacity = Math.min(capacity, chunkCount << CHUNK_SHIFT);
        this.chunks = new AtomicReferenceArray<>((int) chunkCount);
    }

    /** Returns a number unique to this log, so per-thread state can tell a new recording from an old one. */
    public long generation() {
        return generation;
    }

    /**
     * Appends one event stamped now; returns false (and the log is full from then on) when the capacity is used up.
     * Never blocks, never throws.
     */
    public boolean append(int type, long tid, long a, long b, Object ref1, Object ref2) {
        return appendAt(System.nanoTime(), type, tid, a, b, ref1, ref2);
    }

    /**
     * Appends one event that happened at {@code ts} (a {@code System.nanoTime()} value, non-zero), for events recorded
     * elsewhere first (the event ring); returns false when the capacity is used up. Never blocks, never throws.
     */
    public boolean appendAt(long ts, int type, long tid, long a, long b, Object ref1, Object ref2) {
        return appendAt(ts, type, tid, a, b, ref1, ref2, 1);
    }

    /**
     * Appends one event stamped now that takes {@code slots} slots of the capacity: an event whose reference keeps
     * more alive than a slot's share of {@code trace.max} (a label set) pays for it with slots left empty, which the
     * reader skips as it skips an unfinished record. Never blocks, never throws.
     */
    public boolean append(int type, long tid, long a, long b, Object ref1, Object ref2, int slots) {
        return appendAt(System.nanoTime(), type, tid, a, b, ref1, ref2, slots);
    }

    private boolean appendAt(long ts, int type, long tid, long a, long b, Object ref1, Object ref2, int slots) {
        long i = claimed.getAndAdd(slots);
        if (i + slots > capacity) {
            long first = fullAt;
            if (first == 0 || ts < first) fullAt = ts; // the earliest refused event: the trace ends before it
            return false;
        }
        Chunk c = chunk((int) (i >>> CHUNK_SHIFT));
        int j = (int) (i & CHUNK_MASK);
        int base = j * SLOT_LONGS;
        c.ref1[j] = ref1;
        c.ref2[j] = ref2;
        long[] l = c.longs;
        l[base + TYPE] = type;
        l[base + TID] = tid;
        l[base + A] = a;
        l[base + B] = b;
        LONGS.setRelease(l, base + TS, ts == 0 ? 1 : ts);
        return true;
    }

    private Chunk chunk(int index) {
        Chunk c = chunks.get(index);
        if (c == null) {
            Chunk fresh = new Chunk();
            c = chunks.compareAndExchange(index, null, fresh);
            if (c == null) c = fresh;
        }
        return c;
    }

    /** Returns the time of the earliest event the log refused, or 0 while it has room. */
    public long fullAt() {
        return fullAt;
    }

    /** Returns how many events were refused because the log was full (in slots: a label change counts its own). */
    public long dropped() {
        return Math.max(0, claimed.get() - capacity);
    }

    public long capacity() {
        return capacity;
    }

    /** Receives the complete records in slot order. */
    public interface Visitor {
        void event(long ts, int type, long tid, long a, long b, Object ref1, Object ref2);
    }

    /** Hands every complete record to {@code visitor}, in claim order. Call after appends have stopped. */
    public void read(Visitor visitor) {
        long n = Math.min(claimed.get(), capacity);
        for (long i = 0; i < n; i++) {
            Chunk c = chunks.get((int) (i >>> CHUNK_SHIFT));
            if (c == null) continue;
            int j = (int) (i & CHUNK_MASK);
            int base = j * SLOT_LONGS;
            long ts = (long) LONGS.getAcquire(c.longs, base + TS);
            if (ts == 0) continue;
            long[] l = c.longs;
            visitor.event(ts, (int) l[base + TYPE], l[base + TID], l[base + A], l[base + B], c.ref1[j], c.ref2[j]);
        }
    }
}
