package dev.diag.it;

import dev.diag.it.workloads.PushWorkload;
import dev.diag.it.workloads.SpawnEvery200ms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ContinuousProfilingIT {
    @Test
    void givenInterval_whenAppRuns_thenEachWindowHoldsOnlyItsOwnEvents(@TempDir Path dir) throws Exception {
        AgentJvm jvm = AgentJvm.of(SpawnEvery200ms.class)
                .agent("out=" + dir + ",interval=1s,profiles=threadcreate,goroutine").start();

        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        List<Path> windows = files(dir, "threadcreate-");
        assertThat(windows).as("1 s windows of a 4 s run").hasSizeGreaterThanOrEqualTo(2);
        for (Path w : windows) {
            RawProfile p = GoTool.raw(w);
            // One thread every 200 ms: 5 per 1 s window; edges and a slow machine move one or two.
            assertThat(p.sum("threadcreate/count", s -> s.hasFrame("SpawnEvery200ms.spawnOne")))
                    .as("threads started in window %s", w.getFileName()).isBetween(3L, 6L);
        }
        assertThat(files(dir, "goroutine-")).hasSameSizeAs(windows);
        RawProfile whole = GoTool.raw(dir.resolve("threadcreate.pb.gz"));
        assertThat(whole.sum("threadcreate/count", s -> s.hasFrame("SpawnEvery200ms.spawnOne"))).isEqualTo(20);
    }

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenKeep2_whenManyOneSecondWindows_thenTheTwoNewestWindowsPerProfileAndExitFilesStay(Jdk jdk,
            @TempDir Path dir) throws Exception {
        AgentJvm jvm = AgentJvm.of(PushWorkload.class).jdk(jdk)
                .agent("out=" + dir + ",interval=1s,out.keep=2,profiles=cpu,allocs").args("10").start();
        java.util.Set<String> seen = new java.util.TreeSet<>();
        while (jvm.isAlive()) { // every window file that ever existed, to tell the newest from the first ones
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[a-z]+-\\d{8}T\\d{6}Z\\.pb\\.gz"))
                        .forEach(seen::add);
            }
            Thread.sleep(50);
        }

        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        for (String profile : List.of("cpu", "allocs")) {
            List<String> kept = files(dir, profile + "-").stream().map(p -> p.getFileName().toString()).toList();
            java.util.TreeSet<String> union = new java.util.TreeSet<>(kept);
            seen.stream().filter(n -> n.startsWith(profile + "-")).forEach(union::add);
            List<String> all = List.copyOf(union);
            assertThat(all).as("%s windows written over the run", profile).hasSizeGreaterThanOrEqualTo(3);
            assertThat(kept).as("%s windows left", profile).isEqualTo(all.subList(all.size() - 2, all.size()));
            for (String w : kept) assertThat(GoTool.raw(dir.resolve(w)).samples).as("window %s parses", w).isNotNull();
            assertThat(dir.resolve(profile + ".pb.gz")).as("whole-run file").isNotEmptyFile();
        }
        assertThat(GoTool.raw(dir.resolve("cpu.pb.gz")).sum("cpu/nanoseconds", s -> s.hasFrame("pushBurnHot")))
                .isPositive();
    }

    @Test
    void givenIntervalWithoutOut_whenStarted_thenOneLineAndAppRuns() throws Exception {
        AgentJvm jvm = AgentJvm.of(SpawnEvery200ms.class).agent("interval=1s").start();

        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

        assertThat(jvm.stderrWithoutJvmWarnings())
                .isEqualTo("diag: interval= needs a usable out= directory; continuous profiling is off\n");
    }

    private static List<Path> files(Path dir, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }
}
