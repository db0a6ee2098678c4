package dev.diag.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.PerfettoTrace.Slice;
import dev.diag.it.workloads.TraceLabelsWorkload;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Profile labels and OpenTelemetry spans in execution traces ({@code trace=FILE}) of {@link TraceLabelsWorkload}, an
 * application with the real OpenTelemetry API and SDK: in Go's format, read by Go's own parser
 * ({@code go tool trace -d}), each label change is a user log "labels" on the goroutine that changed, and a region
 * run in a span holds a log with the span's ids; in Perfetto, the labels are arguments of the slices and instants.
 */
class TraceLabelsIT {
    private static final Pattern THREAD = Pattern.compile("(?m)^thread ([\\w-]+) (\\d+)$");
    private static final Pattern SPAN = Pattern.compile("(?m)^span (\\w+) trace=(\\w+) span=(\\w+)$");

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    /** What the workload printed: its threads' ids and its spans' ids. */
    private record Truth(Map<String, Long> threads, Map<String, String[]> spans) {
        static Truth of(String stdout) {
            Map<String, Long> threads = new HashMap<>();
            for (Matcher m = THREAD.matcher(stdout); m.find(); ) threads.put(m.group(1), Long.parseLong(m.group(2)));
            Map<String, String[]> spans = new HashMap<>();
            for (Matcher m = SPAN.matcher(stdout); m.find(); ) {
                spans.put(m.group(1), new String[] {m.group(2), m.group(3)});
            }
            return new Truth(threads, spans);
        }

        String traceId(String span) {
            return spans.get(span)[0];
        }

        String spanId(String span) {
            return spans.get(span)[1];
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenTwoLabelledThreadsAndSpans_whenTracedInGoFormat_thenLabelLogsAreOnTheirGoroutinesAndSpanIdsInTheRegions(
            Jdk jdk, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.trace");

        Truth truth = run(workload(jdk).agent("trace=" + file), Duration.ofSeconds(90));

        GoTraceEvents go = GoTraceEvents.read(file);
        assertLabelLogs(go, truth.threads().get("tenant-a"), "tenant=a", "tenant=b");
        assertLabelLogs(go, truth.threads().get("tenant-b"), "tenant=b", "tenant=a");
        long main = truth.threads().get("main");
        assertThat(go.insideRegion(main, "charge")).as("the @Traced region run in span checkout").anySatisfy(e -> {
            assertThat(e.isLog("span")).isTrue();
            assertThat(e.arg("message")).isEqualTo("trace_id=" + truth.traceId("checkout") + ",span_id="
                    + truth.spanId("checkout") + ",span_name=checkout");
        });
        assertThat(go.insideRegion(main, "refund-handler")).as("the region in which span refund became current")
                .anySatisfy(e -> {
                    assertThat(e.isLog("labels")).isTrue();
                    assertThat(e.arg("message")).isEqualTo("span_id=" + truth.spanId("refund")
                            + ",span_name=refund,trace_id=" + truth.traceId("refund"));
                });
        assertThat(go.of(main)).as("the span's labels leave with its scope").filteredOn(e -> e.isLog("labels"))
                .last().satisfies(e -> assertThat(e.arg("message")).isEmpty());
        try (GoTraceViewer viewer = GoTraceViewer.open(file)) {
            assertThat(viewer.get("/jsontrace?goid=" + truth.threads().get("tenant-a"))).contains("labels=tenant=a");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenTwoLabelledThreadsAndSpans_whenTracedToPerfetto_thenSlicesAndLabelInstantsCarryLabelsAndSpanIds(
            Jdk jdk, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.perfetto-trace");

        Truth truth = run(workload(jdk).agent("trace=" + file), Duration.ofSeconds(90));

        PerfettoTrace t = PerfettoTrace.read(file);
        for (String tenant : List.of("a", "b")) {
            long track = t.threadTrack("tenant-" + tenant);
            assertThat(t.onTrack(track, t.slices("serve"))).singleElement()
                    .satisfies(s -> assertThat(s.args()).containsEntry("labels.tenant", tenant));
            assertThat(t.onTrack(track, t.instants)).as("the change on its own thread's track").anySatisfy(i -> {
                assertThat(i.name()).isEqualTo("labels {tenant=" + tenant + "}");
                assertThat(i.args()).containsEntry("labels.tenant", tenant);
            });
        }
        assertSpanArgs(t.slice("charge"), truth, "checkout");
        assertSpanArgs(t.slice("refund-handler"), truth, "refund");
    }

    /** Chrome JSON (the same content as Perfetto's): an object {@code labels} in the args. One JDK: same encoder. */
    @Test
    void givenLabelledThreadsAndSpans_whenTracedToJson_thenArgsHoldALabelsObject(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.json");

        Truth truth = run(workload(Jdk.current()).agent("trace=" + file), Duration.ofSeconds(90));

        List<JsonNode> events = new ArrayList<>();
        new ObjectMapper().readTree(file.toFile()).get("traceEvents").forEach(events::add);
        for (String tenant : List.of("a", "b")) {
            long tid = truth.threads().get("tenant-" + tenant);
            assertThat(events).as("region serve of tenant-%s", tenant).anySatisfy(e -> {
                assertThat(e.path("name").asText() + " " + e.path("tid").asLong()).isEqualTo("serve " + tid);
                assertThat(e.path("args").path("labels").path("tenant").asText()).isEqualTo(tenant);
            });
            assertThat(events).as("the change on tenant-%s", tenant).anySatisfy(e -> {
                assertThat(e.path("cat").asText() + " " + e.path("tid").asLong()).isEqualTo("labels " + tid);
                assertThat(e.path("args").path("labels").path("tenant").asText()).isEqualTo(tenant);
            });
        }
        JsonNode charge = events.stream().filter(e -> e.path("name").asText().equals("charge")).findFirst()
                .orElseThrow(() -> new AssertionError("no region charge"));
        assertThat(charge.path("args").path("labels").path("trace_id").asText()).isEqualTo(truth.traceId("checkout"));
        assertThat(charge.path("args").path("labels").path("span_id").asText()).isEqualTo(truth.spanId("checkout"));
        assertThat(charge.path("args").path("labels").path("span_name").asText()).isEqualTo("checkout");
    }

    /** The same with OpenTelemetry's Java agent attached: its {@code @WithSpan} span is on diag's region "audit". */
    @ParameterizedTest
    @MethodSource("jdks")
    void givenOpenTelemetryJavaAgent_whenTracedInBothFormats_thenTheWithSpanRegionCarriesItsSpan(Jdk jdk,
            @TempDir Path dir) throws Exception {
        Path javaagent = Path.of(System.getProperty("otel.javaagent.jar"));
        assertThat(javaagent).as("OpenTelemetry's Java agent, from Maven Central").isRegularFile();
        for (String name : List.of("app.trace", "app.perfetto-trace")) {
            Path file = dir.resolve(name);
            // Both agents share two busy cores: the exit gets more than the default 5 s to write the trace.
            Truth truth = run(workload(jdk).agent("trace=" + file + ",exit.timeout=30s")
                    .jvmArg("-javaagent:" + javaagent)
                    .jvmArg("-Dotel.traces.exporter=none").jvmArg("-Dotel.metrics.exporter=none")
                    .jvmArg("-Dotel.logs.exporter=none").jvmArg("-Dotel.javaagent.logging=none")
                    .args("global"), Duration.ofSeconds(120));
            assertThat(truth.spans()).containsKeys("checkout", "refund", "audit");
            if (name.endsWith(".trace")) {
                long main = truth.threads().get("main");
                assertThat(GoTraceEvents.read(file).insideRegion(main, "audit")).as("region audit").anySatisfy(e ->
                        assertThat(e.arg("message")).contains("trace_id=" + truth.traceId("audit"))
                                .contains("span_id=" + truth.spanId("audit")));
            } else {
                PerfettoTrace t = PerfettoTrace.read(file);
                assertSpanArgs(t.slice("audit"), truth, "audit");
                assertSpanArgs(t.slice("charge"), truth, "checkout");
            }
        }
    }

    /** The region carries the span's trace and span ids, and its root's name. */
    private static void assertSpanArgs(Slice region, Truth truth, String span) {
        assertThat(region.args()).as("args of region %s", region.name())
                .containsEntry("labels.trace_id", truth.traceId(span))
                .containsEntry("labels.span_id", truth.spanId(span))
                .containsEntry("labels.span_name", span);
    }

    /** Every label log on goroutine {@code g} is its own (its value, or cleared), never the other thread's. */
    private static void assertLabelLogs(GoTraceEvents go, long g, String own, String other) {
        List<String> logs = go.of(g).stream().filter(e -> e.isLog("labels")).map(e -> e.arg("message")).toList();
        assertThat(logs).as("label logs of goroutine %d", g).contains(own).doesNotContain(other);
        assertThat(go.events).as("%s logged by another goroutine", own)
                .noneMatch(e -> e.g() != g && e.isLog("labels") && own.equals(e.arg("message")));
    }

    /** The workload with the OpenTelemetry API and SDK on its class path, as an application ships them. */
    private static AgentJvm workload(Jdk jdk) {
        return AgentJvm.of(TraceLabelsWorkload.class).jdk(jdk).classPath(OtelSpanLabelsIT.openTelemetryJars());
    }

    private static Truth run(AgentJvm jvm, Duration max) throws Exception {
        jvm.start();
        int exit = jvm.waitForExit(max);
        assertThat(exit).as("exit code; stderr:\n%s", jvm.stderr()).isZero();
        assertThat(jvm.stderr()).doesNotContain("diag:");
        assertThat(jvm.stdout()).contains("tracing=true", "done");
        Truth truth = Truth.of(jvm.stdout());
        assertThat(truth.threads()).as(jvm.stdout()).containsKeys("main", "tenant-a", "tenant-b");
        assertThat(truth.spans()).as(jvm.stdout()).containsKeys("checkout", "refund");
        return truth;
    }
}
