package dev.diag.stack;

import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One walk of the current thread's stack reading only what is cheap, as the key a {@link StackCache} looks up: reused
 * by one thread at a time (see {@link StackCapture}). Two ways to fill it:
 *
 * <ul>
 *   <li>{@link #fillFromBacktrace()} (HotSpot, {@link Backtrace#AVAILABLE}): one native walk into {@link #probe}; two
 *   longs a frame, {@code classId << 32 | bci-and-version} and the method's id in its class. {@link #exact}: the key
 *   alone fixes every frame's method.</li>
 *   <li>{@link #apply} (a {@code StackWalker} walk, elsewhere): one long a frame, {@code classId << 32 | bci} (bci -1
 *   for a native method), with the {@code StackFrame}s kept for a cache miss to read names and lines from; the walk
 *   function itself, as a class rather than a lambda so that no invokedynamic links inside a hooked JDK method.</li>
 * </ul>
 *
 * Either stops at {@code limit} frames: a deeper stack is keyed, and shown, by its innermost frames only.
 */
final class FrameWalk implements Function<Stream<StackWalker.StackFrame>, FrameWalk> {
    final long[] key;
    final StackWalker.StackFrame[] frames;
    /** Frames keyed. */
    int n;
    /** Longs of {@link #key} in use. */
    int keyLength;
    int hash;
    /** The key fixes each frame's method ({@link #fillFromBacktrace}); a {@code StackWalker} key does not. */
    boolean exact;
    boolean busy;
    /** The throwable whose backtrace a {@link #fillFromBacktrace} reads; made once per thread, refilled each time. */
    Throwable probe;

    FrameWalk(int limit) {
        key = new long[2 * limit];
        frames = new StackWalker.StackFrame[limit];
    }

    /**
     * Keys the calling thread's stack from one {@code fillInStackTrace}; returns false, keying nothing, if the
     * backtrace could not be read. Needs {@link Backtrace#AVAILABLE}.
     */
    boolean fillFromBacktrace() {
        if (probe == null) probe = new Throwable();
        probe.fillInStackTrace();
        int keyed = Backtrace.key(probe, key, frames.length);
        if (keyed < 0) return false;
        n = keyed;
        keyLength = 2 * n;
        long h = 0;
        for (int i = 0; i < keyLength; i += 2) h = (h + (key[i] ^ key[i + 1] << 16)) * 0x9E3779B97F4A7C15L;
        hash = (int) (h ^ (h >>> 32)) ^ n;
        exact = true;
        return true;
    }

    @Override
    public FrameWalk apply(Stream<StackWalker.StackFrame> stream) {
        Iterator<StackWalker.StackFrame> it = stream.iterator();
        long h = 0;
        int i = 0;
        int limit = frames.length;
        while (i < limit && it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            long k = ((long) ClassIds.of(f.getDeclaringClass()) << 32) | (f.getByteCodeIndex() & 0xffffffffL);
            frames[i] = f;
            key[i] = k;
            h = (h + k) * 0x9E3779B97F4A7C15L;
            i++;
        }
        n = i;
        keyLength = i;
        hash = (int) (h ^ (h >>> 32)) ^ i;
        exact = false;
        return this;
    }

    /** Drops the references to the walked frames, so that a parked thread's scratch pins no class. */
    void clear() {
        for (int i = 0; i < n; i++) frames[i] = null;
        if (exact) Backtrace.clear(probe);
        n = 0;
        keyLength = 0;
    }
}
