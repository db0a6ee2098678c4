package dev.diag.bench.trace;

import dev.diag.api.Region;
import dev.diag.api.Trace;
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
 * Cost of the trace API on the calling thread: {@code Trace.region} open+close, {@code Trace.log}, and the
 * {@code LockSupport.unpark} hook's entry point, with no trace recording ("off") and while one records ("on").
 * "On" runs in batches of 1,000,000 calls into a fresh event log per iteration (so the log never fills up and every
 * call is a real append), measured as single shots; divide by the batch size. The log is the real one the agent
 * uses; only the agent's set-up is skipped (it calls {@code TraceHook.setLog} the same way).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TraceRegionBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, batchSize = TraceRegionBenchmark.BATCH)
@Measurement(iterations = 10, batchSize = TraceRegionBenchmark.BATCH)
@Fork(1)
public class TraceRegionBenchmark {
    static final int BATCH = 1_000_000;

    @Param({"off", "on"})
    public String tracing;

    private final Thread self = Thread.currentThread();

    @Setup(Level.Trial)
    public void linkTheApi() throws ReflectiveOperationException {
        dev.diag.bench.ApiCopy.link();
    }

    @Setup(Level.Iteration)
    public void startLog() {
        // 3 events per batch element at most (region begin + end, or one log, or one unpark), plus headroom.
        TraceHook.setLog(tracing.equals("on") ? new TraceEventLog(3L * BATCH) : null);
    }

    @TearDown(Level.Iteration)
    public void stopLog() {
        TraceHook.setLog(null);
    }

    @Benchmark
    public void regionOpenClose() {
        try (Region r = Trace.region("work")) {
            // An empty region: the API's own cost.
        }
    }

    @Benchmark
    public void log() {
        Trace.log("order", "validated");
    }

    @Benchmark
    public void unparkHook() {
        TraceHook.unpark(self);
    }
}
