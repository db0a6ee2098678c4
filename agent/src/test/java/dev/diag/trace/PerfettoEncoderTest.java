package dev.diag.trace;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.diag.hook.LabelSet;
import dev.diag.hook.TraceEventLog;
import dev.diag.stack.Frame;
import dev.diag.stack.StackTable;
import dev.diag.trace.Timeline.BlockKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Perfetto encoder's file layout, read back with protobuf-java's schema-less parser (field numbers of
 * perfetto_trace.proto; the integration tests parse with the vendored schema).
 */
class PerfettoEncoderTest {
    private static final Frame[] STACK = {new Frame("app.Worker", "run", null, "Worker.java", 7)};

    /**
     * One decoded packet: its timestamp, track event type and name (null when absent), or a descriptor; the string
     * debug annotations of an event by name.
     */
    private record Packet(long ts, boolean descriptor, long type, String name, Map<String, String> args) {}

    @Test
    void givenWaitsOnTwoThreadsThatInterleave_whenEncoded_thenDescriptorsComeFirstAndEventsInTimestampOrder()
            throws Exception {
        TimelineBuilder b = new TimelineBuilder(0, 1_000);
        b.thread(1, "first", false);
        b.thread(2, "second", false);
        b.addBlock(1, BlockKind.SLEEP, 100, 300, STACK, 0);
        b.addBlock(2, BlockKind.SLEEP, 200, 400, STACK, 0);
        b.addBlock(1, BlockKind.SLEEP, 500, 600, STACK, 0);

        List<Packet> packets = decode(PerfettoEncoder.encode(b.build()));

        int firstEvent = 0;
        while (packets.get(firstEvent).descriptor()) firstEvent++;
        assertThat(packets.subList(firstEvent, packets.size())).noneMatch(Packet::descriptor)
                .extracting(Packet::ts).isSorted().hasSize(6);
    }

    @Test
    void givenAConcurrentCycleWithPhasesAndPauses_whenEncoded_thenTheGcTrackNestsThemByTime() throws Exception {
        TimelineBuilder b = new TimelineBuilder(0, 10_000);
        b.addGc("G1Old", 1_000, 9_000);
        b.addConcurrentPhase("Concurrent Mark From Roots", 0, 1_100, 4_000);
        b.addConcurrentPhase("Concurrent Preclean", 0, 4_000, 4_500);
        b.addConcurrentPhase("Preclean WeakReferences", 1, 4_100, 4_200);
        b.addPause("Pause Remark", 4_500, 5_000);
        // A young pause inside a phase nests in it; one that outlasts its phase by a clock tick is cut at its end.
        b.addPause("Pause Young", 2_000, 2_500);
        b.addConcurrentPhase("Concurrent Rebuild Remembered Sets", 0, 5_000, 6_000);
        b.addPause("Pause Cleanup", 5_900, 6_001);

        List<String> nested = nesting(decode(PerfettoEncoder.encode(b.build())));

        assertThat(nested).containsExactly(
                "G1Old", "G1Old > Concurrent Mark From Roots", "G1Old > Concurrent Mark From Roots > STW Pause Young",
                "G1Old > Concurrent Preclean", "G1Old > Concurrent Preclean > Preclean WeakReferences",
                "G1Old > STW Pause Remark", "G1Old > Concurrent Rebuild Remembered Sets",
                "G1Old > Concurrent Rebuild Remembered Sets > STW Pause Cleanup");
    }

    @Test
    void givenLabelsThatChangeInsideARegion_whenEncoded_thenRegionsWaitsAndChangesCarryThemAsLabelArgs()
            throws Exception {
        long t0 = 1_000_000_000L;
        long tid = 1;
        LabelSet tenant = LabelSet.EMPTY.with("tenant", "a");
        LabelSet span = tenant.with("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7",
                "span_name", "checkout");
        TraceEventLog log = new TraceEventLog(64);
        log.appendAt(t0 + 100, TraceEventLog.TYPE_LABELS, tid, 0, 0, span, null);
        log.appendAt(t0 + 200, TraceEventLog.TYPE_REGION_BEGIN, tid, 0, 0, "charge", null);
        log.appendAt(t0 + 500, TraceEventLog.TYPE_REGION_END, tid, 0, 0, null, null);
        log.appendAt(t0 + 600, TraceEventLog.TYPE_LABELS, tid, 0, 0, tenant, null);
        TimelineBuilder b = new TimelineBuilder(t0, t0 + 1_000);
        b.thread(tid, "main", false);
        b.addBlock(tid, BlockKind.SLEEP, t0 + 700, t0 + 800, STACK, 0);
        b.addLog(log, StackTable.SHARED);

        List<Packet> events = decode(PerfettoEncoder.encode(b.build())).stream().filter(p -> !p.descriptor()).toList();

        Map<String, String> spanArgs = Map.of("labels.tenant", "a",
                "labels.trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "labels.span_id", "00f067aa0ba902b7",
                "labels.span_name", "checkout");
        assertThat(named(events, "charge").args()).isEqualTo(spanArgs);
        assertThat(named(events, "labels " + span).args()).isEqualTo(spanArgs);
        assertThat(named(events, "labels " + span).type()).isEqualTo(PerfettoEncoder.TYPE_INSTANT);
        assertThat(named(events, "labels {tenant=a}").args()).isEqualTo(Map.of("labels.tenant", "a"));
        assertThat(named(events, "sleeping").args()).as("a wait: the labels at its begin, and its stack")
                .containsEntry("labels.tenant", "a").doesNotContainKey("labels.span_id").containsKey("stack");
    }

    private static Packet named(List<Packet> packets, String name) {
        return packets.stream().filter(p -> name.equals(p.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no event " + name + " in " + packets));
    }

    /** Replays the track events in file order (one track here) and returns each slice's path of enclosing names. */
    private static List<String> nesting(List<Packet> packets) {
        Deque<String> open = new ArrayDeque<>();
        List<String> out = new ArrayList<>();
        for (Packet p : packets) {
            if (p.descriptor()) continue;
            if (p.type() == PerfettoEncoder.TYPE_SLICE_BEGIN) {
                open.addLast(p.name());
                out.add(String.join(" > ", open));
            } else if (p.type() == PerfettoEncoder.TYPE_SLICE_END) {
                assertThat(open).as("an END closes an open slice").isNotEmpty();
                open.removeLast();
            }
        }
        assertThat(open).as("every slice ends").isEmpty();
        return out;
    }

    private static List<Packet> decode(byte[] trace) throws Exception {
        List<Packet> out = new ArrayList<>();
        for (ByteString bytes : UnknownFieldSet.parseFrom(trace).getField(1).getLengthDelimitedList()) {
            UnknownFieldSet packet = UnknownFieldSet.parseFrom(bytes);
            long ts = packet.getField(8).getVarintList().get(0);
            if (packet.hasField(60)) {
                out.add(new Packet(ts, true, 0, null, Map.of()));
                continue;
            }
            UnknownFieldSet event = UnknownFieldSet.parseFrom(packet.getField(11).getLengthDelimitedList().get(0));
            List<ByteString> name = event.getField(23).getLengthDelimitedList();
            Map<String, String> args = new LinkedHashMap<>();
            for (ByteString a : event.getField(4).getLengthDelimitedList()) {
                UnknownFieldSet annotation = UnknownFieldSet.parseFrom(a);
                List<ByteString> value = annotation.getField(6).getLengthDelimitedList();
                args.put(annotation.getField(10).getLengthDelimitedList().get(0).toStringUtf8(),
                        value.isEmpty() ? null : value.get(0).toStringUtf8());
            }
            out.add(new Packet(ts, false, event.getField(9).getVarintList().get(0),
                    name.isEmpty() ? null : name.get(0).toStringUtf8(), args));
        }
        return out;
    }
}
