package dev.diag.pprof;

import dev.diag.stack.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileDeltaTest {
    private static final Frame A = new Frame("app.Alloc", "small", "()V", "Alloc.java", 10);
    private static final Frame B = new Frame("app.Alloc", "large", "()V", "Alloc.java", 20);

    @Test
    void givenTwoSnapshots_whenDelta_thenOnlyWhatChangedRemains() {
        ProfileData before = allocs(1_000, List.of(
                new Sample(new Frame[] {A}, new long[] {5, 500, 0, 0}),
                new Sample(new Frame[] {B}, new long[] {1, 9000, 0, 0})));
        ProfileData after = allocs(3_000, List.of(
                new Sample(new Frame[] {A}, new long[] {8, 800, 0, 0}),
                new Sample(new Frame[] {B}, new long[] {1, 9000, 0, 0})));

        ProfileData delta = ProfileDelta.between(before, after);

        assertThat(delta.samples()).hasSize(1);
        assertThat(delta.samples().get(0).stack()).containsExactly(A);
        assertThat(delta.samples().get(0).values()).containsExactly(3, 300, 0, 0);
        assertThat(delta.timeNanos()).isEqualTo(1_000);
        assertThat(delta.durationNanos()).isEqualTo(2_000);
        assertThat(delta.sampleTypes()).isEqualTo(GoProfiles.MEMORY_TYPES);
    }

    @Test
    void givenSameStackWithDifferentLabels_whenDelta_thenKeptApart() {
        Sample labelled = new Sample(new Frame[] {A}, new long[] {2, 200, 0, 0}, List.of(Label.string("k", "v")));
        ProfileData before = allocs(0, List.of());
        ProfileData after = allocs(1, List.of(labelled, new Sample(new Frame[] {A}, new long[] {1, 100, 0, 0})));

        ProfileData delta = ProfileDelta.between(before, after);

        assertThat(delta.samples()).hasSize(2);
    }

    private static ProfileData allocs(long time, List<Sample> samples) {
        return new ProfileData(GoProfiles.MEMORY_TYPES, GoProfiles.ALLOCS_DEFAULT_SAMPLE_TYPE,
                GoProfiles.MEMORY_PERIOD_TYPE, 524288, time, 0, samples, List.of());
    }
}
