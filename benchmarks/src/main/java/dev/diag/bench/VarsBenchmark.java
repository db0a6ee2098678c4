package dev.diag.bench;

import dev.diag.api.Vars;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the application pays to count with {@code dev.diag.api.Vars}: {@code Int.add} on one thread and on two threads
 * adding to the same Int, against an {@link AtomicLong} (Go's {@code expvar.Int} is one atomic word) as the other
 * choice, and {@code Map.add} to a key that exists.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar:agent/target/diag.jar org.openjdk.jmh.Main VarsBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class VarsBenchmark {
    private final Vars.Int counter = new Vars.Int();
    private final AtomicLong atomic = new AtomicLong();
    private final Vars.Map map = new Vars.Map();

    public VarsBenchmark() {
        map.add("200", 1);
        map.add("404", 1);
        map.add("500", 1);
    }

    @Benchmark
    @Threads(1)
    public void intAdd() {
        counter.add(1);
    }

    @Benchmark
    @Threads(2)
    public void intAddTwoThreads() {
        counter.add(1);
    }

    @Benchmark
    @Threads(1)
    public long atomicLongAdd() {
        return atomic.incrementAndGet();
    }

    @Benchmark
    @Threads(2)
    public long atomicLongAddTwoThreads() {
        return atomic.incrementAndGet();
    }

    @Benchmark
    @Threads(1)
    public void mapAddExistingKey() {
        map.add("404", 1);
    }

    @Benchmark
    @Threads(2)
    public void mapAddExistingKeyTwoThreads() {
        map.add("404", 1);
    }
}
