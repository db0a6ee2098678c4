package dev.diag.bench;

import dev.diag.api.Labels;
import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;
import dev.diag.hook.TraceHook;
import dev.diag.jfr.JfrSession;
import dev.diag.labels.ThreadLabels;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The calling thread's CPU time per operation, for a machine too loaded for JMH's wall-clock times (at load 40 on 2
 * cores a thread runs a twentieth of the time, and JMH's iterations spread tenfold): the thread's own CPU time does
 * not count the time it waited for a core. Runs {@code args[0]} (a {@link LabelsBenchmark} scope, or an
 * {@link OtelSpanScopeBenchmark} case) in 15 rounds of {@code args[1]} operations (default 1,000,000) after 5 rounds
 * of warm-up, and prints the fastest round and the median, in ns of CPU time per operation. Run it without and with
 * {@code -javaagent:agent/target/diag.jar}, from the repository's root:
 *
 * <pre>java [-javaagent:agent/target/diag.jar] -cp benchmarks/target/benchmarks.jar:agent/target/diag.jar \
 *     dev.diag.bench.CpuPerOperation newChild</pre>
 *
 * Cases: {@code scope} ({@code Labels.with} on an outer label, opened and closed), {@code wrap} (a labelled
 * submitter's task wrapped for an executor) and {@code runWrapped} (a pool thread running it), each with label changes
 * followed as {@code args[2]} says ({@code off}, {@code native}: the native engine's logs, read every millisecond on
 * another thread; {@code jfr}: a {@code dev.diag.LabelsChanged} JFR event per change; {@code both}), run without
 * {@code -javaagent} (the API is linked as {@link LabelsBenchmark} links it); {@code root}, {@code child} (the same span
 * made current again), {@code newChild}, {@code newRoot} (a new span each time; the SDK's own cost of starting and
 * ending it is in both runs).
 */
public final class CpuPerOperation {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile Runnable sinkTask;

    public static void main(String[] args) throws Exception {
        String op = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        String follow = args.length > 2 ? args[2] : "off";
        if (follow.equals("native") || follow.equals("both")) new FollowedLabels(); // until the JVM exits
        if (follow.equals("jfr") || follow.equals("both")) {
            if (ThreadLabels.start(new JfrSession()) == null) throw new IllegalStateException("JFR cannot run");
        }
        Runnable body = body(op);
        long[] rounds = new long[15];
        for (int r = 0; r < 5; r++) run(body, n);
        for (int r = 0; r < rounds.length; r++) rounds[r] = run(body, n);
        java.util.Arrays.sort(rounds);
        if (op.startsWith("new") || op.equals("root") || op.equals("child")) System.out.println("labels inside a span: " + labelsInsideSpan());
        System.out.printf("%s, %s: fastest %.1f ns, median %.1f ns of CPU per operation (%d rounds of %d)%n", op, follow,
                rounds[0] / (double) n, rounds[rounds.length / 2] / (double) n, rounds.length, n);
    }

    /** What the thread's labels are while a span is current: with diag, the span's; without, none. */
    private static String labelsInsideSpan() throws ReflectiveOperationException {
        ApiCopy.link();
        Span s = SdkTracerProvider.builder().addSpanProcessor(new OtelSpanScopeBenchmark.NoExport()).build()
                .get("dev.diag.bench").spanBuilder("check").setNoParent().startSpan();
        try (io.opentelemetry.context.Scope scope = s.makeCurrent()) {
            return Labels.current().toString();
        }
    }

    private static long run(Runnable body, int n) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) body.run();
        return THREADS.getCurrentThreadCpuTime() - t0;
    }

    private static Runnable body(String op) throws ReflectiveOperationException {
        if (op.equals("wrap") || op.equals("runWrapped")) {
            ApiCopy.link();
            LabelSet submitter = LabelSet.EMPTY.with("tenant", "acme").with("endpoint", "/users");
            LabelHook.set(submitter);
            Runnable task = () -> { };
            Runnable wrapped = TraceHook.wrap(task);
            LabelHook.set(LabelSet.EMPTY); // the runner has no labels of its own
            if (op.equals("runWrapped")) return wrapped;
            LabelHook.set(submitter);
            return () -> sinkTask = TraceHook.wrap(task);
        }
        if (op.equals("scope")) {
            ApiCopy.link();
            Labels.with("tenant", "acme"); // the outer label, left open
            return () -> {
                try (Labels.Scope s = Labels.with("endpoint", "/users")) {
                    // the scope's cost alone
                }
            };
        }
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(new OtelSpanScopeBenchmark.NoExport()).build();
        Tracer tracer = provider.get("dev.diag.bench");
        Span current;
        if (op.equals("child") || op.equals("newChild")) {
            Span parent = tracer.spanBuilder("parent").setNoParent().startSpan();
            parent.makeCurrent(); // left open
            current = tracer.spanBuilder("child").startSpan();
        } else {
            current = tracer.spanBuilder("root").setNoParent().startSpan();
        }
        return () -> {
            Span s = op.equals("newChild") ? tracer.spanBuilder("child").startSpan()
                    : op.equals("newRoot") ? tracer.spanBuilder("root").setNoParent().startSpan() : current;
            try (io.opentelemetry.context.Scope scope = s.makeCurrent()) {
                // the scope alone
            }
            if (s != current) s.end();
        };
    }
}
