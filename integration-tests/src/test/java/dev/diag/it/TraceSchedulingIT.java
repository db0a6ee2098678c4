package dev.diag.it;

import dev.diag.it.PerfettoTrace.Slice;
import dev.diag.it.workloads.TraceSchedulingWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tracer's scheduling events on a real JVM running {@link TraceSchedulingWorkload}: a user task carried through
 * every executor path, and virtual threads' lock waits (parks recorded by the park hook, JDK 21+) with their wake-ups.
 */
class TraceSchedulingIT {
    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenATaskHandedToEveryExecutorPath_whenTracedToGoFormat_thenEveryRegionIsInThatTask(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("sched.trace");

        Result run = run(jdk, file);

        assertThat(run.paths).contains("fjpSubmitCallable", "fjpSubmitRunnable", "fjpExecute", "tpeSubmitCallable",
                "tpeInvokeAll", "supplyAsync", "thenApplyAsync", "singleThreadSubmit", "scheduledCallable",
                "scheduledRunnable");
        if (jdk.feature() >= 21) assertThat(run.paths).contains("virtualSubmitCallable");
        try (GoTraceViewer viewer = GoTraceViewer.open(file)) {
            String task = viewer.get("/usertask?type=fanout");
            for (String path : run.paths) assertThat(task).as("task page").contains("region " + path);
            if (jdk.feature() >= 21) {
                assertThat(viewer.get("/goroutines")).contains(">vt-worker-0<", ">vt-worker-3<");
                RawProfile block = TraceIT.pprofRaw(viewer.download("/block?raw=1", dir.resolve("block.pb")));
                assertThat(block.sum("delay/nanoseconds", s -> s.stack().get(0).equals(
                        "java.util.concurrent.locks.ReentrantLock.lock") && s.hasFrame("TraceSchedulingWorkload.contend")))
                        .as("virtual threads blocking on the lock, at its stack").isPositive();
            }
        }
    }

    @Test
    void givenVirtualThreadsContendingForALock_whenTracedToPerfetto_thenTheirWaitsAreSlicesWithStacksAndWakeUps(
            @TempDir Path dir) throws Exception {
        Jdk jdk = Jdk.atLeast(21);
        assumeTrue(jdk != null, "virtual threads need JDK 21+");
        Path file = dir.resolve("sched.perfetto-trace");

        Result run = run(jdk, file);

        PerfettoTrace t = PerfettoTrace.read(file);
        Map<String, Long> tracks = t.virtualThreadTracks("vt-worker-");
        assertThat(tracks).containsOnlyKeys(run.waited.keySet());
        Map<Long, Long> flowSource = new HashMap<>();
        t.instants.forEach(i -> i.flowIds().forEach(f -> flowSource.put(f, i.track())));
        long traced = 0;
        long measured = 0;
        List<Slice> wokenByAnotherWorker = new ArrayList<>();
        int waitingWorkers = 0;
        for (var e : tracks.entrySet()) {
            List<Slice> waits = t.slices("blocked on lock").stream().filter(s -> s.track() == e.getValue()).toList();
            // A worker the scheduler happened to let through uncontended has none; the total below covers them all.
            if (!waits.isEmpty()) waitingWorkers++;
            assertThat(waits).allSatisfy(s -> assertThat(s.args().get("stack"))
                    .startsWith("java.util.concurrent.locks.ReentrantLock.lock(")
                    .contains("TraceSchedulingWorkload.contend("));
            traced += waits.stream().mapToLong(Slice::duration).sum();
            measured += run.waited.get(e.getKey());
            waits.stream().filter(s -> s.terminatingFlowIds().stream().anyMatch(f -> {
                Long from = flowSource.get(f);
                return from != null && from != (long) e.getValue() && tracks.containsValue(from);
            })).forEach(wokenByAnotherWorker::add);
        }
        assertThat(waitingWorkers).as("virtual workers with traced lock waits").isGreaterThanOrEqualTo(2);
        assertThat((double) traced).as("time in traced lock waits vs. the %d ns the workers measured", measured)
                .isBetween(0.8 * measured, 1.05 * measured);
        assertThat(wokenByAnotherWorker).as("waits ended by the worker that unlocked, with a flow arrow").isNotEmpty();
    }

    /** What the workload printed: the executor paths it took, and each virtual worker's lock wait. */
    private record Result(List<String> paths, Map<String, Long> waited) {}

    private static Result run(Jdk jdk, Path file) throws Exception {
        AgentJvm jvm = AgentJvm.of(TraceSchedulingWorkload.class).jdk(jdk).agent("trace=" + file).start();

        int exit = jvm.waitForExit(Duration.ofSeconds(90));

        assertThat(exit).as("exit code; stderr:\n%s", jvm.stderr()).isEqualTo(0);
        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        assertThat(jvm.stdout()).contains("tracing=true", "done");
        List<String> paths = new ArrayList<>();
        Map<String, Long> waited = new HashMap<>();
        for (String line : jvm.stdout().split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 2 && f[0].equals("path")) paths.add(f[1]);
            if (f.length == 3 && f[0].equals("waited")) waited.put(f[1], Long.parseLong(f[2]));
        }
        return new Result(paths, waited);
    }
}
