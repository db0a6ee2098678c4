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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the stack of a recorded block or mutex event costs: a stack seen before (the cache hit: the key read from a
 * backtrace or a walk, one lookup) and a stack seen for the first time (the miss: the key plus names, lines, trimming
 * and interning). {@code frames} is the whole stack's depth at the capture, JMH's own frames (15) included.
 * Stacks are keyed from backtraces when {@code jdk.internal.misc} is exported to the benchmark, as the agent exports it
 * to its hooks; without the export, from a {@code StackWalker} walk:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar StackCaptureBenchmark -prof gc \
 *     -jvmArgsAppend "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"
 * java -jar benchmarks/target/benchmarks.jar StackCaptureBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StackCaptureBenchmark {
    @Param({"16", "32", "128"})
    int frames;
    private int depth;

    @Setup
    public void pad() {
        int base = new Throwable().getStackTrace().length; // this method sits where the benchmark method will
        if (base > frames) throw new IllegalStateException("JMH alone is " + base + " frames deep");
        depth = frames - base;
        System.out.println("stacks keyed from " + (StackCapture.WAIT_SITE.readsBacktraces() ? "backtraces"
                : "StackWalker walks"));
    }

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
