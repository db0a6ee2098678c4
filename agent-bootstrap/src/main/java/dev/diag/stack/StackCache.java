package dev.diag.stack;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Maps a walked stack, as its (class, bytecode index) sequence, to its interned {@link StackTable} id, so that a stack
 * seen before costs a walk and a lookup, not the names, lines and interning of every frame.
 *
 * <p>Exact, never shared by two different stacks: a hit compares the whole key. A key read from a backtrace names each
 * frame's method ({@link FrameWalk#exact}). In a {@code StackWalker} key, where (class, bci) does not
 * determine the method the entry also keeps the method name and compares it. (A frame's method is fixed by its
 * caller's method and call-site bci together with its own class, except where the caller is a native method or
 * method-handle/lambda plumbing, and for the outermost frame walked, which has no caller in the key: those positions
 * are named, see {@link #namedPositions}.)
 *
 * <p>Bounded: an open-addressing table ({@value #CAPACITY} entries for the hooks) probed at most {@value #MAX_PROBES} slots; a
 * new stack that finds no free slot is not cached (counted in {@link #full()}), so its events stay correct and pay
 * the slow path. Entries are immutable and published by CAS; lookups take no lock and allocate nothing.
 */
final class StackCache {
    static final int CAPACITY = 8192;
    static final int MAX_PROBES = 16;

    private final int mask;
    private final AtomicReferenceArray<Entry> table;
    private final AtomicLong full = new AtomicLong();
    private final AtomicLong size = new AtomicLong();

    /** @param capacity slots, a power of two */
    StackCache(int capacity) {
        this.mask = capacity - 1;
        this.table = new AtomicReferenceArray<>(capacity);
    }

    /** Returns the id cached for the stack {@code w} holds, or 0 when it is not cached. */
    int lookup(FrameWalk w) {
        int i = w.hash & mask;
        for (int p = 0; p < MAX_PROBES; p++, i = (i + 1) & mask) {
            Entry e = table.get(i);
            if (e == null) return 0;
            if (e.matches(w)) return e.id;
        }
        return 0;
    }

    /** Caches {@code id} for the stack {@code w} holds; when every probed slot is taken, counts and drops it. */
    void insert(FrameWalk w, int id) {
        Entry e = new Entry(w, id);
        int i = w.hash & mask;
        for (int p = 0; p < MAX_PROBES; p++, i = (i + 1) & mask) {
            Entry old = table.get(i);
            if (old == null && table.compareAndSet(i, null, e)) {
                size.incrementAndGet();
                return;
            }
            old = table.get(i);
            if (old != null && old.matches(w)) return; // another thread cached it meanwhile
        }
        full.incrementAndGet();
    }

    /** Returns how many new stacks found no free slot and were not cached. */
    long full() {
        return full.get();
    }

    /** Returns how many stacks are cached. */
    long size() {
        return size.get();
    }

    /**
     * Returns the frame positions whose method (class, bci) does not determine: the outermost frame, a frame called
     * by a native method, and frames in or called from hidden or {@code java.lang.invoke} classes (lambda proxies,
     * method-handle forms and holders, which dispatch to any method).
     */
    static int[] namedPositions(FrameWalk w) {
        if (w.exact) return new int[0];
        int[] pos = new int[w.n];
        int count = 0;
        for (int i = 0; i < w.n; i++) {
            boolean outermost = i == w.n - 1;
            if (outermost || (int) w.key[i + 1] < 0 || isDispatch(w.frames[i]) || isDispatch(w.frames[i + 1])) {
                pos[count++] = i;
            }
        }
        int[] out = new int[count];
        System.arraycopy(pos, 0, out, 0, count);
        return out;
    }

    private static boolean isDispatch(StackWalker.StackFrame f) {
        Class<?> c = f.getDeclaringClass();
        return c.isHidden() || c.getName().startsWith("java.lang.invoke.");
    }

    /** One cached stack: its key, the method names at its named positions, and its id. Immutable. */
    private static final class Entry {
        final int hash;
        final long[] key;
        final int[] namedAt;
        final String[] names;
        final int id;
        final boolean exact;

        Entry(FrameWalk w, int id) {
            this.hash = w.hash;
            this.exact = w.exact;
            this.key = new long[w.keyLength];
            System.arraycopy(w.key, 0, key, 0, w.keyLength);
            this.namedAt = namedPositions(w);
            this.names = new String[namedAt.length];
            for (int i = 0; i < namedAt.length; i++) names[i] = w.frames[namedAt[i]].getMethodName();
            this.id = id;
        }

        boolean matches(FrameWalk w) {
            if (hash != w.hash || key.length != w.keyLength || exact != w.exact) return false;
            long[] k = w.key;
            for (int i = 0; i < key.length; i++) {
                if (key[i] != k[i]) return false;
            }
            for (int i = 0; i < namedAt.length; i++) {
                if (!names[i].equals(w.frames[namedAt[i]].getMethodName())) return false;
            }
            return true;
        }
    }
}
