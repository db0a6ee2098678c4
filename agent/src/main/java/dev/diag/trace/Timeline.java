package dev.diag.trace;

import dev.diag.hook.LabelSet;
import dev.diag.stack.Frame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One recorded execution trace, ready to encode: per thread its life, its waits (with stacks and who woke it), its
 * regions, logs and CPU samples; tasks; GC phases and heap sizes. Times are {@code System.nanoTime()} values.
 *
 * <p>Built by {@link TimelineBuilder}, which guarantees what every encoder relies on: per thread, blocks are sorted
 * and disjoint, regions nest and are closed, every event lies within the thread's life and within
 * {@code [start, end]}; GC spans are sorted and disjoint, pauses lie inside them; concurrent GC phases are sorted.
 */
public final class Timeline {
    /** Why a thread waits; Go's block reasons. */
    public enum BlockKind {
        /** A lock: {@code synchronized} entry, {@code ReentrantLock.lock}, other AQS acquires (Go: sync.Mutex). */
        SYNC("blocked on lock"),
        /** {@code Object.wait}, {@code Condition.await}, latches (Go: sync.Cond). */
        COND("waiting on condition"),
        /** {@code BlockingQueue.take/poll} (Go: channel receive). */
        RECV("queue receive"),
        /** {@code BlockingQueue.put/offer} (Go: channel send). */
        SEND("queue send"),
        /** {@code Thread.sleep}. */
        SLEEP("sleeping"),
        /** Any other park. */
        PARK("parked"),
        /**
         * In native code or the VM with nothing seen of it running (Signal Dispatcher, a socket accept): Go's syscall,
         * where a goroutine holds no P and is not drawn as running either.
         */
        NATIVE("in native code");

        private final String label;

        BlockKind(String label) {
            this.label = label;
        }

        /** Returns the name a viewer shows for the wait. */
        public String label() {
            return label;
        }
    }

    /** A wait of one thread; {@code waker} is the Java thread id that ended it, or 0 (timeout, unknown). */
    public record Block(BlockKind kind, long begin, long end, Frame[] stack, long waker) {}

    /**
     * A user region on one thread; depth 0 is outermost; {@code stack}: where it started (leaf first; may be empty);
     * {@code labels}: the thread's profile labels at its begin, or, for a region begun outside any OpenTelemetry span,
     * those of the first span made current while it was the thread's innermost region (an {@code @WithSpan} method
     * whose span the OpenTelemetry Java agent makes current after diag opened the region).
     */
    public record Region(String name, long task, long begin, long end, int depth, Frame[] stack, LabelSet labels) {
        Region endingAt(long end) {
            return new Region(name, task, begin, end, depth, stack, labels);
        }

        Region withLabels(LabelSet labels) {
            return new Region(name, task, begin, end, depth, stack, labels);
        }
    }

    /** The thread's profile labels became {@code labels} at {@code ts}, in task {@code task} (0: none). */
    public record LabelChange(long ts, long task, LabelSet labels) {}

    /** A user log message. */
    public record LogEntry(long ts, long task, String category, String message) {}

    /** A CPU sample of one thread, stack leaf first. */
    public record Sample(long ts, Frame[] stack) {}

    /**
     * A user task; {@code end} is the trace end when it did not end, then {@code ended} is false and {@code ender} 0.
     * {@code creator} and {@code ender} are Java thread ids.
     */
    public record TaskSpan(long id, long parent, String name, long begin, long end, boolean ended, long creator,
                           long ender) {}

    /** A GC cycle ({@code name} as the JVM names it) or a stop-the-world pause. */
    public record Gc(String name, long begin, long end) {}

    /**
     * A GC phase that runs beside the application ({@code jdk.GCPhaseConcurrent}, such as G1's "Concurrent Mark From
     * Roots"); {@code level} 1 is a sub-phase of the level-0 phase around it ({@code jdk.GCPhaseConcurrentLevel1}).
     */
    public record ConcurrentPhase(String name, int level, long begin, long end) {}

    /** Heap in use after a GC or at a heap summary. */
    public record HeapPoint(long ts, long bytes) {}

    /** One Java thread (platform or virtual): a goroutine. */
    public static final class ThreadTrack {
        public final long id;
        public String name;
        public boolean virtual;
        /** When it began (its start, or the trace start for a thread already alive). */
        public long created;
        /** When it terminated, or 0 when alive at the trace end. */
        public long ended;
        public final List<Block> blocks = new ArrayList<>();
        public final List<Region> regions = new ArrayList<>();
        public final List<LogEntry> logs = new ArrayList<>();
        public final List<Sample> samples = new ArrayList<>();
        /** The thread's profile labels when the trace started (or it was first seen); {@link LabelSet#EMPTY}: none. */
        public LabelSet labelsAtStart = LabelSet.EMPTY;
        /** Every change of its labels while the trace recorded, sorted by time. */
        public final List<LabelChange> labelChanges = new ArrayList<>();

        ThreadTrack(long id, String name) {
            this.id = id;
            this.name = name;
        }

        /** Returns the end of the thread's life within the trace. */
        public long lifeEnd(long traceEnd) {
            return ended == 0 ? traceEnd : ended;
        }

        /** Returns the thread's labels at {@code ts}: those of its last change at or before it. */
        public LabelSet labelsAt(long ts) {
            int lo = 0, hi = labelChanges.size() - 1, found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (labelChanges.get(mid).ts() <= ts) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found < 0 ? labelsAtStart : labelChanges.get(found).labels();
        }

        /** Returns the block that contains {@code ts} (begin inclusive, end exclusive), or null when running. */
        public Block blockAt(long ts) {
            for (Block b : blocks) {
                if (b.begin() <= ts && ts < b.end()) return b;
                if (b.begin() > ts) break;
            }
            return null;
        }
    }

    public long start;
    public long end;
    /** Why the trace is shorter than asked, or null. */
    public String note;
    public long pid;
    public String processName = "java";
    public final Map<Long, ThreadTrack> threads = new TreeMap<>();
    public final List<TaskSpan> tasks = new ArrayList<>();
    public final List<Gc> gcs = new ArrayList<>();
    public final List<Gc> pauses = new ArrayList<>();
    /** Sorted by begin, then level; they may lie outside {@link #gcs} (a cycle the trace saw only part of). */
    public final List<ConcurrentPhase> concurrentPhases = new ArrayList<>();
    public final List<HeapPoint> heap = new ArrayList<>();
    /** Events refused because {@code trace.max} was reached. */
    public long dropped;
}
