package dev.diag.bench.trace;

import dev.diag.api.Labels;
import dev.diag.hook.TraceEventLog;
import dev.diag.hook.TraceHook;
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

import java.util.concurrent.TimeUnit;

/**
 * What a {@code Labels.with} scope (one label on top of an outer one, as {@code LabelsBenchmark}) costs while an
 * execution trace records its two label changes ("on"), against no trace ("off"). As {@link TraceRegionBenchmark}:
 * batches of {@value #BATCH} scopes into a fresh event log per iteration, so every change is a real append (three
 * slots each: the event and one per label), measured as single shots; divide by the batch size. The log keeps each
 * change's label set until the iteration ends, as a trace keeps it until it is written.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar:agent/target/diag.jar org.openjdk.jmh.Main TraceLabelsBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, batchSize = TraceLabelsBenchmark.BATCH)
@Measurement(iterations = 10, batchSize = TraceLabelsBenchmark.BATCH)
@Fork(1)
public class TraceLabelsBenchmark {
    static final int BATCH = 100_000;

    @Param({"off", "on"})
    public String tracing;

    private Labels.Scope outer;

    @Setup(Level.Trial)
    public void linkTheApi() throws ReflectiveOperationException {
        dev.diag.bench.ApiCopy.link();
        outer = Labels.with("tenant", "acme");
    }

    @TearDown(Level.Trial)
    public void closeOuterLabels() {
        outer.close();
    }

    @Setup(Level.Iteration)
    public void startLog() {
        // Two changes per scope of at most 3 slots each, plus the thread's name and headroom.
        TraceHook.setLog(tracing.equals("on") ? new TraceEventLog(8L * BATCH) : null);
    }

    @TearDown(Level.Iteration)
    public void stopLog() {
        TraceHook.setLog(null);
    }

    @Benchmark
    public void labelScope() {
        try (Labels.Scope s = Labels.with("endpoint", "/users")) {
            // the scope's cost alone: two label changes
        }
    }
}
