package dev.diag.stack;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Captures the calling thread's Java stack as a {@link StackTable#SHARED} id, leaf first, bounded in depth: the one
 * stack path of every hook ({@link #WAIT_SITE} for block and mutex events, {@link #THREAD_START} for threadcreate).
 *
 * <p>A capture reads only what identifies each frame ({@link FrameWalk}): on HotSpot, the backtrace one
 * {@code fillInStackTrace} writes (class, method id, bytecode index: {@link Backtrace}); elsewhere a {@code StackWalker}
 * walk's classes and bytecode indexes. It looks that sequence up in a {@link StackCache}; only a stack seen for the
 * first time pays for method names, lines, trimming and interning. Callers still decide whether to record before they
 * capture: the key of a 32-frame stack costs about 1.5 microseconds.
 *
 * <p>What a stack shows: no diag frames on top (the hook that is capturing), no hidden, reflection or method-handle
 * frames (as {@code Throwable.getStackTrace} shows), at most {@code maxDepth} frames, the innermost ones when the stack
 * is deeper (a truncated stack, as Go truncates, still a valid pprof stack); {@link #WAIT_SITE} also trims the
 * synchronization plumbing ({@link WaitSiteTrim}).
 */
public final class StackCapture {
    /** Deepest stack kept for thread starts and goroutine dumps. */
    public static final int MAX_DEPTH = 128;
    /** Deepest block or mutex stack kept, as Go's 32-frame block and mutex stacks. */
    public static final int WAIT_SITE_DEPTH = 32;

    /** Block and mutex events: plumbing trimmed, 32 frames. */
    public static final StackCapture WAIT_SITE = new StackCapture(WAIT_SITE_DEPTH, WAIT_SITE_DEPTH + 32, true);
    /** Thread starts: untrimmed, 128 frames. */
    public static final StackCapture THREAD_START = new StackCapture(MAX_DEPTH, MAX_DEPTH + 16, false);
    /** Where a value was added to a custom profile ({@code dev.diag.api.CustomProfile}): untrimmed, 128 frames. */
    public static final StackCapture CALLER = new StackCapture(MAX_DEPTH, MAX_DEPTH + 16, false);
    /** Where a trace region (of a name) was first opened: untrimmed, 32 frames. */
    public static final StackCapture REGION_START = new StackCapture(WAIT_SITE_DEPTH, WAIT_SITE_DEPTH + 16, false);

    // Hidden frames shown to the walk so that a lambda's or method handle's target is keyed by the proxy class that
    // dispatches to it (see StackCache); they are dropped again when the frames are built.
    private static final StackWalker WALKER = StackWalker.getInstance(
            EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES), 16);
    /** The frames a profile shows: what {@code Throwable.getStackTrace} and thread dumps show. */
    private static final StackWalker VISIBLE = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final int maxDepth;
    private final int walkLimit;
    private final boolean trimWaitSite;
    private final StackCache cache;
    private final ThreadLocal<FrameWalk> scratch;
    private final boolean fromBacktrace;

    StackCapture(int maxDepth, int walkLimit, boolean trimWaitSite) {
        this(maxDepth, walkLimit, trimWaitSite, StackCache.CAPACITY);
    }

    StackCapture(int maxDepth, int walkLimit, boolean trimWaitSite, int cacheCapacity) {
        this(maxDepth, walkLimit, trimWaitSite, cacheCapacity, Backtrace.AVAILABLE);
    }

    StackCapture(int maxDepth, int walkLimit, boolean trimWaitSite, int cacheCapacity, boolean fromBacktrace) {
        this.fromBacktrace = fromBacktrace && Backtrace.AVAILABLE;
        this.cache = new StackCache(cacheCapacity);
        this.maxDepth = maxDepth;
        this.walkLimit = walkLimit;
        this.trimWaitSite = trimWaitSite;
        this.scratch = new ThreadLocal<>();
    }

    /**
     * Captures the current thread's stack and returns its {@link StackTable#SHARED} id ({@link StackTable#OVERFLOW_ID}
     * once the table is full). Allocates nothing of its own on a cache hit (the JDK's stack walk does).
     */
    public int captureId() {
        FrameWalk w = scratch.get();
        if (w == null || w.busy) { // first capture on this thread, or a capture inside a capture
            w = new FrameWalk(walkLimit);
            if (scratch.get() == null) scratch.set(w);
        }
        w.busy = true;
        try {
            walk(w);
            int id = cache.lookup(w);
            if (id == 0) {
                id = StackTable.SHARED.intern(frames(w));
                cache.insert(w, id);
            }
            return id;
        } finally {
            w.clear();
            w.busy = false;
        }
    }

    /** Returns the current thread's stack as frames, leaf first, as {@link #captureId()} would intern it. */
    public Frame[] capture() {
        FrameWalk w = new FrameWalk(walkLimit);
        walk(w);
        Frame[] frames = frames(w);
        w.clear();
        return frames;
    }

    /** Keys the current thread's stack into {@code w}: from a backtrace where HotSpot allows it, else a walk. */
    private void walk(FrameWalk w) {
        if (fromBacktrace && w.fillFromBacktrace()) return;
        WALKER.walk(w);
    }

    /** Returns whether stacks are keyed from backtraces (HotSpot, the agent's export in place), not a StackWalker. */
    public boolean readsBacktraces() {
        return fromBacktrace;
    }

    /** Returns how many distinct stacks found the cache full and pay the slow path on every capture. */
    public long cacheFull() {
        return cache.full();
    }

    /** Returns how many distinct stacks are cached. */
    public long cacheSize() {
        return cache.size();
    }

    /** Builds the frames a walk shows: the slow path, run once per distinct stack. */
    private Frame[] frames(FrameWalk w) {
        StackWalker.StackFrame[] visible = new StackWalker.StackFrame[w.n];
        int n = VISIBLE.walk(new VisibleFrames(w, visible));
        int top = trimWaitSite ? WaitSiteTrim.top(visible, 0, n) : 0;
        int len = Math.min(n - top, maxDepth);
        Frame[] out = new Frame[len];
        for (int k = 0; k < len; k++) {
            StackWalker.StackFrame f = visible[top + k];
            out[k] = new Frame(f.getClassName(), f.getMethodName(), f.getDescriptor(), f.getFileName(),
                    f.getLineNumber());
        }
        return out;
    }

    /**
     * Picks, from the keyed walk, the frames the default walker shows (no hidden classes, no {@code @Hidden} JDK
     * methods such as {@code Thread.runWith}, no reflection or method-handle frames), below diag's own frames: walks
     * again with the default walker and keeps each frame it finds at its place in the keyed walk, so that what is
     * shown never reaches past the frames the key covers. A keyed walk that showed hidden frames is matched frame by
     * frame; a backtrace (which has hidden frames left out, reflection frames in) by class, method name and line.
     * Returns how many it kept.
     */
    private static final class VisibleFrames implements Function<Stream<StackWalker.StackFrame>, Integer> {
        private final FrameWalk keyed;
        private final StackWalker.StackFrame[] out;

        VisibleFrames(FrameWalk keyed, StackWalker.StackFrame[] out) {
            this.keyed = keyed;
            this.out = out;
        }

        @Override
        public Integer apply(Stream<StackWalker.StackFrame> stream) {
            return keyed.exact ? alignWithBacktrace(stream) : alignWithWalk(stream);
        }

        private int alignWithBacktrace(Stream<StackWalker.StackFrame> stream) {
            StackTraceElement[] elements = keyed.probe.getStackTrace();
            int keyedFrames = Math.min(keyed.n, elements.length);
            int i = 0;
            while (i < keyedFrames && isDiagClass(elements[i].getClassName())) i++;
            int n = 0;
            Iterator<StackWalker.StackFrame> it = stream.iterator();
            while (i < keyedFrames && it.hasNext()) {
                StackWalker.StackFrame f = it.next();
                if (isDiagClass(f.getClassName())) continue;
                while (i < keyedFrames && !sameFrame(elements[i], Backtrace.classAt(keyed.probe, i), f)) i++;
                if (i == keyedFrames) break;
                out[n++] = f;
                i++;
            }
            return n;
        }

        private static boolean sameFrame(StackTraceElement e, Class<?> declaring, StackWalker.StackFrame f) {
            return declaring == f.getDeclaringClass() && e.getLineNumber() == f.getLineNumber()
                    && e.getMethodName().equals(f.getMethodName());
        }

        private int alignWithWalk(Stream<StackWalker.StackFrame> stream) {
            int i = 0;
            while (i < keyed.n && isDiagClass(keyed.frames[i].getClassName())) i++;
            int n = 0;
            Iterator<StackWalker.StackFrame> it = stream.iterator();
            while (i < keyed.n && it.hasNext()) {
                StackWalker.StackFrame f = it.next();
                if (isDiagClass(f.getClassName())) continue; // this walk starts a few diag frames deeper
                while (i < keyed.n && !sameFrame(keyed.frames[i], f)) i++;
                if (i == keyed.n) break;
                out[n++] = keyed.frames[i++];
            }
            return n;
        }

        private static boolean sameFrame(StackWalker.StackFrame a, StackWalker.StackFrame b) {
            return a.getDeclaringClass() == b.getDeclaringClass() && a.getByteCodeIndex() == b.getByteCodeIndex()
                    && a.getMethodName().equals(b.getMethodName());
        }
    }

    /** Converts a {@link StackTraceElement} array (thread dumps) to frames; such frames carry no descriptor. */
    public static Frame[] fromStackTrace(StackTraceElement[] elements) {
        Frame[] out = new Frame[elements.length];
        for (int i = 0; i < elements.length; i++) {
            StackTraceElement e = elements[i];
            out[i] = new Frame(e.getClassName(), e.getMethodName(), null, e.getFileName(), e.getLineNumber());
        }
        return out;
    }

    /** Returns whether a class is part of diag's runtime (never shown at the top of a profile). */
    public static boolean isDiagClass(String className) {
        return className.startsWith("dev.diag.hook.") || className.startsWith("dev.diag.stack.")
                || className.startsWith("dev.diag.ring.") || className.startsWith("dev.diag.api.");
    }

    /** Returns whether a diag class runs application code inside it (the executor task wrappers). */
    public static boolean isTaskWrapper(String className) {
        return className.equals("dev.diag.hook.TaskRunnable") || className.equals("dev.diag.hook.TaskCallable");
    }
}
