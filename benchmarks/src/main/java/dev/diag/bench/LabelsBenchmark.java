package dev.diag.bench;

import dev.diag.api.Labels;
import dev.diag.hook.LabelHook;
import dev.diag.jfr.JfrSession;
import dev.diag.labels.ThreadLabels;
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
 * What a {@code Labels.with(...)} scope costs the application: opening one label on top of an outer one and closing
 * it, with no profile showing labels ({@code off}: the thread-local write and the by-thread map), with the native
 * engine's CPU profile sampling ({@code native}: plus one change appended to the thread's own log, read on another
 * thread as the sampler reads it) and with the JFR engine's CPU profile ({@code cpu}: plus one JFR event commit per change).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar LabelsBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LabelsBenchmark {
    @Param({"off", "native", "cpu"})
    public String profile;

    private JfrSession jfr;
    private FollowedLabels followed;
    private Labels.Scope outer;

    @Setup
    public void setUp() throws ReflectiveOperationException {
        ApiCopy.link();
        if (profile.equals("cpu")) {
            jfr = new JfrSession();
            if (ThreadLabels.start(jfr) == null) throw new IllegalStateException("JFR cannot run");
        }
        if (profile.equals("native")) followed = new FollowedLabels();
        outer = Labels.with("tenant", "acme");
    }

    @TearDown
    public void tearDown() {
        outer.close();
        LabelHook.setListener(null);
        if (followed != null) followed.close();
        if (jfr != null) jfr.close();
    }

    @Benchmark
    public void openAndClose() {
        try (Labels.Scope s = Labels.with("endpoint", "/users")) {
            // the scope's cost alone
        }
    }
}
