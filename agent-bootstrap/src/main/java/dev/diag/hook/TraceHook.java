package dev.diag.hook;

import dev.diag.ring.EventRing;
import dev.diag.ring.RecordType;

import dev.diag.stack.StackCapture;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Entry points of the execution tracer: the public {@code dev.diag.api.Trace} API, {@code @Traced} advice, executor
 * advice and {@code LockSupport.unpark} advice call these. Each returns at once, after one volatile read, while no
 * trace records.
 *
 * <p>While a trace records, an event costs one thread-local lookup and one {@link TraceEventLog#append}: no lock, no
 * allocation (a log chunk every few thousand events aside), no I/O. Every entry point is recursion-guarded where it
 * can run inside JDK code, and none throws.
 */
public final class TraceHook {
    private static volatile TraceEventLog log;
    private static final AtomicLong TASK_IDS = new AtomicLong();
    /** Region name → {@link dev.diag.stack.StackTable} id of the stack that first opened a region of that name (see {@link #regionSite}). */
    private static final ConcurrentHashMap<String, Integer> REGION_SITES = new ConcurrentHashMap<>();
    /** Names whose site is kept at most; regions of further names carry no stack. */
    static final int MAX_REGION_SITES = 4096;
    private static final ThreadLocal<ThreadTraceState> STATE = new ThreadLocal<ThreadTraceState>() {
        @Override
        protected ThreadTraceState initialValue() {
            return new ThreadTraceState();
        }
    };

    private TraceHook() {}

    /** What the tracer keeps per thread: the current task and whether the thread is named in the current log. */
    static final class ThreadTraceState {
        long currentTask;
        long namedInGeneration;
    }

    /** Starts recording into {@code target}, or stops recording when null; parks are recorded meanwhile. Agent only. */
    public static void setLog(TraceEventLog target) {
        log = target;
        ParkHook.setTraced(target != null);
    }

    /** Returns the log being recorded into, or null. */
    public static TraceEventLog log() {
        return log;
    }

    /** Returns whether a trace is recording. */
    public static boolean isEnabled() {
        return log != null;
    }

    /**
     * Records a new task as a child of the current one and makes it current on this thread; returns its id, or 0
     * when no trace records. {@code previous} receives the task that was current, to restore at its end.
     */
    public static long taskCreate(String name, long[] previous) {
        TraceEventLog l = log;
        if (l == null) return 0;
        ThreadTraceState s = state(l);
        long id = TASK_IDS.incrementAndGet();
        previous[0] = s.currentTask;
        l.append(TraceEventLog.TYPE_TASK_CREATE, Thread.currentThread().getId(), id, s.currentTask, name, null);
        s.currentTask = id;
        return id;
    }

    /** Records the end of task {@code id}; on the thread where it is current, {@code previous} becomes current again. */
    public static void taskEnd(long id, long previous) {
        TraceEventLog l = log;
        if (l == null || id == 0) return;
        ThreadTraceState s = state(l);
        l.append(TraceEventLog.TYPE_TASK_END, Thread.currentThread().getId(), id, 0, null, null);
        if (s.currentTask == id) s.currentTask = previous;
    }

    /** Opens a region on this thread in its current task; returns false when no trace records. */
    public static boolean regionBegin(String name) {
        TraceEventLog l = log;
        if (l == null) return false;
        ThreadTraceState s = state(l);
        // Stamped after the site lookup: a name's first opening walks the stack cold (0.1 to a few ms), which is diag's
        // time, not the region's; an @Traced method's region would otherwise be longer than its body.
        int site = regionSite(name);
        return l.append(TraceEventLog.TYPE_REGION_BEGIN, Thread.currentThread().getId(), s.currentTask, site, name, null);
    }

    /**
     * Returns the StackTable id of the stack where a region called {@code name} was first opened in this JVM (0: none),
     * capturing it now if this is the first. Go gives every region the stack of its start; a stack walk per region
     * would cost microseconds, a name lookup costs nanoseconds, and a region name is nearly always opened at one place
     * (an {@code @Traced} method, a literal in one method): so the first opening stands for all of them.
     */
    private static int regionSite(String name) {
        if (name == null) return 0;
        Integer site = REGION_SITES.get(name);
        if (site != null) return site;
        if (REGION_SITES.size() >= MAX_REGION_SITES) return 0;
        if (!CallDepth.enter()) {
            CallDepth.exit();
            return 0;
        }
        try {
            int id = StackCapture.REGION_START.captureId();
            Integer raced = REGION_SITES.putIfAbsent(name, id);
            return raced == null ? id : raced;
        } catch (Throwable e) {
            return 0;
        } finally {
            CallDepth.exit();
        }
    }

    /**
     * Woven at the start of an {@code @Traced} or {@code @WithSpan} method: opens the region {@code name}; returns
     * whether it did, for {@link #tracedExit}. Never throws.
     */
    public static boolean tracedEnter(String name) {
        try {
            return regionBegin(name);
        } catch (Throwable e) {
            return false; // woven into application code: nothing reaches the application (see dev.diag.instrument.HookWeaver)
        }
    }

    /**
     * Woven before every return of an {@code @Traced} method and into its catch-all handler: closes the region
     * {@link #tracedEnter} opened, if it did. Never throws.
     */
    public static void tracedExit(boolean began) {
        try {
            if (began) regionEnd();
        } catch (Throwable e) {
            // woven into application code: nothing reaches the application (see dev.diag.instrument.HookWeaver)
        }
    }

    /** Closes the innermost open region of this thread. */
    public static void regionEnd() {
        TraceEventLog l = log;
        if (l == null) return;
        ThreadTraceState s = state(l);
        l.append(TraceEventLog.TYPE_REGION_END, Thread.currentThread().getId(), s.currentTask, 0, null, null);
    }

    /** Records a log message in this thread's current task. */
    public static void log(String category, String message) {
        TraceEventLog l = log;
        if (l == null) return;
        ThreadTraceState s = state(l);
        l.append(TraceEventLog.TYPE_LOG, Thread.currentThread().getId(), s.currentTask, 0, category, message);
    }

    /**
     * Records that the calling thread's profile labels became {@code labels} (Labels scopes, labels taken over from a
     * submitter or a starting thread, OpenTelemetry spans made current), in its current task. Called by
     * {@link LabelHook#set} on every change: while no trace records it costs the read of {@link #log}, the same one
     * read that every annotation pays. The event keeps the label set alive until the trace is written, so it takes a
     * slot per label besides its own (a slot is {@value TraceEventLog#BYTES_PER_EVENT} bytes of {@code trace.max}; a
     * set of a few labels is 50-200 bytes), which keeps a trace of label changes within its bound.
     */
    static void labelsChanged(LabelSet labels) {
        TraceEventLog l = log;
        if (l == null) return;
        ThreadTraceState s = state(l);
        l.append(TraceEventLog.TYPE_LABELS, Thread.currentThread().getId(), s.currentTask, 0, labels, null,
                1 + labels.size());
    }

    /** Called from {@code LockSupport.unpark(target)}: the current thread wakes {@code target}. Never throws. */
    public static void unpark(Thread target) {
        try {
            TraceEventLog l = log;
            if (l == null || target == null) return;
            if (!CallDepth.enter()) {
                CallDepth.exit();
                return;
            }
            try {
                state(l);
                EventRing.SHARED.offer(RecordType.UNPARK, 0, Thread.currentThread().getId(), System.nanoTime(), 0, 0,
                        target.getId(), 0);
            } catch (Throwable ignored) {
                // A hook never throws into LockSupport.
            } finally {
                CallDepth.exit();
            }
        } catch (Throwable e) {
            // woven into a JDK method: nothing reaches the application (see dev.diag.instrument.HookWeaver)
        }
    }

    /**
     * Returns {@code task} wrapped so that it runs with what the submitting thread has now, as a Go context carries
     * it: its profile labels and, while a trace records, its current trace task. Returns {@code task} itself when the
     * thread has neither, or when it is wrapped already. Called from executor advice.
     */
    public static Runnable wrap(Runnable task) {
        try {
            if (task == null || task instanceof TaskRunnable) return task;
            LabelSet labels = LabelHook.current();
            if (labels.size() == 0 && log == null) return task; // nothing to carry: a thread-local and a static read
            if (!CallDepth.enter()) {
                CallDepth.exit();
                return task;
            }
            try {
                long current = currentTask();
                return current == 0 && labels.size() == 0 ? task : new TaskRunnable(task, current, labels);
            } catch (Throwable e) {
                return task;
            } finally {
                CallDepth.exit();
            }
        } catch (Throwable e) {
            // woven into a JDK method: nothing reaches the application (see dev.diag.instrument.HookWeaver)
            return task;
        }
    }

    /**
     * Returns {@code task} wrapped so that it runs with the submitting thread's labels and trace task, as
     * {@link #wrap(Runnable)} does for a {@link Runnable}. Called from executor {@code submit}/{@code schedule} advice.
     */
    public static <T> Callable<T> wrapCallable(Callable<T> task) {
        try {
            if (task == null || task instanceof TaskCallable) return task;
            LabelSet labels = LabelHook.current();
            if (labels.size() == 0 && log == null) return task; // nothing to carry: a thread-local and a static read
            if (!CallDepth.enter()) {
                CallDepth.exit();
                return task;
            }
            try {
                long current = currentTask();
                return current == 0 && labels.size() == 0 ? task : new TaskCallable<>(task, current, labels);
            } catch (Throwable e) {
                return task;
            } finally {
                CallDepth.exit();
            }
        } catch (Throwable e) {
            // woven into a JDK method: nothing reaches the application (see dev.diag.instrument.HookWeaver)
            return task;
        }
    }

    /**
     * Like {@link #wrap(Runnable)} for a task handed to {@code submit} or {@code schedule}, which return a future
     * for it: a {@link ForkJoinTask} is left as it is, because {@code ForkJoinPool.submit} returns that very task.
     */
    public static Runnable wrapSubmitted(Runnable task) {
        try {
            return task instanceof ForkJoinTask ? task : wrap(task);
        } catch (Throwable e) {
            // woven into a JDK method: nothing reaches the application (see dev.diag.instrument.HookWeaver)
            return task;
        }
    }

    /**
     * Names the current thread in the log being recorded, if it is not named there yet: called by the park hook, so
     * that threads that only wait (virtual threads among them) have names in the trace.
     */
    static void nameThread() {
        TraceEventLog l = log;
        if (l != null) state(l);
    }

    /** The calling thread's current trace task, or 0 when it has none or no trace records. */
    private static long currentTask() {
        return log == null ? 0 : STATE.get().currentTask;
    }

    /** Makes {@code task} current on this thread; returns the task that was current. Used by {@link TaskRunnable}. */
    static long enterTask(long task) {
        ThreadTraceState s = STATE.get();
        long previous = s.currentTask;
        s.currentTask = task;
        return previous;
    }

    static void exitTask(long previous) {
        STATE.get().currentTask = previous;
    }

    /** Returns this thread's state, naming the thread in {@code l} the first time it appears there. */
    private static ThreadTraceState state(TraceEventLog l) {
        ThreadTraceState s = STATE.get();
        if (s.namedInGeneration != l.generation()) {
            s.namedInGeneration = l.generation();
            Thread t = Thread.currentThread();
            l.append(TraceEventLog.TYPE_THREAD, t.getId(), 0, 0, t, null);
        }
        return s;
    }
}
