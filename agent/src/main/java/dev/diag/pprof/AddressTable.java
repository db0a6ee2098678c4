package dev.diag.pprof;

import dev.diag.stack.Frame;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Synthetic program counters for Java frames: the same method and line get the same address for the life of the
 * JVM, so {@code go tool pprof -diff_base} and {@code /symbol} work across profiles. Addresses are 16 apart inside
 * one mapping that starts at {@link #BASE}.
 *
 * <p>Bounded: at most {@value #MAX_KEPT} frames keep their address (as many as diag's shared frames,
 * {@link dev.diag.stack.FrameTable}); past that, a new frame gets a fresh address each time it is asked for, unique
 * within a profile (which asks once per frame) but not stable across profiles nor known to {@code /symbol}, counted
 * in {@link #unkept()}. Only code that keeps generating new classes or methods reaches it.
 */
public final class AddressTable {
    public static final long BASE = 0x400000L;
    public static final long LIMIT = 0x7fffffff0000L;
    /** Most frames whose address is remembered. */
    static final int MAX_KEPT = 65_536;

    private static final Map<Frame, Long> ADDRESSES = new ConcurrentHashMap<>();
    private static final Map<Long, Frame> FRAMES = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();
    private static final AtomicInteger KEPT = new AtomicInteger();
    private static final AtomicLong UNKEPT = new AtomicLong();

    private AddressTable() {}

    /** Returns the stable address of a frame (keyed by method, descriptor and line), or a fresh one past the bound. */
    public static long addressOf(Frame frame) {
        Long a = ADDRESSES.get(frame);
        if (a != null) return a;
        if (KEPT.get() >= MAX_KEPT) {
            UNKEPT.incrementAndGet();
            return next();
        }
        return ADDRESSES.computeIfAbsent(frame, f -> {
            long address = next();
            FRAMES.put(address, f);
            KEPT.incrementAndGet();
            return address;
        });
    }

    /** Returns the frame at an address handed out before and remembered, or null. */
    public static Frame frameAt(long address) {
        return FRAMES.get(address);
    }

    /** Returns how many times a new frame found the table full and got an address that is not remembered. */
    public static long unkept() {
        return UNKEPT.get();
    }

    private static long next() {
        return BASE + 16L * NEXT.incrementAndGet();
    }
}
