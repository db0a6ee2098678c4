package dev.diag.view;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Label;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.ProfileEncoder;
import dev.diag.pprof.Sample;
import dev.diag.pprof.ValueType;
import dev.diag.stack.Frame;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decodes what the focus writes with protobuf-java's generic parser, not with diag's own reader. */
class ProfileFocusTest {
    private static final Frame BURN = new Frame("app.Work", "burn", "()V", "Work.java", 10);
    private static final Frame ALLOCATE = new Frame("app.Work", "allocate", "()V", "Work.java", 20);
    private static final Frame ALPHA = new Frame("app.Work", "alphaJob", "()V", "Work.java", 30);
    private static final Frame BETA = new Frame("app.Work", "betaJob", "()V", "Work.java", 40);

    /** A heap-shaped profile: four types; burn has only in-use values, allocate only allocated ones. */
    private static byte[] heap() {
        return ProfileEncoder.toGzip(new ProfileData(GoProfiles.MEMORY_TYPES, null,
                new ValueType("space", "bytes"), 524288, 1_000, 0, List.of(
                        new Sample(new Frame[] {ALLOCATE}, new long[] {5, 5000, 0, 0}),
                        new Sample(new Frame[] {BURN}, new long[] {0, 0, 2, 200}),
                        new Sample(new Frame[] {ALPHA}, new long[] {1, 100, 1, 100},
                                List.of(Label.string("job", "alpha"), Label.number("bytes", 100, "bytes"))),
                        new Sample(new Frame[] {BETA}, new long[] {3, 300, 0, 0},
                                List.of(Label.string("job", "beta")))),
                List.of()));
    }

    @Test
    void givenHeapProfile_whenSummarized_thenTypesLabelsAndSpeedscopesDefaultAreListed() {
        ProfileFocus.Summary s = ProfileFocus.summarize(heap());

        assertThat(s.sampleTypes()).containsExactly("alloc_objects", "alloc_space", "inuse_objects", "inuse_space");
        assertThat(s.units()).containsExactly("count", "bytes", "count", "bytes");
        assertThat(s.defaultType()).as("no default_sample_type: the last, as speedscope").isEqualTo("inuse_space");
        assertThat(s.labels()).isEqualTo(Map.of("job", Map.of("alpha", 1L, "beta", 1L)));
        assertThat(s.numericKeys()).containsExactly("bytes");
    }

    @Test
    void givenProfileWithDefaultType_whenSummarized_thenDefaultIsThatType() {
        byte[] cpu = ProfileEncoder.toGzip(new ProfileData(List.of(new ValueType("samples", "count"),
                new ValueType("cpu", "nanoseconds")), "samples", new ValueType("cpu", "nanoseconds"), 1_000_000,
                1, 0, List.of(new Sample(new Frame[] {BURN}, new long[] {1, 1_000_000})), List.of()));

        assertThat(ProfileFocus.summarize(cpu).defaultType()).isEqualTo("samples");
    }

    @Test
    void givenAllocSpace_whenFocused_thenOneSampleTypeAndOnlyTheSamplesWithSuchValues() throws Exception {
        ProfileFocus.Focused f = ProfileFocus.apply(heap(), "alloc_space", null);

        UnknownFieldSet p = UnknownFieldSet.parseFrom(gunzip(f.profile()));
        assertThat(types(p)).containsExactly("alloc_space/bytes");
        assertThat(p.hasField(14)).as("no default_sample_type left").isFalse();
        assertThat(leafValues(p)).isEqualTo(Map.of("allocate", 5000L, "alphaJob", 100L, "betaJob", 300L));
        assertThat(f.samples()).isEqualTo(3);
        assertThat(p.getField(12).getVarintList()).as("the period is kept").containsExactly(524288L);
    }

    @Test
    void givenNoSampleType_whenFocused_thenSpeedscopesDefaultIsKept() throws Exception {
        UnknownFieldSet p = UnknownFieldSet.parseFrom(gunzip(ProfileFocus.apply(heap(), "", "").profile()));

        assertThat(types(p)).containsExactly("inuse_space/bytes");
        assertThat(leafValues(p)).isEqualTo(Map.of("burn", 200L, "alphaJob", 100L));
    }

    @Test
    void givenTagfocus_whenFocused_thenOnlyThatValuesSamplesWithTheirLabels() throws Exception {
        ProfileFocus.Focused f = ProfileFocus.apply(heap(), "alloc_objects", "job=beta");

        UnknownFieldSet p = UnknownFieldSet.parseFrom(gunzip(f.profile()));
        assertThat(leafValues(p)).isEqualTo(Map.of("betaJob", 3L));
        UnknownFieldSet sample = UnknownFieldSet.parseFrom(p.getField(2).getLengthDelimitedList().get(0));
        assertThat(sample.getField(3).getLengthDelimitedList()).as("its label is kept").hasSize(1);
    }

    @Test
    void givenTagfocusOnAnotherTypesSamples_whenFocused_thenNothingIsLeft() {
        ProfileFocus.Focused f = ProfileFocus.apply(heap(), "inuse_space", "job=beta");

        assertThat(f.samples()).isZero();
    }

    @Test
    void givenUnknownChoices_whenFocused_thenTheMessageNamesWhatTheProfileHas() {
        byte[] heap = heap();

        assertThatThrownBy(() -> ProfileFocus.apply(heap, "cpu", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown sample_type \"cpu\": this profile has alloc_objects, alloc_space, inuse_objects,"
                        + " inuse_space");
        assertThatThrownBy(() -> ProfileFocus.apply(heap, null, "job"))
                .hasMessage("tagfocus must be KEY=VALUE, not \"job\" (this profile's labels: job)");
        assertThatThrownBy(() -> ProfileFocus.apply(heap, null, "tenant=acme"))
                .hasMessage("no label \"tenant\" in this profile; this profile's labels: job");
        assertThatThrownBy(() -> ProfileFocus.apply(heap, null, "bytes=100"))
                .hasMessage("no label \"bytes\" in this profile with string values (tagfocus takes string labels);"
                        + " this profile's labels: job");
        assertThatThrownBy(() -> ProfileFocus.apply(heap, null, "job=gamma"))
                .hasMessage("no sample has label job=gamma; job's values: alpha, beta");
    }

    @Test
    void givenNotAProfile_whenFocused_thenIllegalArgumentSaysSo() {
        assertThatThrownBy(() -> ProfileFocus.apply("hello".getBytes(), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a pprof profile: ");
        assertThatThrownBy(() -> ProfileFocus.summarize(new byte[] {0x1f, (byte) 0x8b, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a pprof profile: ");
    }

    static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static List<String> strings(UnknownFieldSet p) {
        List<String> out = new ArrayList<>();
        for (ByteString s : p.getField(6).getLengthDelimitedList()) out.add(s.toStringUtf8());
        return out;
    }

    private static List<String> types(UnknownFieldSet p) throws Exception {
        List<String> strings = strings(p);
        List<String> out = new ArrayList<>();
        for (ByteString vt : p.getField(1).getLengthDelimitedList()) {
            UnknownFieldSet t = UnknownFieldSet.parseFrom(vt);
            out.add(strings.get(t.getField(1).getVarintList().get(0).intValue()) + "/"
                    + strings.get(t.getField(2).getVarintList().get(0).intValue()));
        }
        return out;
    }

    /** Each sample's leaf function name (simple method name) → its one value. */
    private static Map<String, Long> leafValues(UnknownFieldSet p) throws Exception {
        List<String> strings = strings(p);
        Map<Long, String> functions = new HashMap<>();
        for (ByteString f : p.getField(5).getLengthDelimitedList()) {
            UnknownFieldSet fn = UnknownFieldSet.parseFrom(f);
            functions.put(fn.getField(1).getVarintList().get(0),
                    strings.get(fn.getField(2).getVarintList().get(0).intValue()));
        }
        Map<Long, String> locations = new HashMap<>();
        for (ByteString l : p.getField(4).getLengthDelimitedList()) {
            UnknownFieldSet loc = UnknownFieldSet.parseFrom(l);
            UnknownFieldSet line = UnknownFieldSet.parseFrom(loc.getField(4).getLengthDelimitedList().get(0));
            locations.put(loc.getField(1).getVarintList().get(0),
                    functions.get(line.getField(1).getVarintList().get(0)));
        }
        Map<String, Long> out = new HashMap<>();
        for (ByteString s : p.getField(2).getLengthDelimitedList()) {
            UnknownFieldSet sample = UnknownFieldSet.parseFrom(s);
            List<Long> ids = varints(sample.getField(1));
            List<Long> values = varints(sample.getField(2));
            assertThat(values).as("one value per sample").hasSize(1);
            String leaf = locations.get(ids.get(0));
            out.put(leaf.substring(leaf.lastIndexOf('.') + 1), values.get(0));
        }
        return out;
    }

    /** A repeated scalar, packed (one length-delimited run) or not. */
    private static List<Long> varints(UnknownFieldSet.Field f) throws Exception {
        List<Long> out = new ArrayList<>(f.getVarintList());
        for (ByteString packed : f.getLengthDelimitedList()) {
            com.google.protobuf.CodedInputStream in = packed.newCodedInput();
            while (!in.isAtEnd()) out.add(in.readInt64());
        }
        return out;
    }
}
