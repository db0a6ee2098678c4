package dev.diag.trace;

import dev.diag.hook.LabelSet;
import dev.diag.stack.Frame;
import dev.diag.trace.Timeline.Block;
import dev.diag.trace.Timeline.ThreadTrack;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.diag.trace.GoTraceWriter.*;

/**
 * Encodes a {@link Timeline} as a Go execution trace for {@code go tool trace} (format 1.19).
 *
 * <p>Each Java thread is a goroutine with its thread id; its name is the function of its start frame, which is how
 * {@code /goroutines} lists it. Go needs a P for every running goroutine and attributes events to the goroutine
 * running on the P of their batch, so the encoder replays the whole timeline in time order: a thread that runs
 * takes the lowest free P from 1 up, gives it back when it blocks or ends, and every event of it is written in that
 * P's batch. P 0 never runs a goroutine: GC, heap counts, thread creation and wake-ups whose waker is unknown or not
 * running are written there as "G 0", as the Go runtime writes timer and netpoller wake-ups. Ticks are nanoseconds,
 * strictly increasing in replay order (equal times are bumped by 1 ns) so the parser's merge is unambiguous.
 */
public final class GoTraceEncoder {
    // Replay order of events at the same instant: a wake-up before the start it allows, the start before what the
    // thread then does, what it does before it blocks or ends.
    private static final int P_CREATE = 0;
    private static final int P_UNBLOCK = 1;
    private static final int P_START = 2;
    private static final int P_USER = 3;
    private static final int P_BLOCK = 4;
    private static final int P_STOP = 5;

    private static final Frame REGION_FRAME = new Frame("dev.diag.api.Trace", "region", null, "Trace.java", 0);
    private static final Frame TASK_FRAME = new Frame("dev.diag.api.Trace", "newTask", null, "Trace.java", 0);
    private static final Frame TASK_END_FRAME = new Frame("dev.diag.api.Task", "end", null, "Task.java", 0);
    private static final Frame LOG_FRAME = new Frame("dev.diag.api.Trace", "log", null, "Trace.java", 0);

    private enum Kind { CREATE, START, BLOCK, UNBLOCK, END, SCHED, REGION_BEGIN, REGION_END, LOG, TASK_CREATE, TASK_END,
        SAMPLE, GC_START, GC_DONE, STW_START, STW_DONE, HEAP }

    /** One thing to replay; {@code g} is 0 for the runtime's own events. */
    private record Action(long ts, int prio, long g, int idx, Kind kind, Object payload) {}

    private final Timeline t;
    private final GoTraceWriter w = new GoTraceWriter();
    private final Map<Integer, ByteArrayOutputStream> batches = new TreeMap<>();
    private final Map<Integer, Long> lastTick = new HashMap<>();
    private final Map<Long, Integer> running = new HashMap<>();
    private final Map<Long, Long> seq = new HashMap<>();
    private final List<Integer> freePs = new ArrayList<>();
    private final ByteArrayOutputStream samples = new ByteArrayOutputStream();
    private long firstSampleTick = -1;
    private long lastSampleTick;
    private int maxP;
    private boolean noteWritten;
    private long gcSeq;

    private GoTraceEncoder(Timeline t) {
        this.t = t;
    }

    /** Returns the trace file bytes. */
    public static byte[] encode(Timeline t) {
        return new GoTraceEncoder(t).run();
    }

    private byte[] run() {
        List<Action> actions = actions();
        long tick = 0;
        for (Action a : actions) {
            tick = Math.max(tick + 1, a.ts() - t.start + 1);
            replay(a, tick);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HEADER);
        // Gomaxprocs first, in a batch of P 0 that precedes the rest (a P's batches are read in file order).
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        event(head, EV_BATCH, 0, 0);
        event(head, EV_GOMAXPROCS, 0, maxP + 1L, 0);
        out.writeBytes(head.toByteArray());
        batches.forEach((p, b) -> out.writeBytes(b.toByteArray()));
        out.writeBytes(samples.toByteArray());
        out.writeBytes(w.dictionaryAndFrequency());
        return out.toByteArray();
    }

    /** Lists every event of the trace in replay order. */
    private List<Action> actions() {
        List<Action> all = new ArrayList<>();
        for (ThreadTrack tr : t.threads.values()) all.addAll(threadActions(tr));
        int idx = 0;
        List<Action> runtime = new ArrayList<>();
        for (Timeline.Gc gc : t.gcs) {
            runtime.add(new Action(gc.begin(), P_CREATE, 0, idx++, Kind.GC_START, gc));
            runtime.add(new Action(gc.end(), P_STOP, 0, idx++, Kind.GC_DONE, gc));
        }
        for (Timeline.Gc p : t.pauses) {
            runtime.add(new Action(p.begin(), P_UNBLOCK, 0, idx++, Kind.STW_START, p));
            runtime.add(new Action(p.end(), P_BLOCK, 0, idx++, Kind.STW_DONE, p));
        }
        for (Timeline.HeapPoint h : t.heap) runtime.add(new Action(h.ts(), P_USER, 0, idx++, Kind.HEAP, h));
        all.addAll(runtime);
        all.sort(Comparator.comparingLong(Action::ts).thenComparingInt(Action::prio).thenComparingLong(Action::g)
                .thenComparingInt(Action::idx));
        return all;
    }

    private List<Action> threadActions(ThreadTrack tr) {
        List<Action> list = new ArrayList<>();
        long g = tr.id;
        long life = tr.lifeEnd(t.end);
        list.add(new Action(tr.created, P_CREATE, g, 0, Kind.CREATE, tr));
        list.add(new Action(tr.created, P_START, g, 0, Kind.START, null));
        for (Block b : tr.blocks) {
            list.add(new Action(b.begin(), P_BLOCK, g, 0, Kind.BLOCK, b));
            list.add(new Action(b.end(), P_UNBLOCK, g, 0, Kind.UNBLOCK, b));
            list.add(new Action(b.end(), P_START, g, 0, Kind.START, null));
        }
        // Regions as properly nested begin/end pairs, in the order the thread did them.
        Deque<Timeline.Region> open = new ArrayDeque<>();
        for (Timeline.Region r : tr.regions) {
            while (!open.isEmpty() && open.peek().end() <= r.begin() && open.peek().depth() >= r.depth()) {
                Timeline.Region done = open.pop();
                list.add(new Action(done.end(), P_USER, g, 0, Kind.REGION_END, done));
            }
            list.add(new Action(r.begin(), P_USER, g, 0, Kind.REGION_BEGIN, r));
            spanLog(tr, r).ifPresent(l -> list.add(new Action(r.begin(), P_USER, g, 0, Kind.LOG, l)));
            open.push(r);
        }
        while (!open.isEmpty()) {
            Timeline.Region done = open.pop();
            list.add(new Action(done.end(), P_USER, g, 0, Kind.REGION_END, done));
        }
        for (Timeline.LogEntry l : tr.logs) list.add(new Action(l.ts(), P_USER, g, 0, Kind.LOG, l));
        // Go's goroutine events carry no labels: each change is a log of the goroutine, in its task.
        if (tr.labelsAtStart.size() > 0) {
            list.add(new Action(tr.created, P_USER, g, 0, Kind.LOG, labelsLog(tr.created, 0, tr.labelsAtStart)));
        }
        for (Timeline.LabelChange c : tr.labelChanges) {
            list.add(new Action(c.ts(), P_USER, g, 0, Kind.LOG, labelsLog(c.ts(), c.task(), c.labels())));
        }
        for (Timeline.TaskSpan task : t.tasks) {
            if (task.creator() == g) list.add(new Action(task.begin(), P_USER, g, 0, Kind.TASK_CREATE, task));
            if (task.ended() && task.ender() == g) list.add(new Action(task.end(), P_USER, g, 0, Kind.TASK_END, task));
        }
        for (Timeline.Sample s : tr.samples) list.add(new Action(s.ts(), P_USER, g, 0, Kind.SAMPLE, s));
        list.add(new Action(life, P_STOP, g, 0, tr.ended != 0 ? Kind.END : Kind.SCHED, null));
        // Stable: equal (ts, prio) keep the order above, which is the thread's own order.
        list.sort(Comparator.comparingLong(Action::ts).thenComparingInt(Action::prio));
        List<Action> numbered = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Action a = list.get(i);
            numbered.add(new Action(a.ts(), a.prio(), g, i, a.kind(), a.payload()));
        }
        return numbered;
    }

    private static Timeline.LogEntry labelsLog(long ts, long task, LabelSet labels) {
        return new Timeline.LogEntry(ts, task, TraceLabels.LOG_CATEGORY, TraceLabels.text(labels));
    }

    /**
     * Returns the log that names the OpenTelemetry span a region runs in, written right after the region's start, when
     * the span was current as it began. A span made current inside the region is named by the label change's own
     * log, which lies inside the region already.
     */
    private static Optional<Timeline.LogEntry> spanLog(ThreadTrack tr, Timeline.Region r) {
        String span = TraceLabels.spanText(r.labels());
        if (span == null || !span.equals(TraceLabels.spanText(tr.labelsAt(r.begin())))) return Optional.empty();
        return Optional.of(new Timeline.LogEntry(r.begin(), r.task(), TraceLabels.SPAN_CATEGORY, span));
    }

    private void replay(Action a, long tick) {
        long g = a.g();
        switch (a.kind()) {
            case CREATE -> {
                seq.put(g, 0L);
                ThreadTrack tr = (ThreadTrack) a.payload();
                long startStack = w.entryStack(goroutineName(tr));
                event(0, tick, EV_GO_CREATE, g, startStack, 0);
            }
            case START -> {
                int p = takeP();
                running.put(g, p);
                event(p, tick, EV_GO_START, g, nextSeq(g));
            }
            case BLOCK -> {
                Block b = (Block) a.payload();
                int p = releaseP(g);
                event(p, tick, blockEvent(b.kind()), w.stack(b.stack()));
            }
            case UNBLOCK -> {
                Block b = (Block) a.payload();
                Integer wakerP = b.waker() == 0 ? null : running.get(b.waker());
                event(wakerP == null ? 0 : wakerP, tick, EV_GO_UNBLOCK, g, nextSeq(g), 0);
            }
            case END -> {
                writeNote(g, tick);
                event(releaseP(g), tick, EV_GO_END);
            }
            case SCHED -> {
                writeNote(g, tick);
                event(releaseP(g), tick, EV_GO_SCHED, 0);
            }
            case REGION_BEGIN, REGION_END -> {
                Timeline.Region r = (Timeline.Region) a.payload();
                event(running.get(g), tick, EV_USER_REGION, r.task(), a.kind() == Kind.REGION_BEGIN ? 0 : 1,
                        w.string(r.name()), w.stack(r.stack().length > 0 ? r.stack() : new Frame[] {REGION_FRAME}));
            }
            case LOG -> {
                Timeline.LogEntry l = (Timeline.LogEntry) a.payload();
                String v = l.message() == null ? "" : l.message();
                byte[] value = v.getBytes(StandardCharsets.UTF_8);
                if (value.length > 1_000_000) value = java.util.Arrays.copyOf(value, 1_000_000);
                ByteArrayOutputStream b = batch(running.get(g), tick);
                GoTraceWriter.event(b, EV_USER_LOG, new long[] {delta(running.get(g), tick), l.task(),
                        w.string(l.category()), w.stack(new Frame[] {LOG_FRAME})}, value);
            }
            case TASK_CREATE -> {
                Timeline.TaskSpan task = (Timeline.TaskSpan) a.payload();
                event(running.get(g), tick, EV_USER_TASK_CREATE, task.id(), task.parent(), w.string(task.name()),
                        w.stack(new Frame[] {TASK_FRAME}));
            }
            case TASK_END -> event(running.get(g), tick, EV_USER_TASK_END, ((Timeline.TaskSpan) a.payload()).id(),
                    w.stack(new Frame[] {TASK_END_FRAME}));
            case SAMPLE -> {
                Timeline.Sample s = (Timeline.Sample) a.payload();
                Integer p = running.get(g);
                if (firstSampleTick < 0) {
                    firstSampleTick = tick;
                    lastSampleTick = tick;
                    GoTraceWriter.event(samples, EV_BATCH, new long[] {0, tick}, null);
                }
                GoTraceWriter.event(samples, EV_CPU_SAMPLE, new long[] {tick - lastSampleTick, tick,
                        p == null ? -1L : p, g, w.stack(s.stack())}, null);
                lastSampleTick = tick;
            }
            case GC_START -> event(0, tick, EV_GC_START, gcSeq++, 0);
            case GC_DONE -> event(0, tick, EV_GC_DONE);
            case STW_START -> event(0, tick, EV_GC_STW_START, 0);
            case STW_DONE -> event(0, tick, EV_GC_STW_DONE);
            case HEAP -> event(0, tick, EV_HEAP_ALLOC, ((Timeline.HeapPoint) a.payload()).bytes());
        }
    }

    /**
     * Writes the trace's note (why it stopped early) once, as a user log "diag" of the goroutine {@code g} that is
     * about to stop: Go's format has no place for a file comment, and a log by no goroutine breaks the viewer.
     */
    private void writeNote(long g, long tick) {
        if (t.note == null || noteWritten || t.end - t.start + 1 > tick) return;
        noteWritten = true;
        Integer p = running.get(g);
        byte[] value = ("diag: " + t.note).getBytes(StandardCharsets.UTF_8);
        GoTraceWriter.event(batch(p, tick), EV_USER_LOG, new long[] {delta(p, tick), 0, w.string("diag"),
                w.stack(new Frame[] {LOG_FRAME})}, value);
    }

    /** Names a goroutine after its thread; Go treats functions named {@code runtime.*} as its own, so avoid those. */
    private static String goroutineName(ThreadTrack tr) {
        String name = tr.name;
        return name.startsWith("runtime.") ? "thread:" + name : name;
    }

    private static int blockEvent(Timeline.BlockKind kind) {
        return switch (kind) {
            case SYNC -> EV_GO_BLOCK_SYNC;
            case COND -> EV_GO_BLOCK_COND;
            case RECV -> EV_GO_BLOCK_RECV;
            case SEND -> EV_GO_BLOCK_SEND;
            case SLEEP -> EV_GO_SLEEP;
            case PARK, NATIVE -> EV_GO_BLOCK;
        };
    }

    private long nextSeq(long g) {
        long s = seq.merge(g, 1L, Long::sum);
        return s;
    }

    private int takeP() {
        if (!freePs.isEmpty()) {
            freePs.sort(null);
            return freePs.remove(0);
        }
        return ++maxP;
    }

    private int releaseP(long g) {
        Integer p = running.remove(g);
        if (p == null) return 0;
        freePs.add(p);
        return p;
    }

    private void event(Integer p, long tick, int type, long... args) {
        int pp = p == null ? 0 : p;
        ByteArrayOutputStream b = batch(pp, tick);
        long[] values = new long[args.length + 1];
        values[0] = delta(pp, tick);
        System.arraycopy(args, 0, values, 1, args.length);
        GoTraceWriter.event(b, type, values, null);
    }

    private static void event(ByteArrayOutputStream out, int type, long... values) {
        GoTraceWriter.event(out, type, values, null);
    }

    private ByteArrayOutputStream batch(Integer p, long tick) {
        int pp = p == null ? 0 : p;
        return batches.computeIfAbsent(pp, k -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            GoTraceWriter.event(b, EV_BATCH, new long[] {k, tick}, null);
            lastTick.put(k, tick);
            return b;
        });
    }

    /** Returns the ticks since the previous event of P {@code p} and makes {@code tick} the previous one. */
    private long delta(Integer p, long tick) {
        int pp = p == null ? 0 : p;
        batch(pp, tick);
        long d = tick - lastTick.get(pp);
        lastTick.put(pp, tick);
        return d;
    }
}
