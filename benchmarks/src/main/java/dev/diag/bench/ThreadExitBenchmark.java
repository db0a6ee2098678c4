package dev.diag.bench;

import dev.diag.hook.ThreadExitHook;
import dev.diag.jfr.ExitedThreadCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What the {@code Thread.exit()} hook adds to a thread's end: {@code hook} calls it as the inlined advice does, with
 * diag's listener reading the thread's CPU time and allocated bytes ({@code on}) or with no listener ({@code off});
 * {@code startAndJoin} is the price of a platform thread's whole life, for scale (no advice is installed here, so it
 * is the same under both values of {@code listener}).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar:agent/target/diag.jar org.openjdk.jmh.Main ThreadExitBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ThreadExitBenchmark {
    @Param({"off", "on"})
    public String listener;

    @Setup
    public void setUp() {
        ThreadExitHook.setListener(listener.equals("on") ? ExitedThreadCounters.INSTANCE : null);
    }

    @TearDown
    public void tearDown() {
        ThreadExitHook.setListener(null);
    }

    @Benchmark
    public void hook() {
        ThreadExitHook.onExit();
    }

    @Benchmark
    public void startAndJoin() throws InterruptedException {
        Thread t = new Thread(() -> {});
        t.start();
        t.join();
    }
}
