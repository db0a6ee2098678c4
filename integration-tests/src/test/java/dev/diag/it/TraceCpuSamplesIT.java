package dev.diag.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.PerfettoTrace.Slice;
import dev.diag.it.workloads.TraceCpuWorkload;
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

/**
 * The tracer's CPU samples from the native engine (async-profiler at {@code cpu.hz}, 1 ms of CPU per sample), each on
 * the goroutine of the Java thread that ran: a thread that existed before diag was attached, and main, whose OS thread
 * goes on as another Java thread ({@code DestroyJavaVM}) after it returns. Read by real {@code go tool trace} and a
 * Perfetto protobuf parser.
 */
class TraceCpuSamplesIT {
    private static final Duration EXIT = Duration.ofSeconds(90);
    private static final long PERIOD_NANOS = 1_000_000L;
    private static final String WORKLOAD = "dev.diag.it.workloads.TraceCpuWorkload.";

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenAThreadBurningBeforeDiagIsAttached_whenTracedOverHttp_thenGoToolTraceShowsItsSamplesOnItsGoroutine(
            Jdk jdk, @TempDir Path dir) throws Exception {
        try (AgentJvm target = AgentJvm.of(TraceCpuWorkload.class).jdk(jdk).args("attach").start()) {
            target.awaitStdout("serving", EXIT);
            Map<String, Long> ids = threadIds(target.stdout());
            DiagCli.Result attached = DiagCli.run(jdk, "attach", Long.toString(target.pid()), "http=0");
            assertThat(attached.exitCode()).as(attached.toString()).isZero();
            HttpProbe http = new HttpProbe("127.0.0.1", listeningPort(attached.stdout()));

            Path schedstat = Path.of("/proc", Long.toString(target.pid()), "task",
                    Long.toString(lines(target.stdout(), "ostid").get("early-burner")), "schedstat");
            long cpuBefore = cpuNanos(schedstat);
            HttpProbe.Response trace = http.send("GET", "/debug/pprof/trace?seconds=2", Map.of(), null,
                    Duration.ofSeconds(60));
            long cpuAround = cpuNanos(schedstat) - cpuBefore;

            assertThat(trace.status()).as(trace.toString()).isEqualTo(200);
            Path file = dir.resolve("attached.trace");
            java.nio.file.Files.write(file, trace.body());
            try (GoTraceViewer viewer = GoTraceViewer.open(file)) {
                long burner = ids.get("early-burner");
                List<JsonNode> own = cpuSamples(viewer, burner, "earlyBurn");
                // At most one per ms of the CPU it spent while the request ran (the window is part of that time).
                assertThat(own).as("samples in earlyBurn on goroutine %d (%d ns CPU around the window)", burner,
                        cpuAround).isNotEmpty().hasSizeLessThanOrEqualTo((int) (cpuAround / PERIOD_NANOS * 11 / 10 + 5));
                assertThat(cpuSamples(viewer, ids.get("main"), "earlyBurn")).as("on main's goroutine").isEmpty();
            }
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenMainThatBurnsAndReturnsWhileAnotherThreadRunsOn_whenTracedToPerfetto_thenEverySampleOfMainIsOnMainsTrack(
            Jdk jdk, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("exit.perfetto-trace");
        // exit.timeout: at load 40 on 2 cores, writing the trace at exit took more than the default 5 s.
        AgentJvm jvm = AgentJvm.of(TraceCpuWorkload.class).jdk(jdk).agent("trace=" + file + ",exit.timeout=30s")
                .args("exit", "600").start();

        assertThat(jvm.waitForExit(EXIT)).as("stderr:\n%s", jvm.stderr()).isZero();

        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        Map<String, Long> cpu = cpuNanos(jvm.stdout());
        PerfettoTrace t = PerfettoTrace.read(file);
        List<Slice> mainBurn = samplesThrough(t, "mainBurn");
        List<Slice> afterMain = samplesThrough(t, "afterMain");
        // At least half a sample per ms of the CPU time each measured (a loaded machine loses some timer signals),
        // at most one per ms and some.
        assertThat(mainBurn).as("samples in mainBurn (%d ns CPU)", cpu.get("mainBurn"))
                .hasSizeBetween((int) (cpu.get("mainBurn") / PERIOD_NANOS / 2), (int) (cpu.get("mainBurn") / PERIOD_NANOS * 11 / 10 + 5));
        assertThat(afterMain).as("samples in afterMain (%d ns CPU)", cpu.get("afterMain"))
                .hasSizeGreaterThanOrEqualTo((int) (cpu.get("afterMain") / PERIOD_NANOS / 2));
        assertThat(mainBurn).as("all on main's track, none on DestroyJavaVM's")
                .allSatisfy(s -> assertThat(s.track()).isEqualTo(t.threadTrack("main")));
        assertThat(afterMain).allSatisfy(s -> assertThat(s.track()).isEqualTo(t.threadTrack("after-main")));
    }

    private static List<Slice> samplesThrough(PerfettoTrace t, String method) {
        return t.instants.stream().filter(i -> i.name().equals("cpu sample")
                && i.callstack().contains(WORKLOAD + method)).toList();
    }

    /** Returns the "CPU profile sample" instants of goroutine {@code goid} whose stack runs through {@code method}. */
    private static List<JsonNode> cpuSamples(GoTraceViewer viewer, long goid, String method) throws Exception {
        JsonNode root = new ObjectMapper().readTree(viewer.get("/jsontrace?goid=" + goid));
        JsonNode frames = root.path("stackFrames");
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : root.path("traceEvents")) {
            if (e.path("name").asText().equals("CPU profile sample") && e.path("tid").asLong() == goid
                    && stack(frames, e.path("sf").asInt()).stream().anyMatch(f -> f.startsWith(WORKLOAD + method + ":"))) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> stack(JsonNode frames, int id) {
        List<String> out = new ArrayList<>();
        for (JsonNode f = frames.path(String.valueOf(id)); id != 0 && !f.isMissingNode();
             id = f.path("parent").asInt(), f = frames.path(String.valueOf(id))) {
            out.add(f.path("name").asText());
        }
        return out;
    }

    /** Returns a thread's CPU time as the kernel counts it ({@code schedstat}'s first field). */
    private static long cpuNanos(Path schedstat) throws java.io.IOException {
        return Long.parseLong(java.nio.file.Files.readString(schedstat).split(" ")[0]);
    }

    private static Map<String, Long> threadIds(String stdout) {
        return lines(stdout, "thread");
    }

    private static Map<String, Long> cpuNanos(String stdout) {
        return lines(stdout, "cpu");
    }

    /** Returns {@code NAME VALUE} of the lines {@code KIND NAME VALUE}. */
    private static Map<String, Long> lines(String stdout, String kind) {
        Map<String, Long> out = new HashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[0].equals(kind)) out.put(f[1], Long.parseLong(f[2]));
        }
        return out;
    }

    private static int listeningPort(String attachOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("http listening on 127\\.0\\.0\\.1:(\\d+)")
                .matcher(attachOutput);
        assertThat(m.find()).as("a listening line in\n" + attachOutput).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
