package dev.diag.stack;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Interns stacks: the same frames get the same small int id for the life of the JVM, so a ring record carries an id
 * instead of frames, and the drainer turns the id back into frames.
 *
 * <p>Bounded: at most {@link #MAX_STACKS} distinct stacks; later new stacks all get {@link #OVERFLOW_ID}, whose frames
 * are one pseudo-frame {@code diag.stackTableFull} (Go's {@code lostProfileEvent} idea: lost detail stays visible).
 * Id 0 means "no stack". Thread-safe and lock-free; two threads interning the same new stack at once may leave one
 * id unused, so the bound counts ids claimed. Every stack that keeps diag's memory busy goes through here, those the
 * hooks walk and those JFR hands over ({@code synchronized} contention), so this one bound holds for all of them; the
 * frames of a kept stack are shared with every other kept stack ({@link FrameTable}).
 */
public final class StackTable {
    /** Most distinct stacks kept (ids 2 .. MAX_STACKS + 1). */
    public static final int MAX_STACKS = 16_384;
    /** The id of every stack past {@link #MAX_STACKS}. */
    public static final int OVERFLOW_ID = 1;
    private static final Frame OVERFLOW_FRAME = new Frame("diag", "stackTableFull", null, null, 0);

    /** The table the hooks use. */
    public static final StackTable SHARED = new StackTable(MAX_STACKS);

    private final int max;
    private final FrameTable frameTable;
    private final ConcurrentHashMap<StackKey, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<StackKey> byId;
    private final AtomicInteger next = new AtomicInteger(OVERFLOW_ID + 1);
    /** Ids claimed by a thread that lost the race to intern the same stack. */
    private final AtomicInteger unused = new AtomicInteger();
    /** Calls that found the table full: the new stack was counted under {@link #OVERFLOW_ID}. */
    private final AtomicLong dropped = new AtomicLong();

    public StackTable(int max) {
        this(max, FrameTable.SHARED);
    }

    StackTable(int max, FrameTable frameTable) {
        this.max = max;
        this.frameTable = frameTable;
        this.byId = new AtomicReferenceArray<>(max + 2);
        byId.set(OVERFLOW_ID, new StackKey(new Frame[] {OVERFLOW_FRAME}));
    }

    /**
     * Returns the id of {@code frames} (leaf first), adding it when new, or {@link #OVERFLOW_ID} when full. A new stack
     * keeps the array, its frames replaced by equal shared instances: the caller must not change it afterwards.
     */
    public int intern(Frame[] frames) {
        StackKey key = new StackKey(frames);
        Integer known = ids.get(key);
        if (known != null) return known;
        // A stack seen for the first time, on a hooked application thread: claim an id by CAS (never a lock, so a
        // hook cannot wait for another thread's interning), publish its frames, then the mapping.
        int n;
        do {
            n = next.get();
            if (n > max + 1) {
                dropped.incrementAndGet();
                return OVERFLOW_ID;
            }
        } while (!next.compareAndSet(n, n + 1));
        frameTable.share(frames); // equal frames: the key's hash and equality stay as they were
        byId.set(n, key);
        Integer raced = ids.putIfAbsent(key, n);
        if (raced == null) return n;
        byId.set(n, null); // another thread interned the same stack first: this id stays unused
        unused.incrementAndGet();
        return raced;
    }

    /** Returns the stack with this id, or null for 0 and unknown ids. */
    public StackKey stack(int id) {
        return id <= 0 || id >= byId.length() ? null : byId.get(id);
    }

    /**
     * Returns how many times a stack not in the table found it full and was given {@link #OVERFLOW_ID} (a hook's
     * {@link StackCache} then remembers that id for the stack, so this counts each dropped stack about once per
     * capture kind, while a JFR-built stack counts per event).
     */
    public long dropped() {
        return dropped.get();
    }

    /** Returns how many distinct stacks are interned (the overflow stack not counted). */
    public int size() {
        return next.get() - OVERFLOW_ID - 1 - unused.get(); // next stops at max + 2: claims past the bound fail
    }
}
