package dev.diag.bench;

import dev.diag.hook.LockOrderHook;
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
 * What {@code lockorder=1} adds to an uncontended {@code ReentrantLock}, measured by calling the hooks as the woven
 * {@code lock()} (on return) and {@code unlock()} (on entry) do: one lock alone, and one lock taken inside another
 * (an order already in the graph: the steady state; the stacks of a new order or of a lock's first
 * {@code SITES_PER_LOCK} acquisitions are {@link StackCaptureBenchmark}'s cost, paid once per order).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar:agent/target/diag.jar org.openjdk.jmh.Main LockOrderHookBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LockOrderHookBenchmark {
    private final ReentrantLock outer = new ReentrantLock();
    private final ReentrantLock inner = new ReentrantLock();

    /** lockorder off (the default), set once per trial. */
    @State(Scope.Thread)
    public static class Off {
        @Setup(Level.Trial)
        public void setUp() {
            LockOrderHook.setEnabled(false);
        }
    }

    /** lockorder=1, set once per trial. */
    @State(Scope.Thread)
    public static class On {
        @Setup(Level.Trial)
        public void setUp() {
            LockOrderHook.setEnabled(true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LockOrderHook.setEnabled(false);
        }
    }

    @Benchmark
    public void lockUnlock() {
        outer.lock();
        outer.unlock();
    }

    @Benchmark
    public void lockUnlockLockorderOff(Off off) {
        outer.lock();
        LockOrderHook.onLock(outer);
        LockOrderHook.onUnlock(outer);
        outer.unlock();
    }

    @Benchmark
    public void lockUnlockLockorderOn(On on) {
        outer.lock();
        LockOrderHook.onLock(outer);
        LockOrderHook.onUnlock(outer);
        outer.unlock();
    }

    @Benchmark
    public void nestedLockUnlock() {
        outer.lock();
        inner.lock();
        inner.unlock();
        outer.unlock();
    }

    @Benchmark
    public void nestedLockUnlockLockorderOff(Off off) {
        nestedWithHooks();
    }

    @Benchmark
    public void nestedLockUnlockLockorderOn(On on) {
        nestedWithHooks();
    }

    private void nestedWithHooks() {
        outer.lock();
        LockOrderHook.onLock(outer);
        inner.lock();
        LockOrderHook.onLock(inner);
        LockOrderHook.onUnlock(inner);
        inner.unlock();
        LockOrderHook.onUnlock(outer);
        outer.unlock();
    }
}
