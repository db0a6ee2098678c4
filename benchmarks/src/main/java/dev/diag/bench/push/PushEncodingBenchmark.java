package dev.diag.bench.push;

import dev.diag.base.Options;
import dev.diag.pprof.GoProfiles;
import dev.diag.pprof.Label;
import dev.diag.pprof.ProfileData;
import dev.diag.pprof.Sample;
import dev.diag.push.PushTarget;
import dev.diag.stack.Frame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What one pushed window costs to encode on {@code diag-continuous} (never an application thread): a cpu window of
 * 2,000 distinct stacks, 32 frames deep over 1,000 methods, a fifth of them labelled, as Pyroscope's body (gzipped
 * pprof) and as OTLP's ({@code ExportProfilesServiceRequest}, one Profile per sample type). {@code main} prints the
 * body sizes.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar:agent/target/diag.jar org.openjdk.jmh.Main PushEncodingBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PushEncodingBenchmark {
    private ProfileData window;
    private PushTarget pyroscope;
    private PushTarget otlp;

    @Setup
    public void setUp() throws Exception {
        window = cpuWindow();
        pyroscope = PushTarget.from(Options.parse("push=http://127.0.0.1:4040,push.app=bench"), null);
        otlp = PushTarget.from(Options.parse("push=otlp+http://127.0.0.1:4318,push.app=bench"), null);
    }

    @Benchmark
    public byte[] pyroscopePprofGzip() {
        return pyroscope.encode("cpu", window, 1_700_000_000L, 1_700_000_015L);
    }

    @Benchmark
    public byte[] otlpProfiles() {
        return otlp.encode("cpu", window, 1_700_000_000L, 1_700_000_015L);
    }

    static ProfileData cpuWindow() {
        Random random = new Random(42);
        Frame[] methods = new Frame[1_000];
        for (int i = 0; i < methods.length; i++) {
            methods[i] = new Frame("com/example/pkg" + i % 40 + "/Service" + i % 97, "method" + i, "()V",
                    "Service" + i % 97 + ".java", 10 + i % 300);
        }
        List<Sample> samples = new ArrayList<>();
        for (int s = 0; s < 2_000; s++) {
            Frame[] stack = new Frame[32];
            for (int d = 0; d < stack.length; d++) stack[d] = methods[random.nextInt(methods.length)];
            long count = 1 + random.nextInt(20);
            List<Label> labels = s % 5 == 0 ? List.of(Label.string("handler", "h" + s % 7)) : List.of();
            samples.add(new Sample(stack, new long[] {count, count * 10_000_000L}, labels));
        }
        return new ProfileData(GoProfiles.CPU_TYPES, null, GoProfiles.CPU_PERIOD_TYPE, 10_000_000L,
                1_700_000_000_000_000_000L, 15_000_000_000L, samples, List.of());
    }

    public static void main(String[] args) throws Exception {
        PushEncodingBenchmark b = new PushEncodingBenchmark();
        b.setUp();
        System.out.println("pyroscope (gzipped pprof) bytes: " + b.pyroscopePprofGzip().length);
        System.out.println("otlp (ExportProfilesServiceRequest) bytes: " + b.otlpProfiles().length);
    }
}
