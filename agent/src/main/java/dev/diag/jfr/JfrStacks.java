package dev.diag.jfr;

import dev.diag.classfile.SourceFiles;
import dev.diag.stack.Frame;
import dev.diag.stack.FrameTable;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;

import java.util.List;

/**
 * Turns JFR stack traces into profile frames, leaf first.
 *
 * <p>JFR records the method, its descriptor and the line, but no source file name: the file is read from the class's
 * own {@code SourceFile} attribute ({@link SourceFiles}), never guessed from the class name (wrong for nested and
 * non-public top-level classes, and for Kotlin or Scala code); a class without one has no file.
 * JFR cuts stacks at its {@code stackdepth} (64 frames unless the JVM was started with
 * {@code -XX:FlightRecorderOptions:stackdepth=N}); a cut stack ends in {@link #TRUNCATED}, as pprof shows Go's.
 */
public final class JfrStacks {
    /** The root frame of a stack JFR cut short. */
    public static final Frame TRUNCATED = new Frame("jfr", "truncatedStack", null, null, 0);
    private static final Frame[] EMPTY = new Frame[0];

    private JfrStacks() {}

    /**
     * Returns the frames of {@code trace}, leaf first, shared with diag's other stacks ({@link FrameTable}); empty when
     * the event has no stack trace. Keeps nothing of JFR's.
     */
    public static Frame[] frames(RecordedStackTrace trace) {
        if (trace == null) return EMPTY;
        List<RecordedFrame> jfrFrames = trace.getFrames();
        int n = jfrFrames.size();
        Frame[] out = new Frame[n];
        for (int i = 0; i < n; i++) {
            out[i] = frame(jfrFrames.get(i));
        }
        return stack(out, trace.isTruncated());
    }

    /**
     * Returns {@code leafFirst} as a profile stack: ending in {@link #TRUNCATED} when JFR cut it, shared with diag's
     * other stacks ({@link FrameTable}).
     */
    public static Frame[] stack(Frame[] leafFirst, boolean truncated) {
        Frame[] out = leafFirst;
        if (truncated) {
            out = java.util.Arrays.copyOf(leafFirst, leafFirst.length + 1);
            out[leafFirst.length] = TRUNCATED;
        }
        // Samples wait a second or two for their attribution, a thousand a second: with shared frames they hold
        // arrays, not a fresh copy of every frame and name.
        return FrameTable.SHARED.share(out);
    }

    /**
     * Returns the class name without the run-specific suffix of a hidden class ({@code Foo$$Lambda$142+0x7fc8c818c000}
     * or {@code Foo$$Lambda$142/0x...} → {@code Foo$$Lambda}), so that profiles of two runs diff cleanly.
     */
    static String stableClassName(String name) {
        int lambda = name.indexOf("$$Lambda");
        if (lambda >= 0) return name.substring(0, lambda + "$$Lambda".length());
        int hidden = name.indexOf("/0x");
        if (hidden < 0) hidden = name.indexOf("+0x");
        return hidden < 0 ? name : name.substring(0, hidden);
    }

    /** Returns one frame: binary class name, method, JVM descriptor, the class's source file or null, line or 0. */
    public static Frame frame(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return frame(m.getType() == null ? null : m.getType().getName(), m.getName(), m.getDescriptor(),
                f.getLineNumber());
    }

    /**
     * Returns one frame from what JFR recorded of it: the class's binary name (dots; null when JFR has no class),
     * method name, descriptor and line (negative: none).
     */
    public static Frame frame(String className, String methodName, String descriptor, int line) {
        String name = className == null ? "unknown" : stableClassName(className);
        return new Frame(name, methodName, descriptor, SourceFiles.of(name), Math.max(0, line));
    }
}
