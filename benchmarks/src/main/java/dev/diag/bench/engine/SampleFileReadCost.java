package dev.diag.bench.engine;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The native sampler's rotation cost per sample: reads an async-profiler JFR file ROUNDS times with the JDK's
 * {@code RecordingFile}, touching what diag's sampler touches (event type, thread ids, time, each distinct stack's
 * frames), and prints this thread's CPU per event for each round: the first rounds run interpreted, as diag's reads do
 * for its first rotations.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.diag.bench.engine.SampleFileReadCost FILE.jfr [ROUNDS]</pre>
 *
 * <p>A file: {@code -agentpath:libasyncProfiler.so=start,event=cpu,interval=1ms,alloc,jfr,file=FILE.jfr} on
 * {@link EngineWorkload}.
 */
public final class SampleFileReadCost {
    private static long sink;

    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
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
                        for (RecordedFrame frame : stack.getFrames()) {
                            sink += frame.getMethod().getName().length() + frame.getLineNumber();
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
}
