package dev.diag.it;

import dev.diag.it.workloads.LabelledEventsWorkload;
import dev.diag.it.workloads.LabelsWorkload;
import dev.diag.it.workloads.VirtualLabelsWorkload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.assertj.core.data.Offset.offset;

/**
 * Profile labels ({@code dev.diag.api.Labels}) on the profiles of real JVMs, read with the real {@code go tool pprof}:
 * workloads whose jobs differ only by label, checked against the CPU time, bytes and waits they measured.
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
        // Each method's CPU in the profile is checked against what it measured on its thread: the pool's threads
        // split their CPU between two methods by samples (at least half of each), a thread of its own has all of its
        // measured CPU (within a quarter: a sample may fall in its start or end).
        double pooled = profile.sum("cpu/nanoseconds", s -> s.hasFrame("LabelsWorkload.spinPooled"));
        double pooledLabelled = profile.sum("cpu/nanoseconds",
                s -> s.hasFrame("LabelsWorkload.spinPooled") && s.labels().contains("job:[pooled]"));
        assertThat(pooled).as("pooled work was sampled; it measured %s ms", truth.get("pooled"))
                .isGreaterThan(truth.get("pooled") * 1e6 / 2);
        assertThat(pooledLabelled / pooled).as("share of pooled work with the submitter's label").isGreaterThan(0.98);
        double unlabelled = profile.sum("cpu/nanoseconds", s -> s.hasFrame("LabelsWorkload.spinUnlabelled"));
        double leaked = profile.sum("cpu/nanoseconds",
                s -> s.hasFrame("LabelsWorkload.spinUnlabelled") && !s.labels().isEmpty());
        assertThat(unlabelled).as("unlabelled work was sampled; it measured %s ms", truth.get("unlabelled"))
                .isGreaterThan(truth.get("unlabelled") * 1e6 / 2);
        assertThat(leaked).as("labels left on the pool's threads").isZero();
        // A thread started inside a scope runs with the starter's labels, as a goroutine does.
        double started = profile.sum("cpu/nanoseconds", s -> s.hasFrame("LabelsWorkload.spinStarted"));
        double startedLabelled = profile.sum("cpu/nanoseconds",
                s -> s.hasFrame("LabelsWorkload.spinStarted") && s.labels().contains("job:[started]"));
        assertThat(started / 1e6).as("the started thread's CPU ms in the profile").isCloseTo(truth.get("started"),
                withinPercentage(25));
        assertThat(startedLabelled / started).as("share of the started thread's work with the starter's label")
                .isGreaterThan(0.98);
        // So does a Thread subclass whose run() never calls super.run().
        double subclass = profile.sum("cpu/nanoseconds", s -> s.hasFrame("SpinningThread.spinInSubclass"));
        double subclassLabelled = profile.sum("cpu/nanoseconds",
                s -> s.hasFrame("SpinningThread.spinInSubclass") && s.labels().contains("job:[subclass]"));
        assertThat(subclass / 1e6).as("the Thread subclass's CPU ms in the profile").isCloseTo(truth.get("subclass"),
                withinPercentage(25));
        assertThat(subclassLabelled / subclass).as("share of the Thread subclass's work with the starter's label")
                .isGreaterThan(0.98);
        if (jdk.feature() >= 21) { // so does a virtual thread (Thread.ofVirtual().start)
            // Its own CPU time is not measured; it does the started thread's work, on a carrier thread.
            double virtual = profile.sum("cpu/nanoseconds", s -> s.hasFrame("LabelsWorkload.spinVirtual"));
            double virtualLabelled = profile.sum("cpu/nanoseconds",
                    s -> s.hasFrame("LabelsWorkload.spinVirtual") && s.labels().contains("job:[virtual]"));
            assertThat(virtual).as("the virtual thread was sampled; the same work measured %s ms on the started thread",
                    truth.get("started")).isGreaterThan(truth.get("started") * 1e6 / 2);
            assertThat(virtualLabelled / virtual).as("share of the virtual thread's work with the starter's label")
                    .isGreaterThan(0.98);
        }

        RawProfile goroutine = GoTool.raw(out.resolve("goroutine.pb.gz"));
        assertThat(goroutine.samples).filteredOn(s -> s.labels().contains("role:[waiter]")).hasSize(1)
                .allSatisfy(s -> assertThat(s.stack()).anyMatch(f -> f.contains("CountDownLatch.await")));
    }

    /**
     * Virtual threads that leave their carrier hundreds of times and come back on either one: each sample carries the
     * labels of the virtual thread its carrier ran at that moment, not of the one that first labelled on it.
     */
    @Test
    void givenLabelledVirtualThreadsMovingBetweenCarriers_whenCpuProfiled_thenEachLabelCarriesItsThreadsShare(
            @TempDir Path dir) throws Exception {
        Jdk jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk != null, "no JDK 21+ on this machine");
        Path out = dir.resolve("out");
        AgentJvm jvm = AgentJvm.of(VirtualLabelsWorkload.class).jdk(jdk).agent("out=" + out + ",profiles=cpu")
                .jvmArg("-Djdk.virtualThreadScheduler.parallelism=2").args("1000").start();
        assertThat(jvm.waitForExit(Duration.ofSeconds(90))).as("stderr %s", jvm.stderr()).isZero();
        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        Map<String, Double> truth = WorkloadTruth.of(jvm.stdout());

        RawProfile cpu = GoTool.raw(out.resolve("cpu.pb.gz"));
        String chunk = "VirtualLabelsWorkload.spinVirtualChunk";
        double chunks = cpu.sum("cpu/nanoseconds", s -> s.hasFrame(chunk));
        double samples = cpu.sum("samples/count", s -> s.hasFrame(chunk));
        Map<String, Double> measured = new TreeMap<>();
        for (String name : truth.keySet()) {
            measured.put(name, cpu.sum("cpu/nanoseconds",
                    s -> s.hasFrame(chunk) && s.labels().contains("vt:[" + name + "]")) / chunks);
        }
        for (String name : truth.keySet()) {
            // Within the sampling noise of the samples taken: four standard deviations of the share, at least 3 points.
            double share = truth.get(name);
            double noise = Math.max(0.03, 4 * Math.sqrt(share * (1 - share) / samples));
            assertThat(measured.get(name)).as("vt=%s's share of the chunks' CPU (%.0f samples); truth %s, measured %s",
                    name, samples, truth, measured).isCloseTo(share, offset(noise));
        }
    }

    /** Each JDK with each allocation engine: async-profiler's native sampler, and JFR's allocation samples. */
    static List<Arguments> jdksAndEngines() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            out.add(Arguments.of(jdk, "async-profiler"));
            out.add(Arguments.of(jdk, "jfr"));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("jdksAndEngines")
    void givenAllocationsAndLockWaitsThatDifferOnlyByLabel_whenProfiled_thenEachLabelCarriesItsShare(Jdk jdk,
            String engine, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        // JFR samples allocations by time (at most 500 a second), not by bytes: a longer run for as many samples.
        String allocRounds = engine.equals("jfr") ? "300" : "100";
        AgentJvm jvm = AgentJvm.of(LabelledEventsWorkload.class).jdk(jdk)
                .agent("out=" + out + ",profiles=allocs,block,mutex,block.rate=1,mutex.fraction=1,engine=" + engine)
                .args("20", allocRounds).start();
        assertThat(jvm.waitForExit(Duration.ofSeconds(120))).as("stderr %s", jvm.stderr()).isZero();
        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        Map<String, Double> truth = WorkloadTruth.of(jvm.stdout());
        double allocBig = truth.get("alloc_big") / (truth.get("alloc_big") + truth.get("alloc_small"));
        double waitBig = truth.get("wait_big") / (truth.get("wait_big") + truth.get("wait_small"));
        double monitorBig = truth.get("monitor_big") / (truth.get("monitor_big") + truth.get("monitor_small"));

        // allocs: the allocating thread's labels at the allocation, within the sampling noise of the samples taken
        // (four standard deviations of a share of that many samples; at least 3 points).
        RawProfile allocs = GoTool.raw(out.resolve("allocs.pb.gz"));
        assertThat(allocs.text.contains("jdk.ObjectAllocationSample")).as("allocs from JFR (comment)")
                .isEqualTo(engine.equals("jfr"));
        double samples = engine.equals("jfr")
                ? allocs.sum("alloc_objects/count", s -> s.hasFrame("LabelledEventsWorkload.allocate"))
                : allocs.sum("alloc_space/bytes", s -> s.hasFrame("LabelledEventsWorkload.allocate")) / (512 << 10);
        double allocNoise = Math.max(0.03, 4 * Math.sqrt(allocBig * (1 - allocBig) / samples));
        assertThat(shareOf(allocs, "alloc_space/bytes", "LabelledEventsWorkload.allocate", "job:[big]",
                "job:[small]")).as("job=big's share of the bytes (%.0f samples); truth %s", samples, allocBig)
                .isCloseTo(allocBig, offset(allocNoise));
        // block: the waiter's labels at the wait, for parks and for synchronized (JFR's monitor events).
        RawProfile block = GoTool.raw(out.resolve("block.pb.gz"));
        assertThat(shareOf(block, "delay/nanoseconds", "LabelledEventsWorkload.waitForLock", "job:[big]",
                "job:[small]")).as("job=big's share of the wait; truth %s", waitBig).isCloseTo(waitBig,
                offset(0.05));
        double waited = block.sum("delay/nanoseconds",
                s -> s.hasFrame("LabelledEventsWorkload.waitForLock") && s.labels().contains("job:["));
        assertThat(waited / (truth.get("wait_big") + truth.get("wait_small"))).as("labelled block delay vs truth")
                .isCloseTo(1.0, offset(0.05));
        assertThat(shareOf(block, "delay/nanoseconds", "LabelledEventsWorkload.waitForMonitor", "job:[big]",
                "job:[small]")).as("job=big's share of the synchronized wait; truth %s", monitorBig)
                .isCloseTo(monitorBig, offset(0.05));
        double monitorWaited = block.sum("delay/nanoseconds",
                s -> s.hasFrame("LabelledEventsWorkload.waitForMonitor") && s.labels().contains("job:["));
        double monitorUnlabelled = block.sum("delay/nanoseconds",
                s -> s.hasFrame("LabelledEventsWorkload.waitForMonitor") && !s.labels().contains("job:["));
        assertThat(monitorWaited / (truth.get("monitor_big") + truth.get("monitor_small")))
                .as("labelled synchronized delay vs truth (unlabelled: %.0f ns)", monitorUnlabelled)
                .isCloseTo(1.0, offset(0.05));
        // mutex: the labels of the holder that kept the waiter waiting, at its release (where its stack is); for
        // synchronized, the holder's labels while it held the monitor (the stack is the waiter's).
        RawProfile mutex = GoTool.raw(out.resolve("mutex.pb.gz"));
        assertThat(shareOf(mutex, "delay/nanoseconds", "LabelledEventsWorkload.lambda$waitBehind$", "holder:[big]",
                "holder:[small]")).as("holder=big's share of the delay; truth %s", waitBig).isCloseTo(waitBig,
                offset(0.05));
        assertThat(shareOf(mutex, "delay/nanoseconds", "LabelledEventsWorkload.waitForMonitor", "holder:[big]",
                "holder:[small]")).as("holder=big's share of the synchronized delay; truth %s", monitorBig)
                .isCloseTo(monitorBig, offset(0.05));

        assertThat(GoTool.pprof("-top", "-tagfocus=job=small", out.resolve("allocs.pb.gz").toString()))
                .contains("LabelledEventsWorkload.allocate");
        assertThat(GoTool.pprof("-top", "-tagfocus=job=big", out.resolve("block.pb.gz").toString()))
                .contains("LabelledEventsWorkload.waitForLock").contains("LabelledEventsWorkload.waitForMonitor");
        assertThat(GoTool.pprof("-top", "-tagignore=holder=big", "-tagfocus=holder=small",
                out.resolve("mutex.pb.gz").toString())).contains("LabelledEventsWorkload.lambda$waitBehind$")
                .contains("LabelledEventsWorkload.waitForMonitor");
        assertThat(GoTool.pprof("-tags", out.resolve("block.pb.gz").toString())).contains("big").contains("small");
    }

    /** Returns the share of {@code type} at samples through {@code frame} that carry label {@code one} vs {@code other}. */
    private static double shareOf(RawProfile p, String type, String frame, String one, String other) {
        double a = p.sum(type, s -> s.hasFrame(frame) && s.labels().contains(one));
        double b = p.sum(type, s -> s.hasFrame(frame) && s.labels().contains(other));
        assertThat(a + b).as("%s samples through %s labelled %s or %s", type, frame, one, other).isPositive();
        return a / (a + b);
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
