package dev.diag.it;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.diag.it.perfetto.DebugAnnotation;
import dev.diag.it.perfetto.Trace;
import dev.diag.it.perfetto.TracePacket;
import dev.diag.it.perfetto.TrackDescriptor;
import dev.diag.it.perfetto.TrackEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Perfetto trace parsed with classes generated from the Perfetto messages diag writes
 * ({@code src/test/protobuf/perfetto/perfetto_trace_subset.proto}, taken from Perfetto's own protos), then paired the
 * way trace_processor pairs events: per track, BEGIN/END nest in timestamp order. Parsing fails on anything outside
 * that schema: an unknown field or enum value anywhere, a field written with another wire type (both parse as unknown
 * fields), a packet without timestamp, sequence id or payload, an event without a type or on an undescribed track.
 */
public final class PerfettoTrace {
    /** A track: thread tracks have a tid and the thread's name; others a plain name. */
    public record Track(long uuid, String name, long tid, boolean counter) {}

    /**
     * A slice with its depth on its track; flows that start here and flows that end at its END; the string debug
     * annotations of its BEGIN (a wait's {@code stack}); for an instant with a callstack (a CPU sample), its function
     * names, outermost first.
     */
    public record Slice(long track, String name, String category, long begin, long end, int depth,
                        List<Long> flowIds, List<Long> terminatingFlowIds, Map<String, String> args,
                        List<String> callstack) {
        public long duration() {
            return end - begin;
        }

        /** Returns whether {@code other} lies within this slice, give or take {@code slackNanos} at either end. */
        public boolean contains(Slice other, long slackNanos) {
            return other.begin() >= begin - slackNanos && other.end() <= end + slackNanos;
        }
    }

    public final Map<Long, Track> tracks = new HashMap<>();
    public final List<Slice> slices = new ArrayList<>();
    public final List<Slice> instants = new ArrayList<>();
    public final List<long[]> counters = new ArrayList<>();
    public int packets;

    /** Parses a {@code .perfetto-trace} file; fails (AssertionError) where it breaks the schema. */
    public static PerfettoTrace read(Path file) throws IOException {
        Trace trace = Trace.parseFrom(Files.readAllBytes(file));
        assertNoUnknownFields(trace, "Trace");
        PerfettoTrace t = new PerfettoTrace();
        record Event(long ts, int index, TrackEvent e) {}
        List<Event> events = new ArrayList<>();
        for (TracePacket packet : trace.getPacketList()) {
            String where = "packet " + t.packets++;
            check(packet.hasTimestamp(), where + " has no timestamp");
            check(packet.hasTrustedPacketSequenceId(), where + " has no trusted_packet_sequence_id");
            switch (packet.getDataCase()) {
                case TRACK_DESCRIPTOR -> t.addTrack(packet.getTrackDescriptor(), where);
                case TRACK_EVENT -> events.add(new Event(packet.getTimestamp(), events.size(), packet.getTrackEvent()));
                default -> throw new AssertionError(where + " has no payload: " + packet);
            }
        }
        events.sort(Comparator.comparingLong(Event::ts).thenComparingInt(Event::index));
        Map<Long, Deque<Slice>> open = new HashMap<>();
        for (Event ev : events) {
            TrackEvent e = ev.e();
            check(e.hasType() && e.getType() != TrackEvent.Type.TYPE_UNSPECIFIED, "event without a type: " + e);
            check(e.hasTrackUuid() && t.tracks.containsKey(e.getTrackUuid()), "event on an undescribed track: " + e);
            long track = e.getTrackUuid();
            String name = e.hasName() ? e.getName() : null;
            String category = e.getCategoriesCount() == 0 ? null : e.getCategories(0);
            Map<String, String> args = new HashMap<>();
            for (DebugAnnotation a : e.getDebugAnnotationsList()) {
                check(a.hasName() && a.hasStringValue(), "debug annotation without name or value: " + a);
                args.put(a.getName(), a.getStringValue());
            }
            List<String> callstack = e.getCallstack().getFramesList().stream()
                    .map(TrackEvent.InlineCallstack.Frame::getFunctionName).toList();
            Deque<Slice> stack = open.computeIfAbsent(track, k -> new ArrayDeque<>());
            switch (e.getType()) {
                case TYPE_SLICE_BEGIN -> stack.push(new Slice(track, name, category, ev.ts(), -1, stack.size(),
                        e.getFlowIdsList(), List.of(), args, callstack));
                case TYPE_SLICE_END -> {
                    check(!stack.isEmpty(), "SLICE_END with no open slice: " + e);
                    Slice s = stack.pop();
                    t.slices.add(new Slice(track, s.name(), s.category(), s.begin(), ev.ts(), s.depth(), s.flowIds(),
                            e.getTerminatingFlowIdsList(), s.args(), s.callstack()));
                }
                case TYPE_INSTANT -> t.instants.add(new Slice(track, name, category, ev.ts(), ev.ts(), stack.size(),
                        e.getFlowIdsList(), e.getTerminatingFlowIdsList(), args, callstack));
                case TYPE_COUNTER -> {
                    check(e.hasCounterValue() && t.tracks.get(track).counter(), "counter value misplaced: " + e);
                    t.counters.add(new long[] {track, ev.ts(), e.getCounterValue()});
                }
                default -> throw new AssertionError("unexpected type: " + e);
            }
        }
        open.values().forEach(stack -> check(stack.isEmpty(), "slice never ends: " + stack.peek()));
        return t;
    }

    private void addTrack(TrackDescriptor d, String where) {
        check(d.getUuid() != 0 && !tracks.containsKey(d.getUuid()), where + ": track uuid zero or reused: " + d);
        String name = d.hasName() ? d.getName() : null;
        long tid = 0;
        if (d.hasThread()) {
            check(d.getThread().hasPid() && d.getThread().hasTid(), where + ": thread track without pid/tid");
            tid = d.getThread().getTid();
            name = d.getThread().getThreadName();
        }
        if (d.hasProcess()) {
            check(d.getProcess().hasPid(), where + ": process track without pid");
            name = d.getProcess().getProcessName();
        }
        tracks.put(d.getUuid(), new Track(d.getUuid(), name, tid, d.hasCounter()));
    }

    /** Fails when {@code m} or any message inside it holds a field the schema does not name. */
    private static void assertNoUnknownFields(Message m, String path) {
        check(m.getUnknownFields().asMap().isEmpty(),
                path + " has fields outside diag's Perfetto schema: " + m.getUnknownFields().asMap().keySet());
        for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) continue;
            String child = path + "." + f.getKey().getName();
            if (f.getKey().isRepeated()) {
                List<?> values = (List<?>) f.getValue();
                for (int i = 0; i < values.size(); i++) assertNoUnknownFields((Message) values.get(i), child + "[" + i + "]");
            } else {
                assertNoUnknownFields((Message) f.getValue(), child);
            }
        }
    }

    private static void check(boolean ok, String problem) {
        if (!ok) throw new AssertionError(problem);
    }

    /** Returns the uuid of the thread track named {@code name}; fails when there is none. */
    public long threadTrack(String name) {
        return tracks.values().stream().filter(tr -> tr.tid() != 0 && name.equals(tr.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no thread track " + name + " in " + tracks.values())).uuid();
    }

    /** Returns the uuid of the track named {@code name} that is no thread's (GC, Heap used); fails when there is none. */
    public long namedTrack(String name) {
        return tracks.values().stream().filter(tr -> tr.tid() == 0 && name.equals(tr.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no track " + name + " in " + tracks.values())).uuid();
    }

    /** Returns the uuids of the virtual-thread tracks whose thread is named {@code name}, by thread name. */
    public Map<String, Long> virtualThreadTracks(String namePrefix) {
        Map<String, Long> out = new HashMap<>();
        for (Track tr : tracks.values()) {
            if (tr.tid() != 0 || tr.name() == null || !tr.name().startsWith("VirtualThread[#")) continue;
            String threadName = tr.name().substring(tr.name().indexOf("] ") + 2);
            if (threadName.startsWith(namePrefix)) out.put(threadName, tr.uuid());
        }
        return out;
    }

    /** Returns the slices named {@code name}. */
    public List<Slice> slices(String name) {
        return slices.stream().filter(s -> name.equals(s.name())).toList();
    }

    /** Returns the slices and instants on {@code track}. */
    public List<Slice> onTrack(long track, List<Slice> from) {
        return from.stream().filter(s -> s.track() == track).toList();
    }

    /** Returns the track of the instant where flow {@code flowId} starts, or null when none starts it. */
    public Long flowSourceTrack(long flowId) {
        return instants.stream().filter(i -> i.flowIds().contains(flowId)).map(Slice::track).findFirst().orElse(null);
    }

    /** Returns the one slice named {@code name}; fails when there is not exactly one. */
    public Slice slice(String name) {
        List<Slice> found = slices(name);
        if (found.size() != 1) throw new AssertionError("want one slice " + name + ", got " + found);
        return found.get(0);
    }
}
