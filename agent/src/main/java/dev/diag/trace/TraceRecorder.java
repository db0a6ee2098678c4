package dev.diag.trace;

import dev.diag.base.Log;
import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;
import dev.diag.hook.TraceEventLog;
import dev.diag.hook.TraceHook;
import dev.diag.stack.Frame;
import dev.diag.stack.StackCapture;
import dev.diag.stack.StackTable;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records one execution trace: from {@link #start} until {@link #stop}, the hooks append annotations to a fresh
 * {@link TraceEventLog}, the drainer copies the parks and wake-ups of the event ring into it ({@link RingFeed}), CPU
 * samples come from the native sampler where it runs ({@link NativeCpuSamples}), and JFR events are taken from the
 * shared stream ({@link JfrTraceEvents}, CPU samples too under {@code engine=jfr}); {@link #stop} merges them into a
 * {@link Timeline}.
 *
 * <p>At most one recording runs per JVM, as in Go ({@code runtime/trace.Start} fails while tracing). Memory is
 * bounded by {@code trace.max}: half for the log, half for JFR's events; when either is full the trace ends at that
 * moment with a note, every open state closed. Without JFR (a jlinked runtime) the trace holds the hook events; without
 * the drainer (the block profile's feature failed to start) it has no parks.
 */
public final class TraceRecorder {
    private static final AtomicBoolean RUNNING = new AtomicBoolean();

    private final long maxBytes;
    private final TraceSources sources;
    private final TraceEventLog log;
    private final long start;
    private final Map<Thread, StackTraceElement[]> atStart;
    private final Map<Thread, Thread.State> statesAtStart = new java.util.HashMap<>();
    private final JfrTraceEvents jfr;
    /** The labels of each labelled thread as the recording started; later changes are in {@link #log}. */
    private final Map<Long, LabelSet> labelsAtStart = new java.util.HashMap<>();
    private final NativeCpuSamples nativeSamples;

    private TraceRecorder(long maxBytes, TraceSources sources, boolean withJfr) {
        this.maxBytes = maxBytes;
        this.sources = sources;
        this.log = new TraceEventLog(Math.max(64, maxBytes / 2 / TraceEventLog.BYTES_PER_EVENT));
        this.atStart = Thread.getAllStackTraces();
        for (Thread t : atStart.keySet()) statesAtStart.put(t, t.getState());
        this.start = System.nanoTime();
        sources.feed().target(log);
        TraceHook.setLog(log);
        // Read after the log records: a change racing this read is in the log too, and the log's later entry wins.
        for (long threadId : LabelHook.labelledThreads()) {
            LabelSet labels = LabelHook.of(threadId);
            if (labels.size() > 0) labelsAtStart.put(threadId, labels);
        }
        this.nativeSamples = withJfr ? sources.startNativeSamples(log.capacity()) : null;
        this.jfr = withJfr ? sources.startJfr(log.capacity(), nativeSamples == null) : null;
    }

    /**
     * Starts a recording bounded by {@code maxBytes}; without JFR (an empty window, where subscribing would cost more
     * than the window) it holds the hook events only. Returns null when one is already running.
     */
    public static TraceRecorder start(long maxBytes, TraceSources sources, boolean withJfr) {
        if (!RUNNING.compareAndSet(false, true)) return null;
        try {
            return new TraceRecorder(maxBytes, sources, withJfr);
        } catch (Throwable e) {
            TraceHook.setLog(null);
            sources.feed().target(null);
            RUNNING.set(false);
            throw e;
        }
    }

    /** Returns whether a recording is running now. */
    public static boolean isRunning() {
        return RUNNING.get();
    }

    /**
     * Stops the recording and returns what it saw. Call once. {@code jfrCaughtUp}: the JFR stream already delivered
     * everything up to now (the agent waited for it at exit), so the stop need not wait for another flush.
     */
    public Timeline stop(boolean jfrCaughtUp) {
        long end = System.nanoTime();
        TraceHook.setLog(null);
        try {
            sources.drainRing(); // the parks and wake-ups of the last milliseconds
            sources.feed().target(null);
            if (nativeSamples != null) nativeSamples.stop(jfrCaughtUp); // caught up: the agent's exit
            if (jfr != null) jfr.stop(jfrCaughtUp);
            long full = log.fullAt();
            if (full != 0 && full < end) end = full;
            TimelineBuilder b = new TimelineBuilder(start, end);
            b.processName(processName());
            if (nativeSamples != null) nativeSamples.truncate(b); // before any event: it may end the trace earlier
            if (jfr != null) {
                try {
                    jfr.replayInto(b); // first: it may end the trace earlier
                } catch (Throwable e) {
                    Log.error("trace: cannot read JFR events: " + e);
                }
            }
            if (nativeSamples != null) nativeSamples.replayInto(b);
            nameThreads(b, atStart);
            snapshotStates(b);
            b.labelsAtStart(labelsAtStart);
            b.addLog(log, StackTable.SHARED);
            if (full != 0 || b.end() < end) {
                b.note("trace stopped at trace.max (" + maxBytes + " bytes): " + b.dropped() + " events not recorded");
            }
            nameThreads(b, Thread.getAllStackTraces());
            return b.build();
        } finally {
            sources.feed().target(null);
            RUNNING.set(false);
        }
    }

    private static void nameThreads(TimelineBuilder b, Map<Thread, StackTraceElement[]> threads) {
        for (Thread t : threads.keySet()) {
            if (b.hasThread(t.getId())) b.thread(t.getId(), t.getName(), false);
        }
    }

    /**
     * Threads alive at the start enter the trace, waiting if they were waiting then. A runnable thread in native code
     * (or with no Java frames: a VM thread such as the Signal Dispatcher) waits there too, until it is seen running:
     * idle service threads would otherwise be drawn as running for the whole trace.
     */
    private void snapshotStates(TimelineBuilder b) {
        atStart.forEach((t, stack) -> {
            b.thread(t.getId(), t.getName(), false);
            Thread.State s = statesAtStart.get(t);
            if (s == Thread.State.RUNNABLE && (stack.length == 0 || stack[0].isNativeMethod())) {
                b.waitingAtStart(t.getId(), Timeline.BlockKind.NATIVE, StackCapture.fromStackTrace(stack));
            } else if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED) {
                Frame[] frames = StackCapture.fromStackTrace(stack);
                b.waitingAtStart(t.getId(), BlockKinds.ofThreadDump(s, frames), BlockKinds.trimLockFrames(frames));
            }
        });
    }

    private static String processName() {
        String cmd = System.getProperty("sun.java.command", "");
        String first = cmd.isBlank() ? "java" : cmd.split(" ")[0];
        return first.isEmpty() ? "java" : first;
    }
}
