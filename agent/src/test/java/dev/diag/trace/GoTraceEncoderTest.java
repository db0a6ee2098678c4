package dev.diag.trace;

import dev.diag.hook.LabelSet;
import dev.diag.hook.TraceEventLog;
import dev.diag.stack.StackTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The Go encoder's labels and spans, read back by Go's own parser: {@code go tool trace -d} prints every parsed event
 * (skipped, with the reason, where {@code go} is not on the PATH; the integration tests require it).
 */
class GoTraceEncoderTest {
    private static final long T0 = 1_000_000_000L;
    private static final long MAIN = 1;
    private static final long WORKER = 2;
    private static final LabelSet TENANT_A = LabelSet.EMPTY.with("tenant", "a");
    private static final LabelSet TENANT_B = LabelSet.EMPTY.with("tenant", "b");
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final LabelSet SPAN = TENANT_A.with("trace_id", TRACE_ID, "span_id", "00f067aa0ba902b7",
            "span_name", "checkout");

    /** One event as {@code go tool trace -d} prints it: {@code TS Type p=P g=G off=O key=value...}. */
    private record Event(String type, long g, String line) {
        String arg(String key) {
            int at = line.indexOf(" " + key + "=");
            if (at < 0) return null;
            int from = at + key.length() + 2;
            if (key.equals("message")) return line.substring(from); // the last one, and it may hold spaces
            int to = line.indexOf(' ', from);
            return to < 0 ? line.substring(from) : line.substring(from, to);
        }
    }

    @Test
    void givenLabelsOnTwoThreadsAndARegionInASpan_whenEncoded_thenGoReadsLabelLogsOnTheirGoroutinesAndTheSpanInTheRegion(
            @TempDir Path dir) throws Exception {
        TraceEventLog log = new TraceEventLog(64);
        log.appendAt(T0 + 100, TraceEventLog.TYPE_TASK_CREATE, MAIN, 7, 0, "order", null);
        log.appendAt(T0 + 200, TraceEventLog.TYPE_LABELS, MAIN, 7, 0, TENANT_A, null);
        log.appendAt(T0 + 300, TraceEventLog.TYPE_LABELS, MAIN, 7, 0, SPAN, null);
        log.appendAt(T0 + 400, TraceEventLog.TYPE_REGION_BEGIN, MAIN, 7, 0, "charge", null);
        log.appendAt(T0 + 500, TraceEventLog.TYPE_REGION_END, MAIN, 7, 0, null, null);
        log.appendAt(T0 + 600, TraceEventLog.TYPE_LABELS, MAIN, 7, 0, LabelSet.EMPTY, null);
        log.appendAt(T0 + 700, TraceEventLog.TYPE_TASK_END, MAIN, 7, 0, null, null);
        log.appendAt(T0 + 800, TraceEventLog.TYPE_REGION_BEGIN, WORKER, 0, 0, "refund", null);
        log.appendAt(T0 + 900, TraceEventLog.TYPE_REGION_END, WORKER, 0, 0, null, null);
        TimelineBuilder b = new TimelineBuilder(T0, T0 + 1_000);
        b.thread(MAIN, "main", false);
        b.thread(WORKER, "worker", false);
        b.labelsAtStart(Map.of(WORKER, TENANT_B)); // labelled before the trace began
        b.addLog(log, StackTable.SHARED);

        List<Event> events = parse(GoTraceEncoder.encode(b.build()), dir);

        List<Event> mainLogs = logs(events, MAIN);
        assertThat(mainLogs).extracting(e -> e.arg("category") + ": " + e.arg("message")).containsExactly(
                "labels: tenant=a",
                "labels: span_id=00f067aa0ba902b7,span_name=checkout,tenant=a,trace_id=" + TRACE_ID,
                "span: trace_id=" + TRACE_ID + ",span_id=00f067aa0ba902b7,span_name=checkout",
                "labels: ");
        assertThat(mainLogs).as("in the task current at the change")
                .allSatisfy(e -> assertThat(e.arg("id")).isEqualTo("7"));
        assertThat(logs(events, WORKER)).extracting(e -> e.arg("category") + ": " + e.arg("message"))
                .as("the labels it had when the trace began").containsExactly("labels: tenant=b");
        List<String> mainOrder = events.stream().filter(e -> e.g() == MAIN && e.type().startsWith("User"))
                .map(e -> e.type() + (e.type().equals("UserRegion") ? " " + e.arg("mode") : " " + e.arg("category")))
                .toList();
        assertThat(mainOrder).as("the span's log inside the region").containsSubsequence(
                "UserRegion 0", "UserLog span", "UserRegion 1");
    }

    private static List<Event> logs(List<Event> events, long g) {
        return events.stream().filter(e -> e.type().equals("UserLog") && e.g() == g).toList();
    }

    /** Writes the trace and returns the events {@code go tool trace -d} prints, in its order. */
    private static List<Event> parse(byte[] trace, Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("t.trace");
        Files.write(file, trace);
        Process p;
        try {
            p = new ProcessBuilder("go", "tool", "trace", "-d", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeThat(e).as("go is not on the PATH").isNull();
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("go tool trace -d:\n%s", out).isZero();
        List<Event> events = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split(" ", 5);
            if (f.length < 5 || !f[2].startsWith("p=") || !f[3].startsWith("g=")) continue;
            events.add(new Event(f[1], Long.parseLong(f[3].substring(2)), line));
        }
        assertThat(events).as("go tool trace -d:\n%s", out).isNotEmpty();
        return events;
    }
}
