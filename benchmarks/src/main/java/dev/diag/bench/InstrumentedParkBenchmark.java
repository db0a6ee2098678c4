package dev.diag.bench;

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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JDK's own {@code LockSupport.park} and {@code ReentrantLock} as the application calls them, so that with
 * {@code -javaagent:diag.jar=...} the measured code is the instrumented JDK, advice and all, rather than an imitation
 * of the hooks. Run once without the agent and once per agent configuration; the difference is what diag adds:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar InstrumentedParkBenchmark
 * java -jar benchmarks/target/benchmarks.jar InstrumentedParkBenchmark -jvmArgsAppend -javaagent:agent/target/diag.jar
 * java -jar benchmarks/target/benchmarks.jar InstrumentedParkBenchmark -jvmArgsAppend -javaagent:agent/target/diag.jar=block.rate=1000000000000
 * java -jar benchmarks/target/benchmarks.jar InstrumentedParkBenchmark -jvmArgsAppend -javaagent:agent/target/diag.jar=block.rate=1
 * </pre>
 *
 * A park with its permit already given returns at once without a system call: the whole park path (enter and exit
 * advice, the timing, the sampling decision and, when recorded, the stack and the ring record) is what is measured.
 * This class uses no diag type, so the benchmark jar's copy of the hook classes never meets the agent's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class InstrumentedParkBenchmark {
    private final ReentrantLock lock = new ReentrantLock();
    private final Object blocker = new Object();

    /** Waits until the agent, when there is one, has installed its hooks (it does so on {@code diag-init}). */
    @Setup(Level.Trial)
    public void awaitAgent() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && diagInitAlive()) Thread.sleep(10);
    }

    private static boolean diagInitAlive() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("diag-init")) return true;
        }
        return false;
    }

    /** Uncontended lock and unlock: the release hook runs on every unlock. */
    @Benchmark
    public void lockUnlock() {
        lock.lock();
        lock.unlock();
    }

    /** {@code LockSupport.park(blocker)} with the permit given first: the park hooks with no wait. */
    @Benchmark
    public void parkWithPermit() {
        LockSupport.unpark(Thread.currentThread());
        LockSupport.park(blocker);
    }
}
