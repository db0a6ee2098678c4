package dev.diag.sampler;

import dev.diag.base.Log;
import dev.diag.jfr.JfrStacks;
import dev.diag.pprof.EpochNanos;
import dev.diag.sampler.NativeSampler.Kind;
import dev.diag.sampler.NativeSampler.Sample;
import dev.diag.stack.Frame;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the samples of async-profiler's JFR file with the JDK's own parser ({@code jdk.jfr.consumer.RecordingFile}):
 * slow and heavy on the JIT compilers, but it reads any file the JDK can, so it reads what {@link SampleFileReader}
 * does not understand.
 */
final class JdkSampleFileReader {
    private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    private static final String ALLOC_IN_NEW_TLAB = "jdk.ObjectAllocationInNewTLAB";
    private static final String ALLOC_OUTSIDE_TLAB = "jdk.ObjectAllocationOutsideTLAB";
    private static final String WALL_CLOCK_SAMPLE = "profiler.WallClockSample";

    private JdkSampleFileReader() {}

    /** Returns the samples of {@code file} in the order they are written; of a file cut short, those read. */
    static List<Sample> read(Path file) {
        List<Sample> samples = new ArrayList<>();
        // The parser resolves each stack once per file and hands the same object to every event that has it.
        Map<RecordedStackTrace, Frame[]> stacks = new IdentityHashMap<>();
        try (RecordingFile f = new RecordingFile(file)) {
            while (f.hasMoreEvents()) {
                Sample s = sample(f.readEvent(), stacks);
                if (s != null) samples.add(s);
            }
        } catch (IOException | RuntimeException e) {
            Log.debug("sampler: cannot read " + file + ": " + e); // a file cut short at exit: what was read counts
        }
        return samples;
    }

    private static Sample sample(RecordedEvent e, Map<RecordedStackTrace, Frame[]> stacks) {
        String type = e.getEventType().getName();
        Kind kind;
        RecordedThread thread;
        if (type.equals(EXECUTION_SAMPLE)) {
            kind = Kind.CPU;
            thread = e.getThread("sampledThread");
        } else if (type.equals(ALLOC_IN_NEW_TLAB) || type.equals(ALLOC_OUTSIDE_TLAB)) {
            kind = Kind.ALLOC;
            thread = e.getThread("eventThread");
        } else if (type.equals(WALL_CLOCK_SAMPLE)) {
            kind = Kind.WALL;
            thread = e.getThread("sampledThread");
        } else {
            return null;
        }
        RecordedStackTrace trace = e.getStackTrace();
        if (trace == null) return null;
        Frame[] stack = stacks.computeIfAbsent(trace, JfrStacks::frames);
        if (stack.length == 0) return null;
        long size = kind == Kind.ALLOC ? e.getLong("allocationSize") : 0;
        RecordedClass objectClass = kind == Kind.ALLOC ? e.getClass("objectClass") : null;
        long count = kind == Kind.WALL ? Math.max(1, e.getLong("samples")) : 1;
        String state = kind == Kind.WALL ? threadState(e) : null;
        return new Sample(kind, thread == null ? -1 : SampleFileReader.javaThreadId(thread.getJavaThreadId()),
                thread == null ? -1 : thread.getOSThreadId(), EpochNanos.of(e.getStartTime()), stack, size,
                objectClass == null ? null : objectClass.getName(), count, state, 0, 1);
    }

    /** The sampled thread's state as async-profiler names it ({@code STATE_RUNNABLE}, {@code STATE_SLEEPING}). */
    private static String threadState(RecordedEvent e) {
        Object state = e.getValue("state");
        if (state instanceof jdk.jfr.consumer.RecordedObject o && o.hasField("name")) return o.getString("name");
        return state == null ? null : state.toString();
    }
}
