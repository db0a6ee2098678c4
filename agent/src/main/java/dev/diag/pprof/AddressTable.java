package dev.diag.pprof;

import dev.diag.stack.Frame;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Synthetic program counters for Java frames: the same method and line get the same address for the life of the
 * JVM, so {@code go tool pprof -diff_base} and {@code /symbol} work across profiles. Addresses are 16 apart inside
 * one mapping that starts at {@link #BASE}.
 */
public final class AddressTable {
    public static final long BASE = 0x400000L;
    public static final long LIMIT = 0x7fffffff0000L;

    private static final Map<Frame, Long> ADDRESSES = new ConcurrentHashMap<>();
    private static final Map<Long, Frame> FRAMES = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong NEXT = new java.util.concurrent.atomic.AtomicLong();

    private AddressTable() {}

    /** Returns the stable address of a frame (keyed by method, descriptor and line). */
    public static long addressOf(Frame frame) {
        Long a = ADDRESSES.get(frame);
        if (a != null) return a;
        return ADDRESSES.computeIfAbsent(frame, f -> {
            long address = BASE + 16L * NEXT.incrementAndGet();
            FRAMES.put(address, f);
            return address;
        });
    }

    /** Returns the frame at an address handed out before, or null. */
    public static Frame frameAt(long address) {
        return FRAMES.get(address);
    }
}
