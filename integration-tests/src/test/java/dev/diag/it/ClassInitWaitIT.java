package dev.diag.it;

import dev.diag.it.workloads.ClassInitWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

/**
 * Waiting for another thread's static initializer is blocking the JVM reports as a monitor wait: the block profile
 * shows it under its own leaf, {@code jvm.waitForClassInitialization}, on top of the code that touched the class.
 */
class ClassInitWaitIT {
    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenThreadsTouchingAClassStillBeingInitialized_whenBlockProfiled_thenTheirWaitHasItsOwnLeafAndItsLength(
            Jdk jdk, @TempDir Path dir) throws Exception {
        AgentJvm jvm = AgentJvm.of(ClassInitWorkload.class).jdk(jdk).agent("out=" + dir + ",profiles=block").start();

        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as("stderr %s", jvm.stderr()).isZero();

        double truth = WorkloadTruth.of(jvm.stdout()).get("waited_ns");
        RawProfile block = GoTool.raw(dir.resolve("block.pb.gz"));
        assertThat(block.samples).filteredOn(s -> s.hasFrame("ClassInitWorkload.touchTheClass")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.stack().get(0)).isEqualTo("jvm.waitForClassInitialization"));
        assertThat((double) block.sum("delay/nanoseconds", s -> s.hasFrame("ClassInitWorkload.touchTheClass")))
                .isCloseTo(truth, withPercentage(25));
    }
}
