package dev.diag.bench.engine;

import dev.diag.jfr.JfrStacks;
import dev.diag.sampler.NativeSampler;
import dev.diag.sampler.SampleFileReader;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The native sampler's rotation cost per sample: reads an async-profiler JFR file ROUNDS times and prints this
 * thread's CPU per event for each round: the first rounds run interpreted, as diag's reads do for its first
 * rotations. READER {@code jdk} (the default) reads with the JDK's {@code RecordingFile}, touching what diag's sampler
 * touched (event type, thread ids, time, each distinct stack's frames, but without making diag's frames of them);
 * {@code jdk-frames} the same, making diag's frames of each distinct stack ({@code JfrStacks.frames}) as the sampler
 * did before 2026-12-07; {@code diag} reads with diag's own {@code SampleFileReader}, samples and frames made. One reader per JVM, so that
 * each one's first rounds are cold.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.diag.bench.engine.SampleFileReadCost FILE.jfr [ROUNDS [READER]]</pre>
 *
 * <p>A file: {@code -agentpath:libasyncProfiler.so=start,event=cpu,interval=1ms,alloc,jfr,file=FILE.jfr} on
 * {@link EngineWorkload}.
 */
public final class SampleFileReadCost {
    private static long sink;

    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        if (args.length > 2 && args[2].equals("diag")) {
            readWithDiag(Path.of(args[0]), rounds, mx);
            return;
        }
        boolean diagFrames = args.length > 2 && args[2].equals("jdk-frames");
        for (int round = 0; round < rounds; round++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long events = 0;
            Map<RecordedStackTrace, Object> stacks = new IdentityHashMap<>();
            try (RecordingFile f = new RecordingFile(Path.of(args[0]))) {
                while (f.hasMoreEvents()) {
                    RecordedEvent e = f.readEvent();
                    events++;
                    String type = e.getEventType().getName();
                    RecordedThread t = type.equals("jdk.ExecutionSample") ? e.getThread("sampledThread")
                            : type.startsWith("jdk.ObjectAllocation") ? e.getThread("eventThread") : null;
                    RecordedStackTrace stack = e.getStackTrace();
                    if (stack != null && stacks.put(stack, stack) == null) {
                        if (diagFrames) {
                            sink += JfrStacks.frames(stack).length;
                        } else {
                            for (RecordedFrame frame : stack.getFrames()) {
                                sink += frame.getMethod().getName().length() + frame.getLineNumber();
                            }
                        }
                    }
                    sink += e.getStartTime().getNano();
                    if (t != null) sink += t.getJavaThreadId() + t.getOSThreadId();
                }
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            System.out.printf("round %d events=%d stacks=%d cpu=%d ms %.1f us/event%n", round + 1, events,
                    stacks.size(), cpu / 1_000_000, cpu / 1000.0 / events);
        }
    }

    /** Events here are the samples read: the file's other events (settings, CPU load) are few, and skipped. */
    private static void readWithDiag(Path file, int rounds, ThreadMXBean mx) throws Exception {
        for (int round = 0; round < rounds; round++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            List<NativeSampler.Sample> samples = SampleFileReader.read(file);
            for (NativeSampler.Sample s : samples) sink += s.epochNanos() + s.javaThreadId() + s.stack().length;
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            System.out.printf("round %d samples=%d cpu=%.1f ms %.2f us/sample%n", round + 1, samples.size(),
                    cpu / 1e6, cpu / 1000.0 / samples.size());
        }
    }
}
