package dev.diag.stack;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shares one {@link Frame} instance per distinct frame among the stacks diag keeps: a profile's stacks repeat the same
 * few hundred frames thousands of times, and a stack built from a JFR event or a walk brings its own copies (measured:
 * 16,384 kept stacks of ~20 frames held 3 million {@code Frame}s and their strings, over 300 MB, where the distinct
 * frames were a few dozen).
 *
 * <p>Bounded: at most {@value #MAX_FRAMES} frames are remembered; past that a new frame stays the caller's own copy
 * (still correct, only not shared) and is counted in {@link #unshared()}. Thread-safe and lock-free; called only when
 * a table keeps a stack it did not have, never on a hook's fast path.
 */
public final class FrameTable {
    /** Most distinct frames remembered. */
    public static final int MAX_FRAMES = 65_536;

    /** The table every stack table of diag shares. */
    public static final FrameTable SHARED = new FrameTable(MAX_FRAMES);

    private final int max;
    private final ConcurrentHashMap<Frame, Frame> frames = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong unshared = new AtomicLong();

    public FrameTable(int max) {
        this.max = max;
    }

    /** Replaces, in place, each frame of {@code stack} by the instance remembered for it, remembering new ones while
     * there is room; returns {@code stack}. */
    public Frame[] share(Frame[] stack) {
        for (int i = 0; i < stack.length; i++) stack[i] = share(stack[i]);
        return stack;
    }

    private Frame share(Frame f) {
        Frame known = frames.get(f);
        if (known != null) return known;
        if (size.get() >= max) {
            unshared.incrementAndGet();
            return f;
        }
        known = frames.putIfAbsent(f, f);
        if (known != null) return known;
        size.incrementAndGet(); // may pass max by the number of racing threads: the bound is approximate by that much
        return f;
    }

    /** Returns how many distinct frames are remembered. */
    public int size() {
        return size.get();
    }

    /** Returns how many times a new frame found the table full and stayed unshared. */
    public long unshared() {
        return unshared.get();
    }
}
