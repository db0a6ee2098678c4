package dev.diag.continuous;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WindowHistoryTest {
    private static final List<String> STAMPS =
            List.of("20261206T100000Z", "20261206T100001Z", "20261206T100002Z", "20261206T100003Z");

    @Test
    void givenKeep2_whenFourWindowsOfTwoProfiles_thenNewestTwoOfEachAndExitFilesStay(@TempDir Path dir) throws Exception {
        windows(dir, 100, "cpu", "allocs");
        Files.write(dir.resolve("cpu.pb.gz"), new byte[100]);
        Files.write(dir.resolve(".cpu-20261206T090000Z.pb.gz.123.tmp"), new byte[100]);

        int deleted = new WindowHistory(2, 0).prune(dir);

        assertThat(deleted).isEqualTo(4);
        assertThat(names(dir)).containsExactly(".cpu-20261206T090000Z.pb.gz.123.tmp",
                "allocs-20261206T100002Z.pb.gz", "allocs-20261206T100003Z.pb.gz",
                "cpu-20261206T100002Z.pb.gz", "cpu-20261206T100003Z.pb.gz", "cpu.pb.gz");
    }

    @Test
    void givenMax450Bytes_whenFourWindowsOf200Bytes_thenOldestWholeWindowsGoUntilUnder(@TempDir Path dir) throws Exception {
        windows(dir, 100, "cpu", "allocs"); // 200 bytes per window

        new WindowHistory(0, 450).prune(dir);

        assertThat(names(dir)).containsExactly("allocs-20261206T100002Z.pb.gz", "allocs-20261206T100003Z.pb.gz",
                "cpu-20261206T100002Z.pb.gz", "cpu-20261206T100003Z.pb.gz");
    }

    @Test
    void givenMaxSmallerThanOneWindow_whenPruned_thenTheNewestWindowStays(@TempDir Path dir) throws Exception {
        windows(dir, 100, "cpu");

        new WindowHistory(0, 10).prune(dir);

        assertThat(names(dir)).containsExactly("cpu-20261206T100003Z.pb.gz");
    }

    @Test
    void givenNoLimits_whenPruned_thenNothingIsDeleted(@TempDir Path dir) throws Exception {
        windows(dir, 100, "cpu");

        int deleted = new WindowHistory(0, 0).prune(dir);

        assertThat(deleted).isZero();
        assertThat(names(dir)).hasSize(4);
    }

    private static void windows(Path dir, int size, String... profiles) throws Exception {
        for (String stamp : STAMPS) {
            for (String p : profiles) Files.write(dir.resolve(p + "-" + stamp + ".pb.gz"), new byte[size]);
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
