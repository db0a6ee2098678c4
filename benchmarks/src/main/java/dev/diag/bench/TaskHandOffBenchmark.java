package dev.diag.bench;

import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;
import dev.diag.hook.TraceHook;
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
 * What handing a task to an executor adds when it carries the submitter's labels (the executor hook's part; the
 * executor's own queueing is not measured): {@code wrap}, on the submitting thread, with no labels (the task is
 * returned as it is) or with labels (a wrapper is made); {@code runWrapped}, on the thread that runs it, which takes
 * the task's labels and gives its own back, with no profile showing labels ({@code off}) and with the native CPU
 * profile following changes ({@code native}: two changes appended to the thread's log per task).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar TaskHandOffBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TaskHandOffBenchmark {
    @Param({"none", "labelled"})
    public String submitter;

    @Param({"off", "native"})
    public String profile;

    private final Runnable task = () -> { };
    private Runnable wrapped;
    private LabelSet submitterLabels;
    private FollowedLabels followed;

    @Setup
    public void setUp() throws ReflectiveOperationException {
        ApiCopy.link();
        submitterLabels = submitter.equals("labelled")
                ? LabelSet.EMPTY.with("tenant", "acme").with("endpoint", "/users") : LabelSet.EMPTY;
        LabelHook.set(submitterLabels);
        wrapped = TraceHook.wrap(task);
        if (profile.equals("native")) followed = new FollowedLabels();
    }

    @TearDown
    public void tearDown() {
        if (followed != null) followed.close();
        LabelHook.set(LabelSet.EMPTY);
    }

    /** On the submitting thread, which has {@code submitter}'s labels. */
    @Benchmark
    public Runnable wrap() {
        return TraceHook.wrap(task);
    }

    /** On a thread with no labels of its own, running a task wrapped with {@code submitter}'s labels. */
    @Benchmark
    public void runWrapped() {
        LabelSet own = LabelHook.current();
        if (own != LabelSet.EMPTY) LabelHook.set(LabelSet.EMPTY); // once: the runner has no labels of its own
        wrapped.run();
    }
}
