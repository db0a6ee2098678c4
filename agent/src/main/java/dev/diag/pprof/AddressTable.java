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

    private static final AddressTable SHARED = new AddressTable(MAX_KEPT);

    private final int maxKept;
    private final Map<Frame, Long> addresses = new ConcurrentHashMap<>();
    private final Map<Long, Frame> frames = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();
    private final AtomicInteger kept = new AtomicInteger();
    private final AtomicLong unkept = new AtomicLong();

    AddressTable(int maxKept) {
        this.maxKept = maxKept;
    }

    /** Returns the stable address of a frame (keyed by method, descriptor and line), or a fresh one past the bound. */
    public static long addressOf(Frame frame) {
        return SHARED.address(frame);
    }

    /** Returns the frame at an address handed out before and remembered, or null. */
    public static Frame frameAt(long address) {
        return SHARED.frame(address);
    }

    /** Returns how many times a new frame found the table full and got an address that is not remembered. */
    public static long unkept() {
        return SHARED.unkept.get();
    }

    long address(Frame frame) {
        Long a = addresses.get(frame);
        if (a != null) return a;
        if (kept.get() >= maxKept) {
            unkept.incrementAndGet();
            return next();
        }
        return addresses.computeIfAbsent(frame, f -> {
            long address = next();
            frames.put(address, f);
            kept.incrementAndGet();
            return address;
        });
    }

    Frame frame(long address) {
        return frames.get(address);
    }

    long unkeptCount() {
        return unkept.get();
    }

    private long next() {
        return BASE + 16L * next.incrementAndGet();
    }
}
