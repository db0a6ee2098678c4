package dev.diag.it;

import dev.diag.it.workloads.OtelSpanWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenTelemetry link: an application using the real OpenTelemetry API and SDK makes spans current, and diag's
 * samples taken meanwhile carry those spans' {@code trace_id} and {@code span_id} (and the local root's
 * {@code span_name}), read back with the real {@code go tool pprof}; work outside spans carries none. Spans from
 * the application's own SDK, and from OpenTelemetry's Java agent (its shaded copy of the API).
 */
class OtelSpanLabelsIT {
    private static final Pattern SPAN = Pattern.compile("(?m)^span (\\w+) trace=(\\w+) span=(\\w+)$");
    private static final Pattern LABELS = Pattern.compile("(?m)^labels ([\\w-]+) (.*)$");

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenWorkInsideTwoTracesSpans_whenProfiled_thenItsSamplesCarryThoseSpansIds(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");

        AgentJvm jvm = AgentJvm.of(OtelSpanWorkload.class).jdk(jdk).classPath(openTelemetryJars())
                .agent("out=" + out + ",profiles=cpu,allocs").args("1500").start();

        assertThat(jvm.waitForExit(Duration.ofSeconds(90))).as("stderr %s", jvm.stderr()).isZero();
        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        assertSpansOnSamples(jvm.stdout(), out);
    }

    /** The same with OpenTelemetry's Java agent attached (after diag), whose SDK makes the spans, in its shaded API. */
    @ParameterizedTest
    @MethodSource("jdks")
    void givenOpenTelemetryJavaAgentsSpans_whenProfiled_thenSamplesCarryThoseSpansIds(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        Path javaagent = Path.of(System.getProperty("otel.javaagent.jar"));
        assertThat(javaagent).as("OpenTelemetry's Java agent, from Maven Central").isRegularFile();

        AgentJvm jvm = AgentJvm.of(OtelSpanWorkload.class).jdk(jdk).classPath(openTelemetryJars())
                // Both agents share two busy cores: the exit files get more than the default 5 s.
                .agent("out=" + out + ",profiles=cpu,allocs,exit.timeout=30s").jvmArg("-javaagent:" + javaagent)
                .jvmArg("-Dotel.traces.exporter=none").jvmArg("-Dotel.metrics.exporter=none")
                .jvmArg("-Dotel.logs.exporter=none").jvmArg("-Dotel.javaagent.logging=none")
                .args("1500", "global").start();

        assertThat(jvm.waitForExit(Duration.ofSeconds(120))).as("stderr %s", jvm.stderr()).isZero();
        assertThat(jvm.stderr()).doesNotContain("diag:");
        assertSpansOnSamples(jvm.stdout(), out);
    }

    /**
     * Checks the labels the workload saw inside and outside its spans, then its cpu and allocs profiles: the work in
     * each span carries that span's ids, and the work outside spans none.
     */
    private static void assertSpansOnSamples(String stdout, Path out) throws Exception {
        Map<String, String[]> spans = spans(stdout);
        assertThat(spans).as(stdout).containsOnlyKeys("checkout", "charge", "handover", "refund");
        String[] handover = spans.get("handover");
        String[] checkout = spans.get("checkout");
        String[] charge = spans.get("charge");
        String[] refund = spans.get("refund");
        assertThat(charge[0]).as("the child span's trace").isEqualTo(checkout[0]);
        Map<String, String> labels = labels(stdout);
        assertThat(labels.get("checkout")).isEqualTo(
                "{span_id=" + checkout[1] + ", span_name=checkout, tenant=acme, trace_id=" + checkout[0] + "}");
        assertThat(labels.get("charge")).as("a child span keeps its local root's name").isEqualTo(
                "{span_id=" + charge[1] + ", span_name=checkout, tenant=acme, trace_id=" + checkout[0] + "}");
        assertThat(labels.get("checkout-after-charge")).as("closing the child gives the parent's labels back")
                .isEqualTo(labels.get("checkout"));
        assertThat(labels.get("refund")).isEqualTo(
                "{span_id=" + refund[1] + ", span_name=refund, tenant=acme, trace_id=" + refund[0] + "}");
        assertThat(labels.get("handover-worker")).as("a context wrapped for another thread, attached there").isEqualTo(
                "{span_id=" + handover[1] + ", span_name=handover, tenant=acme, trace_id=" + handover[0] + "}");
        assertThat(labels.get("handover-worker-after")).as("the wrapped task's scope closed")
                .isEqualTo("{tenant=acme}");
        assertThat(labels.get("unspanned")).isEqualTo("{tenant=acme}");
        assertThat(labels.get("after")).isEqualTo("{}");

        RawProfile cpu = GoTool.raw(out.resolve("cpu.pb.gz"));
        assertCarried(cpu, "cpu/nanoseconds", "OtelSpanWorkload.checkoutWork", checkout, "checkout");
        assertCarried(cpu, "cpu/nanoseconds", "OtelSpanWorkload.chargeWork", charge, "checkout");
        assertCarried(cpu, "cpu/nanoseconds", "OtelSpanWorkload.refundWork", refund, "refund");
        assertCarried(cpu, "cpu/nanoseconds", "OtelSpanWorkload.wrappedWork", handover, "handover");
        assertNoSpanLabels(cpu, "cpu/nanoseconds");
        RawProfile allocs = GoTool.raw(out.resolve("allocs.pb.gz"));
        assertCarried(allocs, "alloc_space/bytes", "OtelSpanWorkload.checkoutWork", checkout, "checkout");
        assertCarried(allocs, "alloc_space/bytes", "OtelSpanWorkload.refundWork", refund, "refund");
        assertNoSpanLabels(allocs, "alloc_space/bytes");

        String focused = GoTool.pprof("-top", "-tagfocus=span_id=" + checkout[1], out.resolve("cpu.pb.gz").toString());
        assertThat(focused).contains("OtelSpanWorkload.checkoutWork").doesNotContain("OtelSpanWorkload.refundWork")
                .doesNotContain("OtelSpanWorkload.chargeWork").doesNotContain("OtelSpanWorkload.unspannedWork");
        String trace = GoTool.pprof("-top", "-tagfocus=trace_id=" + checkout[0], out.resolve("cpu.pb.gz").toString());
        assertThat(trace).contains("OtelSpanWorkload.checkoutWork").contains("OtelSpanWorkload.chargeWork")
                .doesNotContain("OtelSpanWorkload.refundWork");
    }

    /** At least 95 % of {@code type} through {@code frame} carries the span's ids, its root's name and the app's label. */
    private static void assertCarried(RawProfile p, String type, String frame, String[] span, String rootName) {
        double all = p.sum(type, s -> s.hasFrame(frame));
        double carried = p.sum(type, s -> s.hasFrame(frame) && s.labels().contains("trace_id:[" + span[0] + "]")
                && s.labels().contains("span_id:[" + span[1] + "]") && s.labels().contains("span_name:[" + rootName + "]")
                && s.labels().contains("tenant:[acme]"));
        assertThat(all).as("%s through %s", type, frame).isPositive();
        assertThat(carried / all).as("share of %s through %s with span %s", type, frame, Arrays.toString(span))
                .isGreaterThanOrEqualTo(0.95);
    }

    /** Work outside spans carries no span label, and keeps the application's own. */
    private static void assertNoSpanLabels(RawProfile p, String type) {
        String frame = "OtelSpanWorkload.unspannedWork";
        double all = p.sum(type, s -> s.hasFrame(frame));
        double spanned = p.sum(type, s -> s.hasFrame(frame) && (s.labels().contains("span_id:")
                || s.labels().contains("trace_id:") || s.labels().contains("span_name:")));
        double tenant = p.sum(type, s -> s.hasFrame(frame) && s.labels().contains("tenant:[acme]"));
        assertThat(all).as("%s through %s", type, frame).isPositive();
        assertThat(spanned).as("%s through %s with span labels", type, frame).isZero();
        assertThat(tenant / all).as("share of %s through %s with tenant=acme", type, frame).isGreaterThan(0.95);
    }

    /** The workload's spans by name: {trace id, span id}. */
    private static Map<String, String[]> spans(String stdout) {
        Map<String, String[]> m = new HashMap<>();
        Matcher matcher = SPAN.matcher(stdout);
        while (matcher.find()) m.put(matcher.group(1), new String[] {matcher.group(2), matcher.group(3)});
        return m;
    }

    private static Map<String, String> labels(String stdout) {
        Map<String, String> m = new HashMap<>();
        Matcher matcher = LABELS.matcher(stdout);
        while (matcher.find()) m.put(matcher.group(1), matcher.group(2));
        return m;
    }

    /** The OpenTelemetry API and SDK jars of this module's test class path: the application's libraries. */
    static String[] openTelemetryJars() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains(File.separator + "opentelemetry-")).collect(Collectors.toList())
                .toArray(new String[0]);
    }
}
