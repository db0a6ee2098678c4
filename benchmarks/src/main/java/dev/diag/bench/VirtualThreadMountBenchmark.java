package dev.diag.bench;

import dev.diag.api.Labels;
import dev.diag.hook.LabelHook;
import dev.diag.hook.LabelSet;
import dev.diag.labels.LabelTimeline;
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
 * What the hooks woven into {@code VirtualThread.mount()} and {@code unmount()} add to one mount and unmount: the four
 * calls, in the order a virtual thread's switch makes them, on this thread standing for both the carrier and the
 * virtual thread. {@code none}: no virtual thread ever had labels (one static read per call). {@code same}: labels
 * on virtual threads, the native CPU profile following them, the same thread mounting again (nothing written).
 * {@code alternating}: two differently labelled threads taking turns on the carrier (one change appended per mount;
 * the timeline's side called with each one's labels, as {@code afterMount} calls it). The labelled cases need JDK
 * 21+ (a virtual thread sets labels once, in the set-up):
 *
 * <pre>/usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar benchmarks/target/benchmarks.jar VirtualThreadMountBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class VirtualThreadMountBenchmark {
    @Param({"none", "same", "alternating"})
    public String labels;

    private FollowedLabels followed;
    private Labels.Scope outer;
    private boolean odd;
    private final LabelSet one = LabelSet.EMPTY.with("vt", "one");
    private final LabelSet other = LabelSet.EMPTY.with("vt", "other");

    @Setup
    public void setUp() throws Exception {
        ApiCopy.link();
        if (!labels.equals("none")) {
            Thread virtual = startVirtual(() -> {
                try (Labels.Scope s = Labels.with("vt", "setup")) {
                    // a virtual thread's first labels: from now on every mount is followed
                }
            });
            virtual.join();
            followed = new FollowedLabels();
        }
        outer = Labels.with("tenant", "acme");
    }

    @TearDown
    public void tearDown() {
        outer.close();
        if (followed != null) followed.close();
    }

    @Benchmark
    public void mountAndUnmount() {
        if (labels.equals("alternating")) {
            LabelTimeline timeline = followed.timeline();
            odd = !odd;
            LabelSet mounting = odd ? one : other;
            timeline.mounted(timeline.carrier(), mounting);
            timeline.unmounted(mounting, LabelSet.EMPTY);
        } else {
            LabelHook.afterMount(LabelHook.beforeMount());
            LabelHook.afterUnmount(LabelHook.beforeUnmount());
        }
    }

    private static Thread startVirtual(Runnable task) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                .invoke(builder, task);
    }
}
