package dev.diag.it;

import dev.diag.it.workloads.LabelsWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Profile labels ({@code dev.diag.api.Labels}) on the CPU and goroutine profiles of real JVMs, read with the real
 * {@code go tool pprof}: a workload whose jobs differ only by label, checked against the CPU time it measured.
 */
class LabelsIT {
    private static final List<String> JOBS = List.of("six", "three", "one");

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenJobsThatDifferOnlyByLabel_whenCpuProfiled_thenEachLabelCarriesItsShareOfCpu(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        Map<String, Double> truth = null;
        Map<String, Double> measured = null;
        RawProfile cpu = null;
        for (long millis : new long[] {4_000, 8_000}) { // a longer run when sampling noise was unlucky
            AgentJvm jvm = AgentJvm.of(LabelsWorkload.class).jdk(jdk)
                    .agent("out=" + out + ",profiles=cpu,goroutine").args(Long.toString(millis)).start();
            assertThat(jvm.waitForExit(Duration.ofSeconds(90))).as("stderr %s", jvm.stderr()).isZero();
            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            truth = WorkloadTruth.of(jvm.stdout());
            cpu = GoTool.raw(out.resolve("cpu.pb.gz"));
            measured = jobShares(cpu);
            if (maxError(truth, measured) <= 0.05) break;
        }

        RawProfile profile = cpu;
        double burn = profile.sum("cpu/nanoseconds", s -> s.hasFrame("LabelsWorkload.burn"));
        double labelled = profile.sum("cpu/nanoseconds",
                s -> s.hasFrame("LabelsWorkload.burn") && s.labels().contains("tenant:[acme]"));
        assertThat(labelled / burn).as("share of burn() samples with the outer label").isGreaterThan(0.98);
        for (String job : JOBS) {
            assertThat(measured.get(job)).as("share of job=%s; truth %s, measured %s", job, truth, measured)
                    .isCloseTo(truth.get(job), offset(0.05));
        }
        assertThat(GoTool.pprof("-top", "-tagfocus=job=six", out.resolve("cpu.pb.gz").toString()))
                .contains("LabelsWorkload.burn");

        // Work handed to a pool and to CompletableFuture.runAsync runs with the submitter's labels, and only its own.
        double pooled = profile.sum("cpu/nanoseconds", s -> s.hasFrame("LabelsWorkload.spinPooled"));
        double pooledLabelled = profile.sum("cpu/nanoseconds",
                s -> s.hasFrame("LabelsWorkload.spinPooled") && s.labels().contains("job:[pooled]"));
        assertThat(pooled).as("pooled work was sampled").isGreaterThan(100e6);
        assertThat(pooledLabelled / pooled).as("share of pooled work with the submitter's label").isGreaterThan(0.98);
        double unlabelled = profile.sum("cpu/nanoseconds", s -> s.hasFrame("LabelsWorkload.spinUnlabelled"));
        double leaked = profile.sum("cpu/nanoseconds",
                s -> s.hasFrame("LabelsWorkload.spinUnlabelled") && !s.labels().isEmpty());
        assertThat(unlabelled).as("unlabelled work was sampled").isGreaterThan(50e6);
        assertThat(leaked).as("labels left on the pool's threads").isZero();

        RawProfile goroutine = GoTool.raw(out.resolve("goroutine.pb.gz"));
        assertThat(goroutine.samples).filteredOn(s -> s.labels().contains("role:[waiter]")).hasSize(1)
                .allSatisfy(s -> assertThat(s.stack()).anyMatch(f -> f.contains("CountDownLatch.await")));
    }

    private static double maxError(Map<String, Double> truth, Map<String, Double> measured) {
        double max = 0;
        for (String job : JOBS) max = Math.max(max, Math.abs(measured.get(job) - truth.get(job)));
        return max;
    }

    private static Map<String, Double> jobShares(RawProfile cpu) {
        Map<String, Double> m = new TreeMap<>();
        double total = 0;
        for (String job : JOBS) {
            double v = cpu.sum("cpu/nanoseconds", s -> s.labels().contains("job:[" + job + "]"));
            m.put(job, v);
            total += v;
        }
        for (String job : JOBS) m.put(job, m.get(job) / total);
        return m;
    }

}
