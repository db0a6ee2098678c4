package dev.diag.pprof;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.diag.stack.Frame;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Decodes what the encoder writes with protobuf-java's generic parser: the wire format, not our own reader. */
class ProfileEncoderTest {
    private static final Frame LOCK = new Frame("java.util.concurrent.locks.ReentrantLock", "lock", "()V",
            "ReentrantLock.java", 322);
    private static final Frame WORK = new Frame("com.example.Worker", "run", "()V", "Worker.java", 17);
    private static final Frame WORK_OTHER_LINE = new Frame("com.example.Worker", "run", "()V", "Worker.java", 21);

    @Test
    void givenTwoSamples_whenEncoded_thenTablesAreGoShaped() throws Exception {
        ProfileData data = new ProfileData(GoProfiles.CONTENTION_TYPES, null, GoProfiles.CONTENTION_PERIOD_TYPE, 1,
                1_000, 0, List.of(
                        new Sample(new Frame[] {LOCK, WORK}, new long[] {3, 3000}),
                        new Sample(new Frame[] {LOCK, WORK_OTHER_LINE}, new long[] {1, 500},
                                List.of(Label.string("holder_thread", "main"), Label.number("bytes", 64, "bytes")))),
                List.of("a comment"));

        UnknownFieldSet profile = UnknownFieldSet.parseFrom(gunzip(ProfileEncoder.toGzip(data)));

        List<String> strings = strings(profile.getField(6).getLengthDelimitedList());
        assertThat(strings.get(0)).isEmpty();
        assertThat(new HashSet<>(strings)).hasSameSizeAs(strings);
        assertThat(profile.getField(3).getLengthDelimitedList()).hasSize(1);
        assertThat(ids(profile.getField(4).getLengthDelimitedList())).containsExactly(1L, 2L, 3L);
        assertThat(ids(profile.getField(5).getLengthDelimitedList())).containsExactly(1L, 2L);
        assertThat(profile.getField(2).getLengthDelimitedList()).hasSize(2);
        List<String> types = new ArrayList<>();
        for (ByteString vt : profile.getField(1).getLengthDelimitedList()) {
            UnknownFieldSet t = UnknownFieldSet.parseFrom(vt);
            types.add(strings.get((int) (long) t.getField(1).getVarintList().get(0)) + "/"
                    + strings.get((int) (long) t.getField(2).getVarintList().get(0)));
        }
        assertThat(types).containsExactly("contentions/count", "delay/nanoseconds");
        assertThat(profile.getField(12).getVarintList()).containsExactly(1L);
        assertThat(strings).contains("java.util.concurrent.locks.ReentrantLock.lock",
                "java.util.concurrent.locks.ReentrantLock.lock()V", "holder_thread", "main", "a comment");
    }

    @Test
    void givenSameInputTwice_whenEncoded_thenBytesAreEqual() {
        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample(new Frame[] {WORK}, new long[] {1}));
        samples.add(new Sample(new Frame[] {LOCK, WORK}, new long[] {2}));
        List<Sample> reversed = new ArrayList<>(samples);
        java.util.Collections.reverse(reversed);

        byte[] a = ProfileEncoder.encode(profile(samples));
        byte[] b = ProfileEncoder.encode(profile(reversed));

        assertThat(a).isEqualTo(b);
    }

    @Test
    void givenFrame_whenAddressedTwice_thenAddressIsStable() {
        long first = AddressTable.addressOf(WORK);

        long again = AddressTable.addressOf(new Frame("com.example.Worker", "run", "()V", "Worker.java", 17));

        assertThat(again).isEqualTo(first);
        assertThat(AddressTable.addressOf(WORK_OTHER_LINE)).isNotEqualTo(first);
        assertThat(AddressTable.frameAt(first)).isEqualTo(WORK);
    }

    private static ProfileData profile(List<Sample> samples) {
        return new ProfileData(GoProfiles.GOROUTINE_TYPES, null, GoProfiles.countPeriodType("goroutine"), 1, 5, 0,
                samples, List.of());
    }

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static List<String> strings(List<ByteString> raw) {
        List<String> out = new ArrayList<>();
        for (ByteString b : raw) out.add(b.toStringUtf8());
        return out;
    }

    private static List<Long> ids(List<ByteString> messages) throws Exception {
        List<Long> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (ByteString m : messages) {
            long id = UnknownFieldSet.parseFrom(m).getField(1).getVarintList().get(0);
            assertThat(id).isNotZero();
            assertThat(seen.add(id)).as("id %d unique", id).isTrue();
            out.add(id);
        }
        return out;
    }
}
