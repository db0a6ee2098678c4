package dev.diag.bench;

import dev.diag.hook.MutexWaiters;
import dev.diag.hook.ParkHook;
import dev.diag.ring.RecordType;
import dev.diag.ring.StripedRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the block/mutex hooks add, measured by calling them as the inlined advice does:
 * an uncontended {@code lock()/unlock()} with and without the release hook, a park hook off / on but not sampled,
 * and the recorded path without its stack (two nanoTime calls, the decision, one ring offer with a live drainer).
 * The stack a recorded event adds is {@link StackCaptureBenchmark}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ParkHookBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ParkHookBenchmark {
    private final ReentrantLock lock = new ReentrantLock();
    private final Object blocker = new Object();
    private StripedRing ring;
    private Thread drainer;
    private volatile boolean draining;

    @Setup(Level.Trial)
    public void setUp() {
        ring = new StripedRing(StripedRing.stripesFor(Runtime.getRuntime().availableProcessors()), 65_536);
        draining = true;
        drainer = new Thread(() -> {
            while (draining) {
                if (ring.drain(r -> { }, 4096) == 0) {
                    try {
                        Thread.sleep(1); // as diag-drainer idles: do not steal a core from the measured thread
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "bench-drainer");
        drainer.setDaemon(true);
        drainer.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        draining = false;
        drainer.join();
        ParkHook.setBlockRate(0);
        MutexWaiters.setFraction(0);
    }

    @Benchmark
    public void uncontendedLockUnlock() {
        lock.lock();
        lock.unlock();
    }

    /** As with the agent: AQS.release runs the mutex release hook (no waiter tracked: one volatile read). */
    @Benchmark
    public void uncontendedLockUnlockWithReleaseHook() {
        lock.lock();
        MutexWaiters.onRelease(lock);
        lock.unlock();
    }

    /** Both rates 0, set once per trial (not per call: a volatile store per call would be measured too). */
    @State(Scope.Thread)
    public static class RatesOff {
        @Setup(Level.Trial)
        public void setUp() {
            MutexWaiters.setFraction(0);
            ParkHook.setBlockRate(0);
        }
    }

    /** Block rate on, far above any park measured here, so no park is recorded. */
    @State(Scope.Thread)
    public static class BlockRateHuge {
        @Setup(Level.Trial)
        public void setUp() {
            MutexWaiters.setFraction(0);
            ParkHook.setBlockRate(Long.MAX_VALUE / 4);
        }
    }

    /** Both rates 0 (the default): enter and exit advice of a park. */
    @Benchmark
    public long parkHookOff(RatesOff off) {
        int slot = MutexWaiters.enter(blocker);
        long start = ParkHook.enter();
        ParkHook.exit(start, slot, blocker);
        return start;
    }

    /** Block rate on but far above the (near-zero) park: two nanoTime calls and a random draw, not recorded. */
    @Benchmark
    public long parkHookNotSampled(BlockRateHuge on) {
        long start = ParkHook.enter();
        ParkHook.exit(start, 0, blocker);
        return start;
    }

    /** The recorded path minus the stack: the timing, the decision and one ring record. */
    @Benchmark
    public boolean recordedWithoutStack() {
        long start = System.nanoTime();
        long end = System.nanoTime();
        return ring.offer(RecordType.BLOCK, 42, Thread.currentThread().getId(), end, end - start,
                System.identityHashCode(blocker), 1, 0);
    }

}
