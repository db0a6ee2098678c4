package dev.diag.it;

import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.LegacyTextWriter;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.Sample;
import dev.diag.stack.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * diag's legacy text (what {@code debug=1} serves for heap, block and mutex) read back by the real
 * {@code go tool pprof}: the values it parses must be the values diag meant, with no second scaling.
 */
class LegacyTextIT {
    private static final Frame LEAF = new Frame("app.Work", "allocate", "()V", "Work.java", 10);
    private static final Frame ROOT = new Frame("app.Work", "main", "([Ljava/lang/String;)V", "Work.java", 3);
    private static final Frame OTHER = new Frame("app.Lock", "hold", "()V", "Lock.java", 7);

    @Test
    void givenHeapProfile_whenWrittenAsText_thenPprofReadsTheSameFourValues(@TempDir Path dir) throws Exception {
        ProfileData heap = new ProfileData(GoProfiles.MEMORY_TYPES, null, GoProfiles.MEMORY_PERIOD_TYPE, 524288,
                System.currentTimeMillis() * 1_000_000L, 0, List.of(
                        new Sample(new Frame[] {LEAF, ROOT}, new long[] {40, 40_960, 10, 10_240}),
                        new Sample(new Frame[] {OTHER, ROOT}, new long[] {3, 3_000_000, 1, 1_000_000})), List.of());

        String text = LegacyTextWriter.write("heap", heap, 0);
        RawProfile p = rawOfText(Files.writeString(dir.resolve("heap.txt"), text));

        assertThat(text).startsWith("heap profile: 11: 1010240 [43: 3040960] @ heap/2\n").contains("\n# runtime.MemStats\n");
        assertThat(p.sampleTypes).containsExactly("alloc_objects/count", "alloc_space/bytes", "inuse_objects/count",
                "inuse_space/bytes");
        assertThat(p.total("alloc_space/bytes")).isEqualTo(3_040_960);
        assertThat(p.total("inuse_space/bytes")).isEqualTo(1_010_240);
        assertThat(p.total("alloc_objects/count")).isEqualTo(43);
        assertThat(p.total("inuse_objects/count")).isEqualTo(11);
    }

    @Test
    void givenBlockAndMutexProfiles_whenWrittenAsText_thenPprofReadsContentionsAndNanoseconds(@TempDir Path dir)
            throws Exception {
        List<Sample> samples = List.of(
                new Sample(new Frame[] {OTHER, ROOT}, new long[] {500, 7_000_000_000L}),
                new Sample(new Frame[] {LEAF, ROOT}, new long[] {20, 1_000_000}));
        ProfileData contention = new ProfileData(GoProfiles.CONTENTION_TYPES, null,
                GoProfiles.CONTENTION_PERIOD_TYPE, 1, System.currentTimeMillis() * 1_000_000L, 0, samples, List.of());

        String block = LegacyTextWriter.write("block", contention, 0);
        String mutex = LegacyTextWriter.write("mutex", contention, 5);
        RawProfile b = rawOfText(Files.writeString(dir.resolve("block.txt"), block));
        RawProfile m = rawOfText(Files.writeString(dir.resolve("mutex.txt"), mutex));

        assertThat(block).startsWith("--- contention:\ncycles/second=1000000000\n7000000000 500 @ 0x");
        assertThat(mutex).startsWith("--- mutex:\ncycles/second=1000000000\nsampling period=5\n1400000000 100 @ 0x");
        for (RawProfile p : List.of(b, m)) {
            assertThat(p.sampleTypes).containsExactly("contentions/count", "delay/nanoseconds");
            assertThat(p.total("contentions/count")).isEqualTo(520);
            assertThat(p.total("delay/nanoseconds")).isEqualTo(7_001_000_000L);
        }
    }

    /**
     * Returns {@code go tool pprof -raw FILE}. A legacy text file has no binary to symbolize against, so pprof says
     * "Main binary filename not available." (over HTTP it asks {@code /symbol} instead); anything else fails.
     */
    private static RawProfile rawOfText(Path file) throws Exception {
        GoTool.Result r = GoTool.run(List.of("go", "tool", "pprof", "-raw", file.toString()), 120);
        String stderr = r.stderr().replace("Main binary filename not available.", "").trim();
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(stderr).as("pprof's complaints about %s", file.getFileName()).isEmpty();
        return RawProfile.parse(r.stdout());
    }
}
