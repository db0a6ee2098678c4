package dev.diag.it;

import dev.diag.it.workloads.FirstLineWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

/**
 * Issue 11: with {@code -javaagent}, the hooks are in before {@code main} runs. The workload starts threads on its
 * first line and contends on a lock at once, never waiting for diag's start-up ({@link FirstLineWorkload}); the
 * threadcreate profile must count every early thread and the block profile the lock waits within 5% of what the
 * workload measured. The JVM verifies the boot classes too, so the woven JDK classes' stack map frames are checked.
 */
class FirstLineOfMainIT {
    private static final String LOCK_SITE = "FirstLineWorkload.waitForLock";

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenJavaagent_whenMainStartsThreadsAndContendsAtOnce_thenThreadcreateAndBlockMissNothing(Jdk jdk,
            @TempDir Path dir) throws Exception {
        Map<String, Double> truth = null;
        RawProfile block = null;
        RawProfile threadcreate = null;
        for (long ms = 2000; ms <= 4000; ms *= 2) { // a miss (scheduling noise on a shared machine): once more, longer
            Path out = Files.createDirectories(dir.resolve("run-" + ms));
            AgentJvm jvm = AgentJvm.of(FirstLineWorkload.class).jdk(jdk)
                    .jvmArg("-XX:+UnlockDiagnosticVMOptions").jvmArg("-XX:+BytecodeVerificationLocal")
                    .agent("out=" + out + ",profiles=block,threadcreate,block.rate=1").args(Long.toString(ms)).start();
            int exit = jvm.waitForExit(Duration.ofSeconds(60));
            assertThat(exit).as("exit code; stderr: %s", jvm.stderr()).isZero();
            assertThat(jvm.stderrWithoutJvmWarnings()).as("no hook failed to weave or verify").isEmpty();
            truth = WorkloadTruth.of(jvm.stdout());
            block = GoTool.raw(out.resolve("block.pb.gz"));
            threadcreate = GoTool.raw(out.resolve("threadcreate.pb.gz"));
            if (within5(block.sum("delay/nanoseconds", s -> s.hasFrame(LOCK_SITE)), truth.get("waited_ns"))) break;
        }

        assertThat(threadcreate.sum("threadcreate/count", s -> s.hasFrame("FirstLineWorkload.startEarly")))
                .as("threads started on main's first line, %s ms after the JVM started", truth.get("early_ms"))
                .isEqualTo(FirstLineWorkload.EARLY);
        assertThat(truth.get("waited_ns")).as("the waiters waited").isGreaterThan(1e9);
        assertThat(block.sum("delay/nanoseconds", s -> s.hasFrame(LOCK_SITE)))
                .as("lock waits recorded from the first one on")
                .isCloseTo(truth.get("waited_ns").longValue(), withPercentage(5));
        assertThat(block.total("delay/nanoseconds")).isGreaterThanOrEqualTo(
                block.sum("delay/nanoseconds", s -> s.hasFrame(LOCK_SITE)));
    }

    private static boolean within5(long measured, double truth) {
        return Math.abs(measured - truth) <= 0.05 * truth;
    }
}
