package dev.diag.stack;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads the stack a {@link Throwable} captured, as HotSpot keeps it before anyone asks for its
 * {@code StackTraceElement}s: per frame the method's class, its method id within that class and the bytecode index,
 * written by one native walk ({@code fillInStackTrace}) with no Java object per frame. That walk costs about a third of
 * a {@code StackWalker} walk, which materializes a {@code StackFrameInfo} and resolves a {@code MemberName} for every
 * frame (BENCHMARKS.md, "Block and mutex hooks").
 *
 * <p>The backtrace is private to {@code java.lang.Throwable} and its layout is HotSpot's: a chain of chunks of
 * {@value #CHUNK} frames, each an {@code Object[]} holding {@code short[]} method ids, {@code int[]} bytecode index and
 * redefinition version, {@code Object[]} classes, then names, (JDK 19+) continuations, the next chunk and a flag. It is
 * read through {@code jdk.internal.misc.Unsafe}, which the agent exports to the boot loader's unnamed module. The layout
 * is checked once against {@code getStackTrace()} of a known stack; on any other JVM, or if the check fails,
 * {@link #AVAILABLE} is false and stacks come from {@code StackWalker} as before.
 *
 * <p>A frame's key (class id, method id, bytecode index and version) names one method and one position in it: two
 * different stacks never share a key, with no method name to compare.
 */
final class Backtrace {
    static final int CHUNK = 32;
    private static final int METHODS = 0;
    private static final int BCIS = 1;
    private static final int CLASSES = 2;

    private static final MethodHandle GET_REFERENCE;
    private static final MethodHandle PUT_REFERENCE;
    private static final MethodHandle GET_INT;
    private static final long BACKTRACE_OFFSET;
    private static final long DEPTH_OFFSET;
    /** Index of the next chunk in a chunk: its length less 2 (HotSpot keeps a flag in the last slot). */
    private static final int NEXT;
    static final boolean AVAILABLE;

    static {
        MethodHandle get = null, put = null, getInt = null;
        long backtrace = -1, depth = -1;
        int next = -1;
        boolean ok = false;
        try {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            get = lookup.findVirtual(unsafeClass, "getReference",
                    MethodType.methodType(Object.class, Object.class, long.class)).bindTo(unsafe);
            put = lookup.findVirtual(unsafeClass, "putReference",
                    MethodType.methodType(void.class, Object.class, long.class, Object.class)).bindTo(unsafe);
            getInt = lookup.findVirtual(unsafeClass, "getInt",
                    MethodType.methodType(int.class, Object.class, long.class)).bindTo(unsafe);
            MethodHandle offset = lookup.findVirtual(unsafeClass, "objectFieldOffset",
                    MethodType.methodType(long.class, Class.class, String.class)).bindTo(unsafe);
            backtrace = (long) offset.invokeExact((Class<?>) Throwable.class, "backtrace");
            depth = (long) offset.invokeExact((Class<?>) Throwable.class, "depth");
            Throwable probe = Probe.at(CHUNK + 8);
            Object[] chunk = (Object[]) (Object) get.invokeExact((Object) probe, backtrace);
            next = chunk.length - 2;
            ok = matches(probe, chunk, next, (int) getInt.invokeExact((Object) probe, depth));
        } catch (Throwable e) {
            ok = false; // not HotSpot, a layout we do not know, or jdk.internal.misc not exported to us
        }
        GET_REFERENCE = get;
        PUT_REFERENCE = put;
        GET_INT = getInt;
        BACKTRACE_OFFSET = backtrace;
        DEPTH_OFFSET = depth;
        NEXT = next;
        AVAILABLE = ok;
    }

    private Backtrace() {}

    /**
     * Keys the first {@code limit} frames (leaf first) of the stack {@code t} holds into {@code key}, two longs a frame;
     * returns how many frames it keyed, or -1 if it could not read them. {@code t} must have been filled by
     * {@code fillInStackTrace}.
     */
    static int key(Throwable t, long[] key, int limit) {
        try {
            return keyOrThrow(t, key, limit);
        } catch (Throwable e) {
            return -1;
        }
    }

    private static int keyOrThrow(Throwable t, long[] key, int limit) throws Throwable {
        int n = Math.min((int) GET_INT.invokeExact((Object) t, DEPTH_OFFSET), limit);
        Object[] chunk = (Object[]) (Object) GET_REFERENCE.invokeExact((Object) t, BACKTRACE_OFFSET);
        int i = 0;
        while (i < n && chunk != null) {
            short[] methods = (short[]) chunk[METHODS];
            int[] bcis = (int[]) chunk[BCIS];
            Object[] classes = (Object[]) chunk[CLASSES];
            for (int j = 0; j < CHUNK && i < n; j++, i++) {
                key[2 * i] = ((long) ClassIds.of((Class<?>) classes[j]) << 32) | (bcis[j] & 0xffffffffL);
                key[2 * i + 1] = methods[j];
            }
            chunk = (Object[]) chunk[NEXT];
        }
        return i;
    }

    /** Returns the class of frame {@code i} (leaf first) of the stack {@code t} holds, or null if it cannot tell. */
    static Class<?> classAt(Throwable t, int i) {
        try {
            Object[] chunk = (Object[]) (Object) GET_REFERENCE.invokeExact((Object) t, BACKTRACE_OFFSET);
            for (int c = i / CHUNK; c > 0; c--) chunk = (Object[]) chunk[NEXT];
            return (Class<?>) ((Object[]) chunk[CLASSES])[i % CHUNK];
        } catch (Throwable e) {
            return null;
        }
    }

    /** Drops the stack {@code t} holds, so that a parked thread's scratch throwable pins no class. */
    static void clear(Throwable t) {
        try {
            PUT_REFERENCE.invokeExact((Object) t, BACKTRACE_OFFSET, (Object) null);
        } catch (Throwable ignored) {
            // only the memory of one stack is kept
        }
    }

    /** Checks the layout on a stack whose every frame {@code getStackTrace()} also gives. */
    private static boolean matches(Throwable probe, Object[] chunk, int next, int depth) {
        StackTraceElement[] elements = probe.getStackTrace();
        if (depth != elements.length || depth <= CHUNK) return false;
        int i = 0;
        for (Object[] c = chunk; c != null && i < depth; c = (Object[]) c[next]) {
            if (c.length != chunk.length || ((short[]) c[METHODS]).length != CHUNK
                    || ((int[]) c[BCIS]).length != CHUNK) {
                return false;
            }
            Object[] classes = (Object[]) c[CLASSES];
            for (int j = 0; j < CHUNK && i < depth; j++, i++) {
                if (!(classes[j] instanceof Class<?> k) || !k.getName().equals(elements[i].getClassName())) {
                    return false;
                }
            }
        }
        return i == depth;
    }

    /** A throwable filled a known number of frames deep, for the layout check. */
    private static final class Probe {
        static Throwable at(int depth) {
            return depth == 0 ? new Throwable() : at(depth - 1);
        }
    }
}
