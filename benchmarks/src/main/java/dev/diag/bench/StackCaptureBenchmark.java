package dev.diag.bench;

import dev.diag.stack.StackCapture;
import dev.diag.stack.StackTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the stack of a recorded block or mutex event costs: a stack seen before (the cache hit: a walk reading class and
 * bci, one lookup) and a stack seen for the first time (the miss: the walk plus names, lines, trimming and interning,
 * what every recorded event paid before the cache). {@code depth} frames are added below JMH's own ~10.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar StackCaptureBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StackCaptureBenchmark {
    @Param({"0", "20"})
    int depth;

    @Benchmark
    public int hit() {
        return hitAt(depth);
    }

    @Benchmark
    public int miss() {
        return missAt(depth);
    }

    private static int hitAt(int d) {
        return d == 0 ? StackCapture.WAIT_SITE.captureId() : hitAt(d - 1) + 1;
    }

    private static int missAt(int d) {
        return d == 0 ? StackTable.SHARED.intern(StackCapture.WAIT_SITE.capture()) : missAt(d - 1) + 1;
    }
}
