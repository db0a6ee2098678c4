package dev.diag.bench;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

/**
 * What an OpenTelemetry {@code span.makeCurrent()} and its {@code close()} cost the application, without diag and
 * with diag's link to profile labels (which puts {@code trace_id}/{@code span_id}/{@code span_name} on the thread at
 * the attach and gives the previous labels back at the close): with no profile running ({@code withDiag}) and with the
 * label changes followed as the native CPU profile follows them ({@code withDiagFollowed}: each change logged, the
 * logs read on another thread every millisecond, as {@link LabelsBenchmark}'s {@code native}). {@code root}: the
 * span begins a trace on this thread (ids, and the root's name read from the SDK); {@code child}: its parent span is
 * current already, so only {@code span_id} changes. Both make the same span current again and again, which diag
 * serves from its per-thread last result; {@code newChild} starts and ends a new child span each time (the SDK's own
 * cost is in both columns), so diag computes new labels each time; {@code newRoot} a new trace's root span each time
 * (each request of a server: new ids and the root's name read from the SDK). Run from the repository's root (the forks find
 * the agent there):
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar:agent/target/diag.jar org.openjdk.jmh.Main OtelSpanScopeBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class OtelSpanScopeBenchmark {
    @Param({"root", "child", "newChild", "newRoot"})
    public String span;

    private SdkTracerProvider provider;
    private Tracer tracer;
    private Span parent;
    private io.opentelemetry.context.Scope parentScope;
    private Span current;

    private FollowedLabels followed;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        if (params.getBenchmark().endsWith("withDiagFollowed")) followed = new FollowedLabels();
        // Without a span processor the SDK hands out no-op spans, with no ids.
        provider = SdkTracerProvider.builder().addSpanProcessor(new NoExport()).build();
        tracer = provider.get("dev.diag.bench");
        if (!span.equals("root") && !span.equals("newRoot")) {
            parent = tracer.spanBuilder("parent").setNoParent().startSpan();
            parentScope = parent.makeCurrent();
            current = tracer.spanBuilder("child").startSpan();
        } else {
            current = tracer.spanBuilder("root").setNoParent().startSpan();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        current.end();
        if (parentScope != null) {
            parentScope.close();
            parent.end();
        }
        provider.close();
        if (followed != null) followed.close();
    }

    @Benchmark
    @Fork(1)
    public void withoutDiag() {
        makeCurrentAndClose();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/diag.jar")
    public void withDiag() {
        makeCurrentAndClose();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/diag.jar")
    public void withDiagFollowed() {
        makeCurrentAndClose();
    }

    private void makeCurrentAndClose() {
        Span s = span.equals("newChild") ? tracer.spanBuilder("child").startSpan()
                : span.equals("newRoot") ? tracer.spanBuilder("root").setNoParent().startSpan() : current;
        try (io.opentelemetry.context.Scope scope = s.makeCurrent()) {
            // the scope alone: what a traced method adds around its body
        }
        if (s != current) s.end();
    }

    /** A processor that exports nothing: it only makes the SDK record spans. */
    static final class NoExport implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {}

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }
}
