package dev.diag.stack;

import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One walk of the current thread's stack reading only what is cheap: each frame's class (as a {@link ClassIds} id)
 * and bytecode index, packed into {@link #key}, with the {@code StackFrame}s kept for a cache miss to read names and
 * lines from. Reused by one thread at a time (see {@link StackCapture}); the walk function itself, as a class rather
 * than a lambda so that no invokedynamic links inside a hooked JDK method.
 *
 * <p>Key of frame {@code i} (leaf first): {@code classId << 32 | bci}, bci -1 for a native method. The walk stops at
 * {@code frames.length} frames: a deeper stack is keyed, and shown, by its innermost frames only.
 */
final class FrameWalk implements Function<Stream<StackWalker.StackFrame>, FrameWalk> {
    final long[] key;
    final StackWalker.StackFrame[] frames;
    int n;
    int hash;
    boolean busy;

    FrameWalk(int limit) {
        key = new long[limit];
        frames = new StackWalker.StackFrame[limit];
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
        hash = (int) (h ^ (h >>> 32)) ^ i;
        return this;
    }

    /** Drops the references to the walked frames, so that a parked thread's scratch holds no stale frames. */
    void clear() {
        for (int i = 0; i < n; i++) frames[i] = null;
        n = 0;
    }
}
