package dev.diag.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.PerfettoTrace.Slice;
import dev.diag.it.workloads.TraceWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The execution tracer end to end: {@code trace=FILE} on a real JVM running {@link TraceWorkload}, read by real
 * decoders: protobuf-java for Perfetto, {@code go tool trace} for Go's format, Jackson for Chrome JSON.
 */
class TraceIT {
    /** Regions the workload opens and measures, with the thread that opens them. */
    private static final Map<String, String> REGIONS = Map.of(
            "prepare", "main", "validate", "main", "charge", "checkout-worker", "chargeCard", "checkout-worker",
            "Billing.computeTotals", "main", "sendReceipt", "main");

    /** Makes G1 run {@code System.gc()} as a concurrent cycle, so that JFR reports its concurrent phases. */
    private static final String CONCURRENT_SYSTEM_GC = "-XX:+ExplicitGCInvokesConcurrent";
    /** JFR's CPU sampling period that the tracer asks for under {@code engine=jfr} ({@code jdk.ExecutionSample}). */
    private static final long SAMPLE_PERIOD_NANOS = 10_000_000L;
    /** How much the tracer's wait and sleep lengths may differ from what the workload measured around them. */
    private static final double LENGTH_TOLERANCE = 0.10;
    private static final String WORKLOAD = "dev.diag.it.workloads.TraceWorkload.";

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenPerfettoTraceFile_whenWorkloadExits_thenThreadsRegionsFlowsAndGcAreInTheTrace(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("app.perfetto-trace");

        Map<String, Long> measured = runWorkloadUntilRegionLengthsMatch(jdk, file, (f, m) -> {
            PerfettoTrace trace = PerfettoTrace.read(f);
            return REGIONS.keySet().stream().allMatch(n -> closeEnough(trace.slice(n).duration(), m.get(n)));
        });

        PerfettoTrace t = PerfettoTrace.read(file);
        long main = t.threadTrack("main");
        long worker = t.threadTrack("checkout-worker");
        long producer = t.threadTrack("producer");
        long consumer = t.threadTrack("consumer");
        REGIONS.forEach((name, thread) -> {
            Slice s = t.slice(name);
            assertThat(s.track()).as("thread of region %s", name).isEqualTo(t.threadTrack(thread));
            assertThat((double) s.duration()).as("duration of %s (workload measured %d ns)", name, measured.get(name))
                    .isCloseTo(measured.get(name), within(measured.get(name) * 0.10));
        });
        assertThat(t.slice("validate").depth()).isEqualTo(t.slice("prepare").depth() + 1);
        assertThat(t.slice("validate").args().get("stack")).as("where the region started")
                .startsWith("dev.diag.it.workloads.TraceWorkload.runOnce(TraceWorkload.java:");
        assertThat(t.slice("Billing.computeTotals").args().get("stack")).as("where the @Traced region started")
                .startsWith("example.checkout.Billing.computeTotals(Billing.java:");
        assertThat(t.slice("validate").begin()).isBetween(t.slice("prepare").begin(), t.slice("prepare").end());
        assertThat(t.slice("chargeCard").depth()).isEqualTo(t.slice("charge").depth() + 1);
        Slice audit = t.slice("audit");
        assertThat(t.tracks.get(audit.track()).name()).as("CompletableFuture stage thread").isNotEqualTo("main");
        assertThat(t.slice("checkout").begin()).isLessThanOrEqualTo(t.slice("prepare").begin());
        assertThat(t.slice("checkout").end()).isGreaterThanOrEqualTo(audit.end());
        assertThat(t.instants).anySatisfy(i -> {
            assertThat(i.track()).isEqualTo(worker);
            assertThat(i.name()).isEqualTo("payment=charged");
        });
        assertThat(t.instants).anySatisfy(i -> {
            assertThat(i.track()).isEqualTo(main);
            assertThat(i.name()).isEqualTo("order=validated");
        });

        // The lock: a producer or consumer wait that the other thread ended, with an arrow from that thread.
        Map<Long, Long> flowSource = new HashMap<>();
        t.instants.forEach(i -> i.flowIds().forEach(f -> flowSource.put(f, i.track())));
        List<Slice> handedOver = t.slices("blocked on lock").stream()
                .filter(s -> s.track() == producer || s.track() == consumer)
                .filter(s -> s.terminatingFlowIds().stream().anyMatch(f -> {
                    Long from = flowSource.get(f);
                    return from != null && from != s.track() && (from == producer || from == consumer);
                }))
                .toList();
        assertThat(handedOver).as("lock waits ended by the other thread, with a flow arrow").isNotEmpty();
        assertThat(t.slices("queue receive")).anySatisfy(s -> assertThat(s.track()).isEqualTo(consumer));

        assertConcurrentCycleOnTheGcTrack(t);
        assertThat(t.counters).as("heap counter values").isNotEmpty();
    }

    /**
     * The workload's {@code System.gc()} is a G1 concurrent cycle ("G1Old"): on the GC track, its concurrent phases
     * (JFR's {@code jdk.GCPhaseConcurrent}) and its remark pause are slices inside it, and the sub-phases
     * ({@code jdk.GCPhaseConcurrentLevel1}) inside a phase.
     */
    private static void assertConcurrentCycleOnTheGcTrack(PerfettoTrace t) {
        List<Slice> gc = t.onTrack(t.namedTrack("GC"), t.slices);
        Slice cycle = gc.stream().filter(s -> s.name().equals("G1Old")).findFirst()
                .orElseThrow(() -> new AssertionError("no G1Old cycle on the GC track: " + gc));
        List<Slice> phases = gc.stream().filter(s -> "gc.concurrent".equals(s.category())).toList();
        assertThat(phases).as("concurrent phases").extracting(Slice::name).contains("Concurrent Mark From Roots");
        Slice mark = phases.stream().filter(s -> s.name().equals("Concurrent Mark From Roots")).findFirst().orElseThrow();
        assertThat(cycle.contains(mark, 0)).as("%s inside %s", mark, cycle).isTrue();
        assertThat(mark.depth()).isEqualTo(cycle.depth() + 1);
        assertThat(gc).as("the remark pause inside the cycle").anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("STW Pause Remark");
            assertThat(cycle.contains(s, 0)).isTrue();
        });
        assertThat(phases).as("a sub-phase inside a phase").anySatisfy(sub -> assertThat(phases).anySatisfy(phase -> {
            assertThat(sub.depth()).isEqualTo(phase.depth() + 1);
            assertThat(phase.contains(sub, 0)).isTrue();
        }));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenGoTraceFile_whenOpenedInGoToolTrace_thenPagesListThreadsTasksRegionsAndBlockingShowsTheLock(
            Jdk jdk, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.trace");

        runWorkload(jdk, "trace=" + file);

        try (GoTraceViewer viewer = GoTraceViewer.open(file)) {
            assertThat(viewer.get("/goroutines")).contains(">main<", ">producer<", ">consumer<", ">checkout-worker<");
            assertThat(viewer.get("/usertasks")).contains("<td>checkout</td>");
            String regions = viewer.get("/userregions");
            assertThat(regions).contains(REGIONS.keySet().stream().map(r -> "<td>" + r + "<br>").toArray(String[]::new));
            assertThat(regions).as("regions by start location").contains(
                    "<td>validate<br>dev.diag.it.workloads.TraceWorkload.runOnce<br>dev/diag/it/workloads/TraceWorkload.java:",
                    "<td>chargeCard<br>example.checkout.Billing.chargeCard<br>example/checkout/Billing.java:");
            String task = viewer.get("/usertask?type=checkout");
            assertThat(task).contains("region prepare", "region charge", "region audit", "order=validated",
                    "payment=charged", "task end");
            viewer.get("/jsontrace");
            viewer.get("/mmu");
            RawProfile block = pprofRaw(viewer.download("/block?raw=1", dir.resolve("block.pb")));
            assertThat(block.sum("delay/nanoseconds", s -> s.stack().get(0).equals("java.util.concurrent.locks.ReentrantLock.lock")
                    && s.hasFrame("TraceWorkload.withLock"))).as("blocking on the workload's lock").isPositive();
            assertThat(block.sum("contentions/count", s -> s.hasFrame("ArrayBlockingQueue.take"))).isPositive();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenThreadsThatBurnCpuSleepWaitAndBlockOnAMonitor_whenTracedToPerfetto_thenSamplesWaitsAndWakeUpArrowsAreOnTheirTracks(
            Jdk jdk, @TempDir Path dir) throws Exception {
        JfrRun run = runJfrWorkload(jdk, dir, "perfetto-trace", r -> perfettoMatches(PerfettoTrace.read(r.file()), r.truth()));

        PerfettoTrace t = PerfettoTrace.read(run.file());
        JfrTruth truth = run.truth();
        // CPU samples: instants on the burner's track, inside its region "burn", with its stack; at about JFR's period.
        List<Slice> samples = burnSamples(t);
        assertThat(samples).as("CPU samples in region burn (%d ns CPU, %d ns wall)", truth.burnCpu(), truth.burnWall())
                .hasSizeBetween((int) truth.fewestSamples(), (int) truth.mostSamples());
        // Only those inside the region: the thread's start and exit run code of their own, and a sample there is right
        // (the count above allows 1 ms either side of the region for the clocks; seen: a sample of Thread.run alone
        // 0.4 ms before the thread entered burn).
        assertThat(samples.stream().filter(i -> t.slice("burn").contains(i, 0)).toList()).isNotEmpty().allSatisfy(i -> {
            assertThat(i.category()).isEqualTo("cpu");
            assertThat(i.callstack()).contains(WORKLOAD + "burnCpu");
        });
        // An idle JVM thread in native code (the Signal Dispatcher waits for a signal that never comes) is not drawn
        // as running: it waits "in native code" from the trace's start, over the whole burn.
        List<Slice> idle = t.onTrack(t.threadTrack("Signal Dispatcher"), t.slices("in native code"));
        assertThat(idle).singleElement().satisfies(s -> {
            assertThat(s.begin()).isLessThanOrEqualTo(t.slice("burn").begin());
            assertThat(s.end()).isGreaterThanOrEqualTo(t.slice("burn").end());
        });
        // Thread.sleep: a "sleeping" slice per sleep, as long as the workload measured.
        List<Slice> sleeps = sortedByBegin(t.onTrack(t.threadTrack("sleeper"), t.slices("sleeping")));
        assertThat(sleeps).hasSameSizeAs(truth.sleeps());
        for (int i = 0; i < sleeps.size(); i++) {
            assertThat(sleeps.get(i).args().get("stack")).contains(WORKLOAD + "sleepSeveralTimes(");
            assertLength("sleep " + i, sleeps.get(i).duration(), truth.sleeps().get(i));
        }
        // Object.wait: a cond wait at Object.wait, ended by an arrow from the notifier's track.
        Slice wait = waitAt(t, "cond-waiter", "waiting on condition", "java.lang.Object.wait(");
        assertThat(wait.args().get("stack")).contains(WORKLOAD + "awaitSignal(");
        assertLength("Object.wait", wait.duration(), truth.condWait());
        assertThat(wait.terminatingFlowIds()).singleElement()
                .satisfies(flow -> assertThat(t.flowSourceTrack(flow)).isEqualTo(t.threadTrack("cond-notifier")));
        // synchronized: a lock wait at the contender's synchronized block, ended by an arrow from the holder's track.
        Slice blocked = waitAt(t, "monitor-contender", "blocked on lock", WORKLOAD + "enterMonitor(");
        assertLength("monitor enter", blocked.duration(), truth.monitorWait());
        assertThat(blocked.terminatingFlowIds()).singleElement()
                .satisfies(flow -> assertThat(t.flowSourceTrack(flow)).isEqualTo(t.threadTrack("monitor-holder")));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenThreadsThatBurnCpuSleepWaitAndBlockOnAMonitor_whenOpenedInGoToolTrace_thenSamplesSleepsBlockingAndUnblockArrowsShow(
            Jdk jdk, @TempDir Path dir) throws Exception {
        JfrRun run = runJfrWorkload(jdk, dir, "trace", r -> {
            try (GoTraceViewer viewer = GoTraceViewer.open(r.file())) {
                return goMatches(viewer, r.truth(), dir);
            }
        });

        JfrTruth truth = run.truth();
        try (GoTraceViewer viewer = GoTraceViewer.open(run.file())) {
            assertThat(viewer.get("/goroutines")).contains(">cpu-burner<", ">sleeper<", ">cond-waiter<",
                    ">cond-notifier<", ">monitor-holder<", ">monitor-contender<");
            // CPU samples: the viewer's "CPU profile sample" instants of the burner goroutine, with its stack.
            List<JsonNode> samples = goCpuSamples(viewer, truth);
            assertThat(samples).as("CPU samples (%d ns CPU, %d ns wall)", truth.burnCpu(), truth.burnWall())
                    .hasSizeBetween((int) truth.fewestSamples(), (int) truth.mostSamples());
            // Thread.sleep: the sleeper's runs end where it sleeps and it runs again after the measured sleep; as a
            // sleep (GoSleep), not a block, it is missing from /block, as time.Sleep is for a Go program.
            List<Long> sleepGaps = goSleepGaps(viewer, truth);
            assertThat(sleepGaps).hasSameSizeAs(truth.sleeps());
            for (int i = 0; i < sleepGaps.size(); i++) assertLength("sleep " + i, sleepGaps.get(i), truth.sleeps().get(i));
            RawProfile block = pprofRaw(viewer.download("/block?raw=1", dir.resolve("jfr-block.pb")));
            assertThat(block.samples).noneMatch(s -> s.hasFrame("TraceWorkload.sleepSeveralTimes"));
            // Object.wait is a cond wait and synchronized a sync wait: both in /block at their sites, as long as measured.
            assertLength("Object.wait in /block", block.sum("delay/nanoseconds", TraceIT::isCondWait), truth.condWait());
            assertLength("monitor enter in /block", block.sum("delay/nanoseconds", TraceIT::isMonitorWait), truth.monitorWait());
            // Who woke whom: the viewer's "unblock" arrow of each waiter starts at the thread that released it.
            assertThat(unblockedBy(viewer, truth.id("cond-waiter"))).contains(truth.id("cond-notifier"));
            assertThat(unblockedBy(viewer, truth.id("monitor-contender"))).contains(truth.id("monitor-holder"));
        }
    }

    @Test
    void givenJsonTraceFile_whenParsed_thenItIsChromeTraceJsonWithTheSameEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.json");

        Map<String, Long> measured = runWorkloadUntilRegionLengthsMatch(Jdk.current(), file, (f, m) -> {
            JsonNode trace = new ObjectMapper().readTree(f.toFile());
            Map<String, Double> lengths = new HashMap<>();
            trace.get("traceEvents").forEach(e -> {
                if (e.get("ph").asText().equals("X")) lengths.putIfAbsent(e.get("name").asText(), e.get("dur").asDouble() * 1000);
            });
            return REGIONS.keySet().stream().allMatch(n -> lengths.containsKey(n) && closeEnough(lengths.get(n), m.get(n)));
        });

        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<JsonNode> events = new ArrayList<>();
        root.get("traceEvents").forEach(events::add);
        Map<Long, String> threadNames = events.stream().filter(e -> e.get("name").asText().equals("thread_name"))
                .collect(Collectors.toMap(e -> e.get("tid").asLong(), e -> e.get("args").get("name").asText()));
        assertThat(threadNames.values()).contains("main", "producer", "consumer", "checkout-worker", "GC");
        REGIONS.forEach((name, thread) -> {
            JsonNode x = events.stream().filter(e -> e.get("ph").asText().equals("X") && e.get("name").asText().equals(name))
                    .findFirst().orElseThrow(() -> new AssertionError("no X event " + name));
            assertThat(threadNames.get(x.get("tid").asLong())).isEqualTo(thread);
            assertThat(x.get("dur").asDouble() * 1000).as("duration of %s", name)
                    .isCloseTo(measured.get(name), within(measured.get(name) * 0.10));
        });
        Set<Long> flowStarts = events.stream().filter(e -> e.get("ph").asText().equals("s")).map(e -> e.get("id").asLong())
                .collect(Collectors.toSet());
        assertThat(events).as("flow ends matching flow starts")
                .anySatisfy(e -> assertThat(e.get("ph").asText().equals("f") && flowStarts.contains(e.get("id").asLong())).isTrue());
        assertThat(events).anySatisfy(e -> assertThat(e.get("name").asText() + e.get("ph").asText()).isEqualTo("checkoutb"));
        assertThat(events).anySatisfy(e -> assertThat(e.path("cat").asText("") + e.path("tid").asLong(-1)).isEqualTo("gc0"));
        JsonNode cycle = events.stream().filter(e -> e.get("name").asText().equals("G1Old") && e.get("ph").asText().equals("X"))
                .findFirst().orElseThrow(() -> new AssertionError("no G1Old cycle (System.gc() is concurrent)"));
        assertThat(events).as("a concurrent phase of the cycle on the GC row").anySatisfy(e -> {
            assertThat(e.path("cat").asText()).isEqualTo("gc.concurrent");
            assertThat(e.get("name").asText()).isEqualTo("Concurrent Mark From Roots");
            assertThat(e.get("tid").asLong()).isEqualTo(cycle.get("tid").asLong());
            assertThat(e.get("ts").asDouble()).isBetween(cycle.get("ts").asDouble(),
                    cycle.get("ts").asDouble() + cycle.get("dur").asDouble());
        });
        assertThat(events).anySatisfy(e -> assertThat(e.get("name").asText()).isEqualTo("blocked on lock"));
    }

    @Test
    void givenTinyTraceMax_whenWorkloadRuns_thenTraceStopsCleanlyWithANoteAndGoToolTraceReadsIt(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("small.trace");
        AgentJvm jvm = AgentJvm.of(TraceWorkload.class).agent("trace=" + file + ",trace.max=16KiB,exit.timeout=30s")
                .start();

        int exit = jvm.waitForExit(Duration.ofSeconds(90));

        assertThat(exit).isEqualTo(0);
        assertThat(jvm.stdout()).contains("done");
        assertThat(jvm.stderrWithoutJvmWarnings()).startsWith("diag: trace " + file + ": trace stopped at trace.max");
        GoTool.Result parsed = GoTool.run(List.of("go", "tool", "trace", "-d", file.toString()), 120);
        assertThat(parsed.exitCode()).as("go tool trace -d; stderr:\n%s", parsed.stderr()).isEqualTo(0);
        assertThat(parsed.stdout()).contains("category=diag message=diag: trace stopped at trace.max (16384 bytes)");
        try (GoTraceViewer viewer = GoTraceViewer.open(file)) {
            assertThat(viewer.get("/goroutines")).contains(">main<");
            viewer.get("/jsontrace"); // every slice closed, or the viewer fails
        }
    }

    @Test
    void givenHttp_whenTraceRequested_thenGoToolTraceReadsTheWindowAndAConcurrentRequestIsRefusedAsGoDoes(
            @TempDir Path dir) throws Exception {
        try (HttpJvm server = HttpJvm.start(Jdk.current(), TraceWorkload.class, "", "loop")) {
            server.jvm.awaitStdout("serving", Duration.ofSeconds(60));
            HttpProbe.Response refused = null;
            HttpProbe.Response trace = null;
            // Two requests race for the one tracer; whichever loses is refused. Retry until both outcomes were seen.
            for (int attempt = 0; attempt < 5 && (refused == null || trace == null); attempt++) {
                var window = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.http.send("GET", "/debug/pprof/trace?seconds=2", Map.of(), null,
                                Duration.ofSeconds(60));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                while (refused == null && !window.isDone()) {
                    HttpProbe.Response r = server.http.get("/debug/pprof/trace?seconds=NaN"); // empty window: at once
                    if (r.status() != 200) refused = r;
                }
                HttpProbe.Response r = window.get();
                if (r.status() == 200) trace = r;
                else refused = r;
            }

            assertThat(refused).as("a request while another trace records").isNotNull();
            assertThat(trace).as("a 2 s window").isNotNull();
            assertThat(refused.status()).isEqualTo(500);
            assertThat(refused.text()).isEqualTo("Could not enable tracing: runtime error: tracing is already enabled\n");
            assertThat(trace.status()).isEqualTo(200);
            assertThat(trace.header("Content-Disposition")).isEqualTo("attachment; filename=\"trace\"");
            Path file = java.nio.file.Files.write(dir.resolve("window.trace"), trace.body());
            try (GoTraceViewer viewer = GoTraceViewer.open(file)) {
                assertThat(viewer.get("/goroutines")).contains(">producer<", ">consumer<");
            }
            PerfettoTrace p = PerfettoTrace.read(java.nio.file.Files.write(dir.resolve("window.perfetto-trace"),
                    server.http.send("GET", "/debug/pprof/trace?seconds=1&format=perfetto", Map.of(), null,
                            Duration.ofSeconds(60)).body()));
            assertThat(p.tracks.values()).extracting(PerfettoTrace.Track::name).contains("producer", "consumer");
            assertThat(p.slices("blocked on lock")).isNotEmpty();
            JsonNode json = new ObjectMapper().readTree(server.http.send("GET", "/debug/pprof/trace?seconds=1&format=json",
                    Map.of(), null, Duration.ofSeconds(60)).body());
            assertThat(json.get("traceEvents").size()).isPositive();
        }
    }

    /** What TraceWorkload measured in mode {@code jfr}: thread ids, the burn's CPU and wall time, sleeps, waits. */
    record JfrTruth(Map<String, Long> threadIds, long burnCpu, long burnWall, List<Long> sleeps, long condWait,
                    long monitorWait) {
        static JfrTruth parse(String stdout) {
            Map<String, Long> ids = new HashMap<>();
            Map<String, Long> single = new HashMap<>();
            List<Long> sleeps = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "thread" -> ids.put(f[1], Long.parseLong(f[2]));
                    case "burn" -> {
                        single.put("burnCpu", Long.parseLong(f[1]));
                        single.put("burnWall", Long.parseLong(f[2]));
                    }
                    case "sleep" -> sleeps.add(Long.parseLong(f[1]));
                    case "wait", "monitor" -> single.put(f[0], Long.parseLong(f[1]));
                    default -> { }
                }
            }
            assertThat(single).as("truth in:\n%s", stdout).containsKeys("burnCpu", "burnWall", "wait", "monitor");
            assertThat(sleeps).as("sleeps in:\n%s", stdout).isNotEmpty();
            return new JfrTruth(ids, single.get("burnCpu"), single.get("burnWall"), sleeps, single.get("wait"),
                    single.get("monitor"));
        }

        long id(String thread) {
            assertThat(threadIds).containsKey(thread);
            return threadIds.get(thread);
        }

        /** At least half a sample per period of the burner's CPU time: JFR misses some, never half on a quiet JVM. */
        long fewestSamples() {
            return burnCpu / SAMPLE_PERIOD_NANOS / 2;
        }

        /** At most one sample per period of the burn's wall time (JFR samples a thread once a period), plus slack. */
        long mostSamples() {
            return burnWall * 11 / 10 / SAMPLE_PERIOD_NANOS + 2;
        }
    }

    record JfrRun(Path file, JfrTruth truth) {}

    /** A check of one run that is worth a retry when it fails (timing on a loaded machine), not a test failure. */
    @FunctionalInterface
    interface RunCheck {
        boolean test(JfrRun run) throws Exception;
    }

    /**
     * Runs TraceWorkload in mode {@code jfr} with {@code trace=FILE.extension,engine=jfr}, burning 400 ms of CPU; if {@code good}
     * fails (a loaded machine starves JFR's sampler or delays a thread between the event and its own clock reading),
     * runs it once more burning twice as long. Returns the last run; the caller asserts on it.
     */
    private static JfrRun runJfrWorkload(Jdk jdk, Path dir, String extension, RunCheck good) throws Exception {
        JfrRun run = null;
        for (long burnMillis = 400; burnMillis <= 800; burnMillis *= 2) {
            Path file = dir.resolve("jfr-" + burnMillis + "." + extension);
            // engine=jfr: JFR's CPU samples (the native engine's are TraceCpuSamplesIT's).
            AgentJvm jvm = AgentJvm.of(TraceWorkload.class).jdk(jdk).agent("trace=" + file + ",engine=jfr")
                    .args("jfr", Long.toString(burnMillis)).start();
            int exit = jvm.waitForExit(Duration.ofSeconds(90));
            assertThat(exit).as("exit code; stderr:\n%s", jvm.stderr()).isEqualTo(0);
            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(jvm.stdout()).contains("tracing=true", "done");
            run = new JfrRun(file, JfrTruth.parse(jvm.stdout()));
            if (good.test(run)) break;
        }
        return run;
    }

    private static boolean perfettoMatches(PerfettoTrace t, JfrTruth truth) {
        int samples = burnSamples(t).size();
        List<Slice> sleeps = sortedByBegin(t.onTrack(t.threadTrack("sleeper"), t.slices("sleeping")));
        boolean sleepsMatch = sleeps.size() == truth.sleeps().size();
        for (int i = 0; sleepsMatch && i < sleeps.size(); i++) sleepsMatch = near(sleeps.get(i).duration(), truth.sleeps().get(i));
        return samples >= truth.fewestSamples() && samples <= truth.mostSamples() && sleepsMatch
                && near(waitAt(t, "cond-waiter", "waiting on condition", "java.lang.Object.wait(").duration(), truth.condWait())
                && near(waitAt(t, "monitor-contender", "blocked on lock", WORKLOAD + "enterMonitor(").duration(),
                        truth.monitorWait());
    }

    private static boolean goMatches(GoTraceViewer viewer, JfrTruth truth, Path dir) throws Exception {
        int samples = goCpuSamples(viewer, truth).size();
        List<Long> gaps = goSleepGaps(viewer, truth);
        boolean sleepsMatch = gaps.size() == truth.sleeps().size();
        for (int i = 0; sleepsMatch && i < gaps.size(); i++) sleepsMatch = near(gaps.get(i), truth.sleeps().get(i));
        RawProfile block = pprofRaw(viewer.download("/block?raw=1", dir.resolve("jfr-block.pb")));
        return samples >= truth.fewestSamples() && samples <= truth.mostSamples() && sleepsMatch
                && near(block.sum("delay/nanoseconds", TraceIT::isCondWait), truth.condWait())
                && near(block.sum("delay/nanoseconds", TraceIT::isMonitorWait), truth.monitorWait());
    }

    /** Returns the burner's CPU samples that lie in its region "burn" (1 ms either side: the JFR-to-nanoTime mapping). */
    private static List<Slice> burnSamples(PerfettoTrace t) {
        Slice burn = t.slice("burn");
        return t.onTrack(t.threadTrack("cpu-burner"), t.instants).stream()
                .filter(i -> i.name().equals("cpu sample") && burn.contains(i, 1_000_000)).toList();
    }

    /** Returns the one wait named {@code kind} on {@code thread}'s track whose stack starts with {@code topFrame}. */
    private static Slice waitAt(PerfettoTrace t, String thread, String kind, String topFrame) {
        List<Slice> found = t.onTrack(t.threadTrack(thread), t.slices(kind)).stream()
                .filter(s -> s.args().getOrDefault("stack", "").startsWith(topFrame)).toList();
        assertThat(found).as("%s at %s on %s", kind, topFrame, thread).hasSize(1);
        return found.get(0);
    }

    private static List<Slice> sortedByBegin(List<Slice> slices) {
        return slices.stream().sorted(java.util.Comparator.comparingLong(Slice::begin)).toList();
    }

    private static boolean isCondWait(RawProfile.Sample s) {
        return s.stack().get(0).equals("java.lang.Object.wait") && s.hasFrame("TraceWorkload.awaitSignal");
    }

    private static boolean isMonitorWait(RawProfile.Sample s) {
        return s.stack().get(0).equals(WORKLOAD + "enterMonitor");
    }

    private static boolean near(long actual, long measured) {
        return Math.abs(actual - measured) <= measured * LENGTH_TOLERANCE;
    }

    private static void assertLength(String what, long actual, long measured) {
        assertThat((double) actual).as("%s (workload measured %d ns)", what, measured)
                .isCloseTo(measured, within(measured * LENGTH_TOLERANCE));
    }

    /**
     * Returns the "CPU profile sample" instants that Go's trace viewer shows for the burner goroutine
     * ({@code /jsontrace?goid=ID}: one row per goroutine) whose stack runs through {@code burnCpu}.
     */
    private static List<JsonNode> goCpuSamples(GoTraceViewer viewer, JfrTruth truth) throws Exception {
        long burner = truth.id("cpu-burner");
        ViewerTrace v = ViewerTrace.of(viewer.get("/jsontrace?goid=" + burner));
        return v.events.stream().filter(e -> e.path("name").asText().equals("CPU profile sample")
                        && e.path("tid").asLong() == burner
                        && v.stack(e.path("sf").asInt()).stream().anyMatch(f -> f.startsWith(WORKLOAD + "burnCpu:")))
                .toList();
    }

    /**
     * Returns, for each of the sleeper goroutine's runs that ends where it sleeps (its end stack), the time until its
     * next run starts, in nanoseconds: how long Go's viewer shows it off the CPU.
     */
    private static List<Long> goSleepGaps(GoTraceViewer viewer, JfrTruth truth) throws Exception {
        long sleeper = truth.id("sleeper");
        ViewerTrace v = ViewerTrace.of(viewer.get("/jsontrace?goid=" + sleeper));
        List<JsonNode> runs = v.events.stream()
                .filter(e -> e.path("ph").asText().equals("X") && e.path("tid").asLong() == sleeper
                        && e.path("name").asText().equals("G" + sleeper + " sleeper"))
                .sorted(java.util.Comparator.comparingDouble(e -> e.path("ts").asDouble())).toList();
        List<Long> gaps = new ArrayList<>();
        for (int i = 0; i + 1 < runs.size(); i++) {
            // JDK 17's JFR puts Thread.sleep on top of the stack; JDK 25's starts at its caller.
            List<String> endStack = v.stack(runs.get(i).path("esf").asInt());
            if (endStack.stream().noneMatch(f -> f.startsWith(WORKLOAD + "sleepSeveralTimes:"))) continue;
            double endUs = runs.get(i).path("ts").asDouble() + runs.get(i).path("dur").asDouble();
            gaps.add(Math.round((runs.get(i + 1).path("ts").asDouble() - endUs) * 1000));
        }
        return gaps;
    }

    /** Returns the goroutines from which Go's viewer draws an "unblock" arrow to goroutine {@code g}. */
    private static List<Long> unblockedBy(GoTraceViewer viewer, long g) throws Exception {
        ViewerTrace v = ViewerTrace.of(viewer.get("/jsontrace?goid=" + g));
        Map<Long, Long> arrowTarget = new HashMap<>();
        for (JsonNode e : v.events) {
            if (e.path("name").asText().equals("unblock") && e.path("ph").asText().equals("t")) {
                arrowTarget.put(e.path("id").asLong(), e.path("tid").asLong());
            }
        }
        return v.events.stream().filter(e -> e.path("name").asText().equals("unblock") && e.path("ph").asText().equals("s")
                        && Long.valueOf(g).equals(arrowTarget.get(e.path("id").asLong())))
                .map(e -> e.path("tid").asLong()).toList();
    }

    /** What {@code go tool trace} serves at {@code /jsontrace}: trace events and the stack-frame tree they point into. */
    record ViewerTrace(List<JsonNode> events, JsonNode frames) {
        static ViewerTrace of(String json) throws Exception {
            JsonNode root = new ObjectMapper().readTree(json);
            List<JsonNode> events = new ArrayList<>();
            root.path("traceEvents").forEach(events::add);
            return new ViewerTrace(events, root.path("stackFrames"));
        }

        /** Returns the frames ("function:line") of stack-frame node {@code id}, leaf first; empty for none (0). */
        List<String> stack(int id) {
            List<String> out = new ArrayList<>();
            for (JsonNode f = frames.path(String.valueOf(id)); id != 0 && !f.isMissingNode();
                 id = f.path("parent").asInt(), f = frames.path(String.valueOf(id))) {
                out.add(f.path("name").asText());
            }
            return out;
        }
    }

    /**
     * Returns {@code go tool pprof -raw} of a profile that {@code go tool trace} made; such profiles name no binary,
     * which pprof mentions on stderr (the only stderr line allowed here).
     */
    static RawProfile pprofRaw(Path profile) throws Exception {
        GoTool.Result r = GoTool.run(List.of("go", "tool", "pprof", "-raw", profile.toString()), 120);
        assertThat(r.exitCode()).as("go tool pprof -raw; stderr:\n%s", r.stderr()).isEqualTo(0);
        assertThat(r.stderr().strip()).isIn("", "Main binary filename not available.");
        return RawProfile.parse(r.stdout());
    }

    /**
     * Runs the workload with the agent; returns what it measured, region name to nanoseconds. Its {@code System.gc()}
     * is a G1 concurrent cycle.
     */
    /** Reads a trace file and the workload's measured region lengths and tells whether they agree. */
    private interface RegionLengthCheck {
        boolean matches(Path file, Map<String, Long> measured) throws Exception;
    }

    /**
     * Runs the workload with {@code trace=FILE}, up to three times while a region's length in the file is off by more
     * than 10% of what the workload measured in the region's body: on a loaded shared machine, a thread descheduled
     * between a region's opening and its body's first instruction (or its body's end and the close) is in the region
     * for longer than its body says.
     */
    private static Map<String, Long> runWorkloadUntilRegionLengthsMatch(Jdk jdk, Path file, RegionLengthCheck check)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            Map<String, Long> measured = runWorkload(jdk, "trace=" + file);
            if (attempt == 3 || check.matches(file, measured)) return measured;
            Files.delete(file);
        }
    }

    private static boolean closeEnough(double traced, long measured) {
        return Math.abs(traced - measured) <= measured * 0.10;
    }

    private static Map<String, Long> runWorkload(Jdk jdk, String options) throws Exception {
        // exit.timeout=30s: at exit the trace reads the native sampler's last file (the first read in the JVM: ~0.4 s
        // of CPU), and at load 35 on 2 cores that, JFR's catch-up and the encoding took more than the default 5 s.
        AgentJvm jvm = AgentJvm.of(TraceWorkload.class).jdk(jdk).agent(options + ",exit.timeout=30s")
                .jvmArg("-XX:+UseG1GC")
                .jvmArg(CONCURRENT_SYSTEM_GC).start();

        int exit = jvm.waitForExit(Duration.ofSeconds(90));

        assertThat(exit).as("exit code; stderr:\n%s", jvm.stderr()).isEqualTo(0);
        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        assertThat(jvm.stdout()).contains("tracing=true", "done");
        Map<String, Long> measured = new HashMap<>();
        for (String line : jvm.stdout().split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 3 && f[0].equals("region")) measured.put(f[1], Long.parseLong(f[2]));
        }
        assertThat(measured).containsKeys(REGIONS.keySet().toArray(String[]::new));
        return measured;
    }
}
