package dev.diag.trace;

import dev.diag.pprof.EpochNanos;
import dev.diag.jfr.EventRequest;
import dev.diag.jfr.JfrSession;
import dev.diag.jfr.JfrStacks;
import dev.diag.stack.Frame;
import dev.diag.trace.Timeline.BlockKind;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The JFR half of a trace: what the hooks cannot see ({@code synchronized} entry with its previous owner,
 * {@code Object.wait} with its notifier, {@code Thread.sleep}), thread starts and ends, GC cycles, pauses and
 * concurrent phases, heap sizes and CPU samples, taken from diag's one {@link JfrSession} stream for as long as the trace records. Parks are
 * not here: the park hook records them into the event ring ({@link RingFeed}), far cheaper than JFR's
 * {@code jdk.ThreadPark} with a stack per park.
 *
 * <p>The subscriptions end with the trace ({@link JfrSession#open}), so the events (monitor enter at a 0 ms threshold,
 * virtual-thread starts) cost nothing once it stops. JFR delivers events about once a second: {@link #stop} waits for
 * the stream to catch up with the trace's end unless the caller knows it did (at JVM exit the agent waits once for
 * every feature). JFR timestamps are mapped to {@code System.nanoTime()} by clock events committed as the trace starts
 * and stops (both clocks are the OS monotonic clock; only their origins differ).
 *
 * <p>Events are converted on the stream thread as they arrive, kept compactly, and counted against the trace's
 * budget: past it the earliest refused event's time ends the trace (see {@link TimelineBuilder#truncate}).
 */
final class JfrTraceEvents {
    private static final String[] WAITS = {"jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.ThreadSleep"};
    private static final String[] LIFECYCLE = {"jdk.ThreadStart", "jdk.ThreadEnd", "jdk.VirtualThreadStart",
            "jdk.VirtualThreadEnd", "jdk.GarbageCollection", "jdk.GCPhasePause", "jdk.GCHeapSummary",
            "jdk.GCPhaseConcurrent", "jdk.GCPhaseConcurrentLevel1"};
    /** Event types some JVMs lack: subscribed only where this JVM's JFR knows them. */
    private static final java.util.Set<String> OPTIONAL = java.util.Set.of("jdk.VirtualThreadStart",
            "jdk.VirtualThreadEnd", "jdk.GCPhaseConcurrent", "jdk.GCPhaseConcurrentLevel1");
    private static final String SAMPLE = "jdk.ExecutionSample";
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(5);
    private static final int CLOCK_MARKS = 5;

    private enum Kind { BLOCK, THREAD_START, THREAD_END, GC, PAUSE, CONCURRENT_PHASE, HEAP, SAMPLE, CLOCK }

    /**
     * One converted event; times are JFR's (epoch ns) until {@link #replayInto} maps them. {@code other}: the waker of a
     * block, the heap bytes, a clock mark's {@code nanoTime}, or a concurrent GC phase's level.
     */
    private record Item(Kind kind, long begin, long end, long tid, String name, boolean virtual, BlockKind block,
                        Frame[] stack, long other) {}

    /** Marks a moment in both clocks. */
    @Name("dev.diag.TraceClock")
    @Label("diag trace clock")
    @StackTrace(false)
    static final class ClockEvent extends Event {
        @Label("nanoTime")
        long nanoTime;
    }

    private final JfrSession jfr;
    private final long budget;
    private final List<JfrSession.Subscription> subscriptions = new ArrayList<>();
    private final List<Item> items = new ArrayList<>();
    private long refusedAt = Long.MAX_VALUE;
    private long refused;

    private JfrTraceEvents(JfrSession jfr, long budget) {
        this.jfr = jfr;
        this.budget = budget;
    }

    /**
     * Subscribes to the trace's events, CPU samples only {@code withSamples} (not where the native sampler gives
     * them); returns null when JFR cannot run.
     */
    static JfrTraceEvents start(JfrSession jfr, long budget, boolean withSamples) {
        JfrTraceEvents e = new JfrTraceEvents(jfr, budget);
        FlightRecorder.register(ClockEvent.class);
        if (!e.open(EventRequest.of("dev.diag.TraceClock"), e::onClock)) return null;
        for (String name : WAITS) e.open(EventRequest.of(name).threshold(Duration.ZERO).withStackTrace(), e::onWait);
        for (String name : LIFECYCLE) {
            if (!OPTIONAL.contains(name) || jfr.hasEventType(name)) {
                e.open(EventRequest.of(name).threshold(Duration.ZERO), e::onLifecycle);
            }
        }
        if (withSamples) e.open(EventRequest.of(SAMPLE).period(Duration.ofMillis(10)).withStackTrace(), e::onSample);
        e.markClock();
        return e;
    }

    private boolean open(EventRequest request, Consumer<RecordedEvent> consumer) {
        JfrSession.Subscription s = jfr.open(request, consumer);
        if (s != null) subscriptions.add(s);
        return s != null;
    }

    private static void markClock() {
        for (int i = 0; i < CLOCK_MARKS; i++) {
            ClockEvent e = new ClockEvent();
            e.begin();
            e.nanoTime = System.nanoTime();
            e.commit();
        }
    }

    /**
     * Ends the subscriptions; unless {@code caughtUp}, first waits (about a second) until JFR delivered every event
     * committed before this call.
     */
    void stop(boolean caughtUp) {
        try {
            if (!caughtUp) {
                markClock();
                jfr.awaitCatchUp(CATCH_UP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (JfrSession.Subscription s : subscriptions) {
                try {
                    s.close();
                } catch (RuntimeException closedAtExit) {
                    // JFR's own shutdown hook may have closed the stream already.
                }
            }
        }
    }

    private void onClock(RecordedEvent e) {
        add(new Item(Kind.CLOCK, EpochNanos.of(e.getStartTime()), 0, 0, null, false, null, null, e.getLong("nanoTime")));
    }

    private void onWait(RecordedEvent e) {
        RecordedThread t = e.getThread();
        if (t == null || t.getJavaThreadId() <= 0 || isDiag(t)) return;
        BlockKind kind;
        long waker = 0;
        switch (e.getEventType().getName()) {
            case "jdk.JavaMonitorEnter" -> {
                kind = BlockKind.SYNC;
                waker = tid(e.getThread("previousOwner"));
            }
            case "jdk.JavaMonitorWait" -> {
                kind = BlockKind.COND;
                waker = tid(e.getThread("notifier"));
            }
            default -> kind = BlockKind.SLEEP;
        }
        add(new Item(Kind.BLOCK, EpochNanos.of(e.getStartTime()), EpochNanos.of(e.getEndTime()), t.getJavaThreadId(), t.getJavaName(),
                false, kind, waitStack(JfrStacks.frames(e.getStackTrace())), waker));
    }

    private void onLifecycle(RecordedEvent e) {
        long begin = EpochNanos.of(e.getStartTime());
        switch (e.getEventType().getName()) {
            case "jdk.ThreadStart" -> thread(Kind.THREAD_START, e.getThread("thread"), begin, false);
            case "jdk.ThreadEnd" -> thread(Kind.THREAD_END, e.getThread("thread"), begin, false);
            case "jdk.VirtualThreadStart" -> thread(Kind.THREAD_START, e.getThread(), begin, true);
            case "jdk.VirtualThreadEnd" -> thread(Kind.THREAD_END, e.getThread(), begin, true);
            case "jdk.GarbageCollection" ->
                    add(new Item(Kind.GC, begin, EpochNanos.of(e.getEndTime()), 0, e.getString("name"), false, null, null, 0));
            case "jdk.GCPhasePause" ->
                    add(new Item(Kind.PAUSE, begin, EpochNanos.of(e.getEndTime()), 0, e.getString("name"), false, null, null, 0));
            case "jdk.GCPhaseConcurrent" -> add(new Item(Kind.CONCURRENT_PHASE, begin, EpochNanos.of(e.getEndTime()), 0,
                    e.getString("name"), false, null, null, 0));
            case "jdk.GCPhaseConcurrentLevel1" -> add(new Item(Kind.CONCURRENT_PHASE, begin, EpochNanos.of(e.getEndTime()), 0,
                    e.getString("name"), false, null, null, 1));
            case "jdk.GCHeapSummary" ->
                    add(new Item(Kind.HEAP, begin, begin, 0, null, false, null, null, e.getLong("heapUsed")));
            default -> { }
        }
    }

    private void thread(Kind kind, RecordedThread t, long ts, boolean virtual) {
        if (t == null || t.getJavaThreadId() <= 0) return;
        add(new Item(kind, ts, ts, t.getJavaThreadId(), t.getJavaName(), virtual, null, null, 0));
    }

    private void onSample(RecordedEvent e) {
        RecordedThread t = e.getThread("sampledThread");
        if (t == null || t.getJavaThreadId() <= 0 || isDiag(t)) return;
        long ts = EpochNanos.of(e.getStartTime());
        add(new Item(Kind.SAMPLE, ts, ts, t.getJavaThreadId(), t.getJavaName(), false, null,
                JfrStacks.frames(e.getStackTrace()), 0));
    }

    private synchronized void add(Item item) {
        if (item.kind() != Kind.CLOCK && items.size() >= budget) {
            refused++;
            refusedAt = Math.min(refusedAt, item.begin());
            return;
        }
        items.add(item);
    }

    /** Adds what was recorded to {@code b} (call after {@link #stop}); ends the trace early if events were refused. */
    synchronized void replayInto(TimelineBuilder b) {
        long offset = clockOffset();
        if (refused > 0) b.truncate(refusedAt - offset, refused);
        for (Item i : items) {
            long begin = i.begin() - offset;
            long end = i.end() - offset;
            switch (i.kind()) {
                case BLOCK -> {
                    b.thread(i.tid(), i.name(), false);
                    b.addBlock(i.tid(), i.block(), begin, end, i.stack(), i.other());
                }
                case THREAD_START -> {
                    b.thread(i.tid(), i.name(), i.virtual());
                    b.threadStarted(i.tid(), begin);
                }
                case THREAD_END -> b.threadEnded(i.tid(), begin);
                case GC -> b.addGc(i.name(), begin, end);
                case PAUSE -> b.addPause(i.name(), begin, end);
                case CONCURRENT_PHASE -> b.addConcurrentPhase(i.name(), (int) i.other(), begin, end);
                case HEAP -> b.addHeap(begin, i.other());
                case SAMPLE -> {
                    b.thread(i.tid(), i.name(), false);
                    b.addSample(i.tid(), begin, i.stack());
                }
                case CLOCK -> { }
            }
        }
    }

    /** Returns JFR time minus {@code nanoTime}, the median over the clock marks (0 when none arrived). */
    private long clockOffset() {
        long[] offsets = items.stream().filter(i -> i.kind() == Kind.CLOCK).mapToLong(i -> i.begin() - i.other())
                .sorted().toArray();
        return offsets.length == 0 ? 0 : offsets[offsets.length / 2];
    }

    /**
     * Folds the {@code Object.wait} overloads on top of a monitor-wait stack into the outermost one, so the wait site
     * reads {@code Object.wait} then the caller, as a park's does.
     */
    private static Frame[] waitStack(Frame[] frames) {
        int top = 0;
        while (top + 1 < frames.length && frames[top].className().equals("java.lang.Object")
                && frames[top + 1].className().equals("java.lang.Object")) {
            top++;
        }
        return top == 0 ? frames : Arrays.copyOfRange(frames, top, frames.length);
    }

    private static boolean isDiag(RecordedThread t) {
        return t.getThreadGroup() != null && "diag".equals(t.getThreadGroup().getName());
    }

    private static long tid(RecordedThread t) {
        return t == null ? 0 : Math.max(0, t.getJavaThreadId());
    }

}
