package dev.diag.it;

import dev.diag.it.workloads.SpawnEvery200ms;
import org.junit.jupiter.api.Test;
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
