package dev.diag.trace;

import dev.diag.hook.LabelSet;
import dev.diag.hook.TraceEventLog;
import dev.diag.stack.Frame;
import dev.diag.stack.StackKey;
import dev.diag.stack.StackTable;
import dev.diag.trace.Timeline.Block;
import dev.diag.trace.Timeline.BlockKind;
import dev.diag.trace.Timeline.Gc;
import dev.diag.trace.Timeline.ThreadTrack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a recording gathered (the hook log, JFR events, a thread snapshot) into a consistent {@link Timeline}.
 *
 * <p>Sources disagree by a few microseconds (JFR and the hooks read the same monotonic clock, but at different
 * moments) and may overlap; the builder settles every conflict in favour of what a thread itself reported: a thread
 * that logged, opened a region or woke another was running then, so a wait that covers that moment is cut short.
 */
final class TimelineBuilder {
    /** How far apart an unpark and the end of the park it ended may be recorded (clock reading skew). */
    private static final long WAKE_SLACK_NS = 50_000;
    /** A waker of -1 on {@link #addBlock} means "find it among the recorded unparks". */
    static final long WAKER_FROM_UNPARKS = -1;
    private static final Frame[] NO_FRAMES = new Frame[0];

    private final Timeline t = new Timeline();
    private final Map<Long, List<long[]>> unparksByTarget = new HashMap<>();
    private final Map<Long, List<Block>> rawBlocks = new HashMap<>();
    private final Map<Long, Long> firstActivity = new HashMap<>();
    private final Map<Long, Long> lastActivity = new HashMap<>();
    private final Map<Long, Block> waitingAtStart = new HashMap<>();
    private final List<Gc> rawGcs = new ArrayList<>();
    private final List<Gc> rawPauses = new ArrayList<>();
    private final Map<Long, String> taskNames = new HashMap<>();
    private final Map<Long, long[]> taskTimes = new HashMap<>();
    /** Each labelled thread's labels when the recording started. */
    private final Map<Long, LabelSet> labelsAtStart = new HashMap<>();

    TimelineBuilder(long start, long end) {
        t.start = start;
        t.end = end;
        t.pid = ProcessHandle.current().pid();
    }

    void processName(String name) {
        t.processName = name;
    }

    void note(String note) {
        if (t.note == null) t.note = note;
    }

    void dropped(long n) {
        t.dropped += n;
    }

    /** Ends the trace at {@code ts} (if earlier) because {@code dropped} events did not fit; call before adding events. */
    void truncate(long ts, long dropped) {
        t.end = Math.max(t.start, Math.min(t.end, ts));
        t.dropped += dropped;
    }

    long dropped() {
        return t.dropped;
    }

    /** Returns the end of the trace as it stands. */
    long end() {
        return t.end;
    }

    /** Names a thread (the last name wins: threads are often renamed right after creation). */
    ThreadTrack thread(long tid, String name, boolean virtual) {
        ThreadTrack tr = t.threads.computeIfAbsent(tid, id -> new ThreadTrack(id, null));
        if (name != null && !name.isEmpty()) tr.name = name;
        tr.virtual |= virtual;
        return tr;
    }

    boolean hasThread(long tid) {
        return t.threads.containsKey(tid);
    }

    void threadStarted(long tid, long ts) {
        ThreadTrack tr = thread(tid, null, false);
        tr.created = clamp(ts);
    }

    void threadEnded(long tid, long ts) {
        if (ts < t.end) thread(tid, null, false).ended = clamp(ts); // after the end: alive as far as the trace knows
    }

    /** Adds a wait; {@code waker} is a thread id, 0 for none, or {@link #WAKER_FROM_UNPARKS}. */
    void addBlock(long tid, BlockKind kind, long begin, long end, Frame[] stack, long waker) {
        begin = clamp(begin);
        end = clamp(end);
        if (end <= begin) return;
        thread(tid, null, false);
        rawBlocks.computeIfAbsent(tid, k -> new ArrayList<>()).add(new Block(kind, begin, end, stack, waker));
    }

    /** Records that a thread alive at the start was waiting then (from a thread dump), until it is seen again. */
    void waitingAtStart(long tid, BlockKind kind, Frame[] stack) {
        waitingAtStart.put(tid, new Block(kind, t.start, t.end, stack, 0));
    }

    void addSample(long tid, long ts, Frame[] stack) {
        if (ts < t.start || ts > t.end) return;
        thread(tid, null, false).samples.add(new Timeline.Sample(ts, stack));
        active(tid, ts);
    }

    void addGc(String name, long begin, long end) {
        if (end > t.start && begin < t.end) rawGcs.add(new Gc(name, clamp(begin), clamp(end)));
    }

    void addPause(String name, long begin, long end) {
        if (end > t.start && begin < t.end) rawPauses.add(new Gc(name, clamp(begin), clamp(end)));
    }

    void addConcurrentPhase(String name, int level, long begin, long end) {
        if (end > t.start && begin < t.end) {
            t.concurrentPhases.add(new Timeline.ConcurrentPhase(name, level, clamp(begin), clamp(end)));
        }
    }

    void addHeap(long ts, long bytes) {
        if (ts >= t.start && ts <= t.end) t.heap.add(new Timeline.HeapPoint(ts, bytes));
    }

    /** Records the labels each thread had when the recording started, by thread id; call before {@link #addLog}. */
    void labelsAtStart(Map<Long, LabelSet> labels) {
        labelsAtStart.putAll(labels);
    }

    /** Adds what the hooks recorded: thread names, tasks, regions, logs, parks (stacks by id in {@code stacks}), unparks. */
    void addLog(TraceEventLog log, StackTable stacks) {
        Map<Long, Deque<Timeline.Region>> open = new HashMap<>();
        Map<Long, LabelSet> labels = new HashMap<>(labelsAtStart);
        log.read((ts, type, tid, a, b, ref1, ref2) -> {
            if (ts < t.start || ts > t.end) return;
            switch (type) {
                case TraceEventLog.TYPE_THREAD -> {
                    Thread th = (Thread) ref1;
                    thread(tid, th.getName(), VirtualThreads.isVirtual(th));
                }
                case TraceEventLog.TYPE_TASK_CREATE -> {
                    taskNames.put(a, (String) ref1);
                    taskTimes.put(a, new long[] {ts, 0, b, tid, 0});
                    active(tid, ts);
                }
                case TraceEventLog.TYPE_TASK_END -> {
                    long[] times = taskTimes.get(a);
                    if (times != null && times[1] == 0) {
                        times[1] = ts;
                        times[4] = tid;
                    }
                    active(tid, ts);
                }
                case TraceEventLog.TYPE_REGION_BEGIN -> {
                    Deque<Timeline.Region> stack = open.computeIfAbsent(tid, k -> new ArrayDeque<>());
                    StackKey site = b == 0 ? null : stacks.stack((int) b);
                    stack.push(new Timeline.Region((String) ref1, a, ts, 0, stack.size(),
                            site == null ? NO_FRAMES : site.frames(), labels.getOrDefault(tid, LabelSet.EMPTY)));
                    active(tid, ts);
                }
                case TraceEventLog.TYPE_REGION_END -> {
                    Deque<Timeline.Region> stack = open.get(tid);
                    if (stack == null || stack.isEmpty()) return; // its begin came before the trace
                    thread(tid, null, false).regions.add(stack.pop().endingAt(ts));
                    active(tid, ts);
                }
                case TraceEventLog.TYPE_LOG -> {
                    thread(tid, null, false).logs.add(new Timeline.LogEntry(ts, a, (String) ref1, (String) ref2));
                    active(tid, ts);
                }
                case TraceEventLog.TYPE_LABELS -> {
                    LabelSet now = (LabelSet) ref1;
                    labels.put(tid, now);
                    thread(tid, null, false).labelChanges.add(new Timeline.LabelChange(ts, a, now));
                    spanInsideRegion(open.get(tid), now);
                    active(tid, ts);
                }
                case TraceEventLog.TYPE_PARK -> {
                    StackKey site = stacks.stack((int) b);
                    Frame[] frames = site == null ? NO_FRAMES : site.frames();
                    addBlock(tid, BlockKinds.ofPark(frames, b >>> 32), ts - a, ts, frames, WAKER_FROM_UNPARKS);
                }
                case TraceEventLog.TYPE_UNPARK -> {
                    unparksByTarget.computeIfAbsent(a, k -> new ArrayList<>()).add(new long[] {ts, tid});
                    active(tid, ts);
                }
                default -> { }
            }
        });
        open.forEach((tid, stack) -> {
            while (!stack.isEmpty()) thread(tid, null, false).regions.add(stack.pop().endingAt(-1));
        });
        dropped(log.dropped());
    }

    /**
     * A region opened outside any OpenTelemetry span takes the first span made current while it is the innermost
     * region of its thread: an {@code @WithSpan} method's own span, when the OpenTelemetry Java agent's advice makes it
     * current inside diag's region (which agent's code runs first depends on the order the agents were given).
     */
    private static void spanInsideRegion(Deque<Timeline.Region> open, LabelSet now) {
        if (open == null || open.isEmpty() || now.valueOf(TraceLabels.SPAN_ID) == null) return;
        Timeline.Region innermost = open.peek();
        if (innermost.labels().valueOf(TraceLabels.SPAN_ID) == null) open.push(open.pop().withLabels(now));
    }

    private void active(long tid, long ts) {
        firstActivity.merge(tid, ts, Math::min);
        lastActivity.merge(tid, ts, Math::max);
        rawBlocks.computeIfAbsent(tid, k -> new ArrayList<>()).add(new Block(null, ts, ts, null, 0));
    }

    private long clamp(long ts) {
        return Math.max(t.start, Math.min(t.end, ts));
    }

    Timeline build() {
        for (ThreadTrack tr : t.threads.values()) {
            if (tr.name == null) tr.name = (tr.virtual ? "virtual-" : "thread-") + tr.id;
            if (tr.created == 0) tr.created = t.start;
            tr.labelsAtStart = labelsAtStart.getOrDefault(tr.id, LabelSet.EMPTY);
            tr.labelChanges.sort(Comparator.comparingLong(Timeline.LabelChange::ts));
            buildBlocks(tr);
            long life = tr.lifeEnd(t.end);
            if (tr.ended != 0 && tr.ended < tr.created) tr.ended = tr.created;
            closeRegions(tr, tr.lifeEnd(t.end));
            tr.samples.sort(Comparator.comparingLong(Timeline.Sample::ts));
            tr.logs.sort(Comparator.comparingLong(Timeline.LogEntry::ts));
            if (life < tr.created) tr.ended = tr.created;
        }
        taskTimes.forEach((id, times) -> t.tasks.add(new Timeline.TaskSpan(id, times[2], taskNames.get(id), times[0],
                times[1] == 0 ? t.end : times[1], times[1] != 0, times[3], times[4])));
        t.tasks.sort(Comparator.comparingLong(Timeline.TaskSpan::begin));
        t.gcs.addAll(disjoint(rawGcs));
        for (Gc p : disjoint(rawPauses)) {
            for (Gc g : t.gcs) {
                long b = Math.max(p.begin(), g.begin()), e = Math.min(p.end(), g.end());
                if (e > b) t.pauses.add(new Gc(p.name(), b, e));
            }
        }
        t.concurrentPhases.sort(Comparator.comparingLong(Timeline.ConcurrentPhase::begin)
                .thenComparingInt(Timeline.ConcurrentPhase::level));
        t.heap.sort(Comparator.comparingLong(Timeline.HeapPoint::ts));
        return t;
    }

    /**
     * Sorts a thread's waits, makes them disjoint, cuts them where the thread was seen running, finds the wakers,
     * and moves the thread's creation before its first event.
     */
    private void buildBlocks(ThreadTrack tr) {
        List<Block> raw = rawBlocks.getOrDefault(tr.id, new ArrayList<>());
        Block atStart = waitingAtStart.get(tr.id);
        if (atStart != null) {
            long until = firstActivity.getOrDefault(tr.id, t.end);
            for (Block b : raw) if (b.kind() != null) until = Math.min(until, b.begin());
            if (until > t.start) raw.add(new Block(atStart.kind(), t.start, until, atStart.stack(), 0));
        }
        raw.sort(Comparator.comparingLong(Block::begin).thenComparing(b -> b.kind() == null ? 0 : 1));
        List<Long> activity = new ArrayList<>();
        for (Block b : raw) if (b.kind() == null) activity.add(b.begin());
        long earliest = Long.MAX_VALUE;
        long lastEnd = Long.MIN_VALUE;
        int next = 0;
        for (Block b : raw) {
            earliest = Math.min(earliest, b.begin());
            if (b.kind() == null) continue;
            long begin = Math.max(b.begin(), lastEnd);
            long end = b.end();
            while (next < activity.size() && activity.get(next) <= begin) next++;
            if (next < activity.size() && activity.get(next) < end) end = activity.get(next); // seen running there
            if (end <= begin) continue;
            long waker = b.waker() == WAKER_FROM_UNPARKS ? findUnparker(tr.id, begin, b.end()) : b.waker();
            if (waker == tr.id) waker = 0;
            tr.blocks.add(new Block(b.kind(), begin, end, b.stack(), waker));
            lastEnd = end;
        }
        if (earliest < tr.created) tr.created = earliest;
        if (tr.ended != 0) tr.ended = Math.max(tr.ended, Math.max(lastEnd, lastActivity.getOrDefault(tr.id, 0L)));
        if (tr.ended != 0) tr.blocks.removeIf(b -> b.begin() >= tr.ended);
    }

    private long findUnparker(long tid, long begin, long end) {
        List<long[]> unparks = unparksByTarget.get(tid);
        if (unparks == null) return 0;
        long best = 0;
        long bestTs = Long.MIN_VALUE;
        for (long[] u : unparks) {
            if (u[0] >= begin - WAKE_SLACK_NS && u[0] <= end + WAKE_SLACK_NS && u[0] > bestTs) {
                best = u[1];
                bestTs = u[0];
            }
        }
        return best;
    }

    /** Closes regions still open at the end of the thread's life and orders them by begin (parents first). */
    private static void closeRegions(ThreadTrack tr, long lifeEnd) {
        List<Timeline.Region> closed = new ArrayList<>();
        for (Timeline.Region r : tr.regions) {
            long end = r.end() < 0 || r.end() > lifeEnd ? lifeEnd : r.end();
            closed.add(new Timeline.Region(r.name(), r.task(), Math.min(r.begin(), end), end, r.depth(), r.stack(),
                    r.labels()));
        }
        closed.sort(Comparator.comparingLong(Timeline.Region::begin).thenComparingInt(Timeline.Region::depth));
        tr.regions.clear();
        tr.regions.addAll(closed);
    }

    /** Merges overlapping spans into disjoint, sorted ones (the first name wins). */
    private static List<Gc> disjoint(List<Gc> spans) {
        List<Gc> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(Gc::begin));
        List<Gc> out = new ArrayList<>();
        for (Gc g : sorted) {
            if (g.end() <= g.begin()) continue;
            Gc last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && g.begin() <= last.end()) {
                out.set(out.size() - 1, new Gc(last.name(), last.begin(), Math.max(last.end(), g.end())));
            } else {
                out.add(g);
            }
        }
        return out;
    }
}
