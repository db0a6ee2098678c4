package dev.diag.trace;

import dev.diag.hook.LabelSet;
import dev.diag.pprof.ProtoWriter;
import dev.diag.stack.Frame;
import dev.diag.trace.Timeline.Block;
import dev.diag.trace.Timeline.ThreadTrack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link Timeline} as a Perfetto protobuf trace ({@code .perfetto-trace}, opens in ui.perfetto.dev): a
 * process track, a thread track per Java thread (virtual threads grouped under "Virtual threads"), waits and regions
 * as nested slices, logs and CPU samples as instants, a flow arrow from each waker to the wait it ended, a track per
 * task, GC cycle, pause and concurrent-phase slices, and a heap counter. A thread's profile labels are arguments
 * ({@code labels.KEY}) of its regions, waits and CPU samples, as they were at their start, and each change of them is
 * an instant "labels {...}" with the new labels as arguments.
 *
 * <p>Hand-written with {@link ProtoWriter} (field numbers from Perfetto's {@code perfetto_trace.proto}): one packet
 * sequence, every name inline, so no interned state can be lost. Times are nanoseconds since the trace start. The
 * track descriptors come first, then every event packet in timestamp order (events are produced track by track;
 * trace_processor sorts anyway, but a reader that streams the file, and Perfetto's own checks, expect time order).
 * Events with the same timestamp keep the order they were produced in, which is what makes an END at time T close
 * its slice before a BEGIN at T on the same track opens the next.
 */
public final class PerfettoEncoder {
    // Trace / TracePacket
    private static final int TRACE_PACKET = 1;                   // repeated TracePacket
    private static final int PACKET_TIMESTAMP = 8;               // uint64
    private static final int PACKET_SEQUENCE_ID = 10;            // uint32 trusted_packet_sequence_id
    private static final int PACKET_TRACK_EVENT = 11;            // TrackEvent
    private static final int PACKET_TRACK_DESCRIPTOR = 60;       // TrackDescriptor
    private static final int PACKET_FIRST_ON_SEQUENCE = 87;      // bool
    // TrackDescriptor
    private static final int TRACK_UUID = 1;                     // uint64
    private static final int TRACK_NAME = 2;                     // string
    private static final int TRACK_PROCESS = 3;                  // ProcessDescriptor
    private static final int TRACK_THREAD = 4;                   // ThreadDescriptor
    private static final int TRACK_PARENT_UUID = 5;              // uint64
    private static final int TRACK_COUNTER = 8;                  // CounterDescriptor
    private static final int TRACK_SIBLING_MERGE = 15;           // enum, 2 = NONE
    private static final int PROCESS_PID = 1;                    // int32
    private static final int PROCESS_NAME = 6;                   // string
    private static final int THREAD_PID = 1;                     // int32
    private static final int THREAD_TID = 2;                     // int64
    private static final int THREAD_NAME = 5;                    // string
    private static final int COUNTER_UNIT = 3;                   // enum, 3 = SIZE_BYTES
    // TrackEvent
    private static final int EVENT_DEBUG_ANNOTATIONS = 4;        // repeated DebugAnnotation
    private static final int EVENT_TYPE = 9;                     // 1 begin, 2 end, 3 instant, 4 counter
    private static final int EVENT_TRACK_UUID = 11;              // uint64
    private static final int EVENT_CATEGORIES = 22;              // repeated string
    private static final int EVENT_NAME = 23;                    // string
    private static final int EVENT_COUNTER_VALUE = 30;           // int64
    private static final int EVENT_FLOW_IDS = 47;                // repeated fixed64
    private static final int EVENT_TERMINATING_FLOW_IDS = 48;    // repeated fixed64
    private static final int EVENT_CALLSTACK = 55;               // InlineCallstack
    private static final int ANNOTATION_STRING_VALUE = 6;        // string
    private static final int ANNOTATION_NAME = 10;               // string
    private static final int CALLSTACK_FRAMES = 1;               // repeated Frame, outermost first
    private static final int FRAME_FUNCTION = 1;
    private static final int FRAME_FILE = 2;
    private static final int FRAME_LINE = 3;

    static final int TYPE_SLICE_BEGIN = 1;
    static final int TYPE_SLICE_END = 2;
    static final int TYPE_INSTANT = 3;
    static final int TYPE_COUNTER = 4;

    private static final int SEQUENCE = 1;
    private static final long PROCESS_TRACK = 1;
    private static final long VIRTUAL_GROUP_TRACK = 2;
    private static final long GC_TRACK = 3;
    private static final long HEAP_TRACK = 4;
    private static final long FIRST_THREAD_TRACK = 1000;
    private static final long FIRST_TASK_TRACK = 1L << 32;

    private final Timeline t;
    private final ProtoWriter out = new ProtoWriter();
    private final Map<Long, Long> threadTracks = new HashMap<>();
    /** Per event packet: its timestamp and where it lies in {@link #out}, in the order written. */
    private final List<long[]> eventPackets = new ArrayList<>();
    private boolean first = true;
    private long nextFlow = 1;

    private PerfettoEncoder(Timeline t) {
        this.t = t;
    }

    /** Returns the trace file bytes. */
    public static byte[] encode(Timeline t) {
        return new PerfettoEncoder(t).run();
    }

    private byte[] run() {
        describeTracks();
        Map<Long, List<long[]>> wakes = new HashMap<>(); // waker tid -> [ts, flow]
        Map<Block, Long> flows = new HashMap<>();
        for (ThreadTrack tr : t.threads.values()) {
            for (Block b : tr.blocks) {
                if (b.waker() == 0 || !threadTracks.containsKey(b.waker())) continue;
                long flow = nextFlow++;
                flows.put(b, flow);
                wakes.computeIfAbsent(b.waker(), k -> new ArrayList<>()).add(new long[] {Math.max(b.begin(), b.end() - 1), flow, tr.id});
            }
        }
        for (ThreadTrack tr : t.threads.values()) threadEvents(tr, flows, wakes.getOrDefault(tr.id, List.of()));
        for (Timeline.TaskSpan task : t.tasks) {
            long track = FIRST_TASK_TRACK + task.id();
            slice(task.begin(), TYPE_SLICE_BEGIN, track, task.name(), "task", "id", String.valueOf(task.id()), null, 0,
                    0);
            slice(task.end(), TYPE_SLICE_END, track, null, null, null, null, null, 0, 0);
        }
        gcEvents();
        for (Timeline.HeapPoint h : t.heap) counter(h.ts(), HEAP_TRACK, h.bytes());
        if (t.note != null) slice(t.end, TYPE_INSTANT, PROCESS_TRACK, "diag: " + t.note, "diag", "dropped",
                String.valueOf(t.dropped), null, 0, 0);
        return inTimeOrder();
    }

    /** Returns the descriptors, then the event packets sorted by timestamp (stable: ties keep their written order). */
    private byte[] inTimeOrder() {
        byte[] written = out.toByteArray();
        int descriptorsEnd = eventPackets.isEmpty() ? written.length : (int) eventPackets.get(0)[1];
        java.io.ByteArrayOutputStream sorted = new java.io.ByteArrayOutputStream(written.length);
        sorted.write(written, 0, descriptorsEnd);
        List<long[]> byTime = new ArrayList<>(eventPackets);
        byTime.sort(Comparator.comparingLong(p -> p[0]));
        for (long[] p : byTime) sorted.write(written, (int) p[1], (int) (p[2] - p[1]));
        return sorted.toByteArray();
    }

    /**
     * Writes the GC track: cycles, their stop-the-world pauses ("STW ...") and the concurrent phases (G1's
     * "Concurrent Mark From Roots" and its level-1 sub-phases), nested by time. A young collection can run inside a
     * concurrent phase, so nesting is decided by the times, not by the kind.
     */
    private void gcEvents() {
        List<Slice> slices = new ArrayList<>();
        for (Timeline.Gc gc : t.gcs) slices.add(new Slice(gc.begin(), gc.end(), gc.name(), "gc", null, null, null));
        for (Timeline.ConcurrentPhase p : t.concurrentPhases) {
            slices.add(new Slice(p.begin(), p.end(), p.name(), "gc.concurrent", null, null, null));
        }
        for (Timeline.Gc p : t.pauses) {
            slices.add(new Slice(p.begin(), p.end(), "STW " + p.name(), "gc", null, null, null));
        }
        writeNested(GC_TRACK, slices, Map.of());
    }

    private void describeTracks() {
        int m = startPacket(t.start);
        int d = out.startMessage();
        out.int64(TRACK_UUID, PROCESS_TRACK);
        int p = out.startMessage();
        out.int64(PROCESS_PID, t.pid);
        out.string(PROCESS_NAME, t.processName);
        out.endMessage(TRACK_PROCESS, p);
        out.endMessage(PACKET_TRACK_DESCRIPTOR, d);
        out.endMessage(TRACE_PACKET, m);
        namedTrack(GC_TRACK, PROCESS_TRACK, "GC", false);
        namedTrack(HEAP_TRACK, PROCESS_TRACK, "Heap used", true);
        boolean anyVirtual = t.threads.values().stream().anyMatch(tr -> tr.virtual);
        if (anyVirtual) namedTrack(VIRTUAL_GROUP_TRACK, PROCESS_TRACK, "Virtual threads", false);
        long uuid = FIRST_THREAD_TRACK;
        for (ThreadTrack tr : t.threads.values()) {
            threadTracks.put(tr.id, uuid);
            if (tr.virtual) {
                namedTrack(uuid, VIRTUAL_GROUP_TRACK, "VirtualThread[#" + tr.id + "] " + tr.name, false);
            } else {
                m = startPacket(t.start);
                d = out.startMessage();
                out.int64(TRACK_UUID, uuid);
                int th = out.startMessage();
                out.int64(THREAD_PID, t.pid);
                out.int64(THREAD_TID, tr.id);
                out.string(THREAD_NAME, tr.name);
                out.endMessage(TRACK_THREAD, th);
                out.endMessage(PACKET_TRACK_DESCRIPTOR, d);
                out.endMessage(TRACE_PACKET, m);
            }
            uuid++;
        }
        for (Timeline.TaskSpan task : t.tasks) namedTrack(FIRST_TASK_TRACK + task.id(), PROCESS_TRACK, "Tasks", false);
    }

    private void namedTrack(long uuid, long parent, String name, boolean counter) {
        int m = startPacket(t.start);
        int d = out.startMessage();
        out.int64(TRACK_UUID, uuid);
        out.int64(TRACK_PARENT_UUID, parent);
        out.string(TRACK_NAME, name);
        if (counter) {
            int c = out.startMessage();
            out.int64(COUNTER_UNIT, 3);
            out.endMessage(TRACK_COUNTER, c);
        }
        if (parent == VIRTUAL_GROUP_TRACK) out.int64(TRACK_SIBLING_MERGE, 2);
        out.endMessage(PACKET_TRACK_DESCRIPTOR, d);
        out.endMessage(TRACE_PACKET, m);
    }

    /** A slice or region on a thread track: begin, end, and what to write with them ({@code labels} may be null). */
    private record Slice(long begin, long end, String name, String category, Block block, Frame[] stack,
                         LabelSet labels) {}

    /** Writes a thread's waits and regions as properly nested slices, then its instants. */
    private void threadEvents(ThreadTrack tr, Map<Block, Long> flows, List<long[]> wakes) {
        long track = threadTracks.get(tr.id);
        List<Slice> slices = new ArrayList<>();
        for (Timeline.Region r : tr.regions) {
            slices.add(new Slice(r.begin(), r.end(), r.name(), "region", null, r.stack(), r.labels()));
        }
        for (Block b : tr.blocks) {
            slices.add(new Slice(b.begin(), b.end(), b.kind().label(), "state", b, b.stack(), tr.labelsAt(b.begin())));
        }
        writeNested(track, slices, flows);
        for (Timeline.LogEntry l : tr.logs) {
            slice(l.ts(), TYPE_INSTANT, track, l.category() + "=" + l.message(), "log", "message", l.message(), null, 0,
                    0);
        }
        for (Timeline.LabelChange c : tr.labelChanges) {
            slice(c.ts(), TYPE_INSTANT, track, "labels " + c.labels(), TraceLabels.LOG_CATEGORY, null, null,
                    c.labels(), 0, 0);
        }
        for (long[] w : wakes) {
            slice(w[0], TYPE_INSTANT, track, "wake " + nameOf(w[2]), "wakeup", null, null, null, w[1], 0);
        }
        for (Timeline.Sample s : tr.samples) sample(s, track, tr.labelsAt(s.ts()));
    }

    private String nameOf(long tid) {
        ThreadTrack tr = t.threads.get(tid);
        return tr == null ? String.valueOf(tid) : tr.name;
    }

    /**
     * Writes {@code slices} on one track as properly nested BEGIN/END pairs: by begin, the longer first (it encloses),
     * and at equal spans in list order (a region encloses the wait inside it; a GC cycle its phases). A slice that would
     * outlast the one it begins in is cut at that one's end: Perfetto's slices on a track must nest.
     */
    private void writeNested(long track, List<Slice> slices, Map<Block, Long> flows) {
        List<Slice> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparingLong(Slice::begin).thenComparing(Comparator.comparingLong(Slice::end).reversed()));
        Deque<Slice> open = new ArrayDeque<>();
        for (Slice s : sorted) {
            while (!open.isEmpty() && open.peek().end() <= s.begin()) end(track, open.pop(), flows);
            if (!open.isEmpty() && s.end() > open.peek().end()) {
                s = new Slice(s.begin(), open.peek().end(), s.name(), s.category(), s.block(), s.stack(), s.labels());
            }
            boolean hasStack = s.stack() != null && s.stack().length > 0;
            slice(s.begin(), TYPE_SLICE_BEGIN, track, s.name(), s.category(), hasStack ? "stack" : null,
                    hasStack ? stackText(s.stack()) : null, s.labels(), 0, 0);
            open.push(s);
        }
        while (!open.isEmpty()) end(track, open.pop(), flows);
    }

    private void end(long track, Slice s, Map<Block, Long> flows) {
        long flow = s.block() == null ? 0 : flows.getOrDefault(s.block(), 0L);
        slice(s.end(), TYPE_SLICE_END, track, null, null, null, null, null, 0, flow);
    }

    /** Writes one event; {@code argName} and {@code labels} (each {@code labels.KEY}) may be null. */
    private void slice(long ts, int type, long track, String name, String category, String argName, String argValue,
                       LabelSet labels, long flow, long terminatingFlow) {
        int m = startPacket(ts);
        int e = out.startMessage();
        out.int64(EVENT_TYPE, type);
        out.int64(EVENT_TRACK_UUID, track);
        if (name != null) out.string(EVENT_NAME, name);
        if (category != null) out.string(EVENT_CATEGORIES, category);
        if (argName != null && argValue != null) {
            int a = out.startMessage();
            out.string(ANNOTATION_NAME, argName);
            out.string(ANNOTATION_STRING_VALUE, argValue);
            out.endMessage(EVENT_DEBUG_ANNOTATIONS, a);
        }
        labelArgs(labels);
        if (flow != 0) out.fixed64(EVENT_FLOW_IDS, flow);
        if (terminatingFlow != 0) out.fixed64(EVENT_TERMINATING_FLOW_IDS, terminatingFlow);
        out.endMessage(PACKET_TRACK_EVENT, e);
        endEventPacket(ts, m);
    }

    /** Writes each label as a string debug annotation {@code labels.KEY}: the UI groups them under "labels". */
    private void labelArgs(LabelSet labels) {
        if (labels == null) return;
        for (int i = 0; i < labels.size(); i++) {
            int a = out.startMessage();
            out.string(ANNOTATION_NAME, TraceLabels.ARG_PREFIX + labels.key(i));
            out.string(ANNOTATION_STRING_VALUE, labels.value(i));
            out.endMessage(EVENT_DEBUG_ANNOTATIONS, a);
        }
    }

    private void sample(Timeline.Sample s, long track, LabelSet labels) {
        int m = startPacket(s.ts());
        int e = out.startMessage();
        out.int64(EVENT_TYPE, TYPE_INSTANT);
        out.int64(EVENT_TRACK_UUID, track);
        out.string(EVENT_NAME, "cpu sample");
        out.string(EVENT_CATEGORIES, "cpu");
        int cs = out.startMessage();
        for (int i = s.stack().length - 1; i >= 0; i--) {
            Frame f = s.stack()[i];
            int fr = out.startMessage();
            out.string(FRAME_FUNCTION, f.functionName());
            if (f.sourcePath() != null) out.string(FRAME_FILE, f.sourcePath());
            if (f.line() > 0) out.int64(FRAME_LINE, f.line());
            out.endMessage(CALLSTACK_FRAMES, fr);
        }
        out.endMessage(EVENT_CALLSTACK, cs);
        labelArgs(labels);
        out.endMessage(PACKET_TRACK_EVENT, e);
        endEventPacket(s.ts(), m);
    }

    private void counter(long ts, long track, long value) {
        int m = startPacket(ts);
        int e = out.startMessage();
        out.int64(EVENT_TYPE, TYPE_COUNTER);
        out.int64(EVENT_TRACK_UUID, track);
        out.int64(EVENT_COUNTER_VALUE, value);
        out.endMessage(PACKET_TRACK_EVENT, e);
        endEventPacket(ts, m);
    }

    /** Ends the event packet started at {@code mark} and notes where it lies, for {@link #inTimeOrder}. */
    private void endEventPacket(long ts, int mark) {
        out.endMessage(TRACE_PACKET, mark);
        eventPackets.add(new long[] {ts, mark, out.size()});
    }

    /** Starts a packet at {@code ts} (a nanoTime) on diag's one sequence; returns the mark for endMessage. */
    private int startPacket(long ts) {
        int m = out.startMessage();
        out.int64(PACKET_TIMESTAMP, ts - t.start + 1000);
        out.int64(PACKET_SEQUENCE_ID, SEQUENCE);
        if (first) {
            out.int64(PACKET_FIRST_ON_SEQUENCE, 1);
            first = false;
        }
        return m;
    }

    static String stackText(Frame[] stack) {
        if (stack == null) return "";
        StringBuilder sb = new StringBuilder();
        for (Frame f : stack) {
            if (sb.length() > 0) sb.append('\n');
            sb.append(f);
        }
        return sb.toString();
    }
}
