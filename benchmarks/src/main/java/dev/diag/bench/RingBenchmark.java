package dev.diag.bench;

import dev.diag.ring.RecordType;
import dev.diag.ring.StripedRing;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Ring throughput: records drained per second by the one drainer when one thread fills then drains
 * ({@code offerThenDrain}), and with producers and the drainer running at once on their own cores
 * ({@code concurrent}: its {@code drained}, {@code offered} and {@code dropped} counters are records per second).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RingBenchmark</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RingBenchmark {
    static final int BATCH = 4096;
    private StripedRing ring;
    private long sink;

    @Setup(Level.Trial)
    public void setUp() {
        ring = new StripedRing(8, 8 * BATCH);
    }

    /** Offers {@value #BATCH} records from 8 thread ids (all stripes), then drains them: ops = records. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long offerThenDrain() {
        for (int i = 0; i < BATCH; i++) {
            ring.offer(RecordType.BLOCK, 7, i & 7, i, i, i, 1, 0);
        }
        int n = 0;
        while (n < BATCH) n += ring.drain(r -> sink += r.duration(), BATCH);
        return sink;
    }

    /** The ring one producer and the drainer share in {@code concurrent}. */
    @State(Scope.Group)
    public static class SharedRing {
        final StripedRing ring = new StripedRing(8, 8 * BATCH);
    }

    /** Per-thread counts JMH reports as rates (records per second). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counts {
        public long offered;
        public long dropped;
        public long drained;
    }

    /** A producer offering records as fast as it can (a hooked thread at its worst); a full ring drops. */
    @Benchmark
    @Group("concurrent")
    @GroupThreads(1)
    public void produce(SharedRing shared, Counts counts) {
        if (shared.ring.offer(RecordType.BLOCK, 7, Thread.currentThread().getId(), 1, 2, 3, 1, 0)) {
            counts.offered++;
        } else {
            counts.dropped++;
        }
    }

    /** The drainer, as {@code diag-drainer} runs it. */
    @Benchmark
    @Group("concurrent")
    @GroupThreads(1)
    public void drain(SharedRing shared, Counts counts) {
        counts.drained += shared.ring.drain(r -> sink += r.duration(), BATCH);
    }
}
