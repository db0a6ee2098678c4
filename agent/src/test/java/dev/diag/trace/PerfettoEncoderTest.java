package dev.diag.trace;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.diag.stack.Frame;
import dev.diag.trace.Timeline.BlockKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Perfetto encoder's file layout, read back with protobuf-java's schema-less parser (field numbers of
 * perfetto_trace.proto; the integration tests parse with the vendored schema).
 */
class PerfettoEncoderTest {
    private static final Frame[] STACK = {new Frame("app.Worker", "run", null, "Worker.java", 7)};

    /** One decoded packet: its timestamp, track event type and name (null when absent), or a descriptor. */
    private record Packet(long ts, boolean descriptor, long type, String name) {}

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
                out.add(new Packet(ts, true, 0, null));
                continue;
            }
            UnknownFieldSet event = UnknownFieldSet.parseFrom(packet.getField(11).getLengthDelimitedList().get(0));
            List<ByteString> name = event.getField(23).getLengthDelimitedList();
            out.add(new Packet(ts, false, event.getField(9).getVarintList().get(0),
                    name.isEmpty() ? null : name.get(0).toStringUtf8()));
        }
        return out;
    }
}
