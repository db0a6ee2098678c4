package dev.diag.jfr;

import dev.diag.stack.Frame;
import dev.diag.stack.StackCapture;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The JVM's live platform threads and their current stacks, from {@code ThreadMXBean}: what
 * {@link ThreadCounterAttribution} falls back on for a thread JFR never samples. A stack read here is taken at a
 * safepoint (biased toward loop back-edges and calls), so it is only a stand-in for samples, asked for at most once a
 * flush and only for threads that used a noticeable share of their counter unsampled.
 */
public final class LiveThreadStacks implements ThreadCounterAttribution.LiveThreads {
    public static final LiveThreadStacks INSTANCE = new LiveThreadStacks();

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private LiveThreadStacks() {}

    @Override
    public long[] ids() {
        try {
            return threads.getAllThreadIds();
        } catch (RuntimeException e) {
            return new long[0];
        }
    }

    @Override
    public Frame[][] stacks(long[] ids) {
        Frame[][] out = new Frame[ids.length][];
        try {
            long self = Thread.currentThread().getId();
            ThreadInfo[] infos = threads.getThreadInfo(ids, StackCapture.MAX_DEPTH);
            for (int i = 0; i < ids.length; i++) {
                // Only a thread running now is where its CPU went; a waiting one used it elsewhere, earlier. The
                // asking thread would only see itself asking.
                if (infos[i] == null || ids[i] == self || infos[i].getThreadState() != Thread.State.RUNNABLE) continue;
                out[i] = frames(infos[i].getStackTrace());
            }
        } catch (RuntimeException e) {
            // no stacks: the deltas stay where they were
        }
        return out;
    }

    /** Frames named as JFR's are ({@link JfrStacks#stableClassName}), so that both kinds of stack merge in a profile. */
    private static Frame[] frames(StackTraceElement[] elements) {
        Frame[] out = new Frame[elements.length];
        for (int i = 0; i < elements.length; i++) {
            StackTraceElement e = elements[i];
            out[i] = new Frame(JfrStacks.stableClassName(e.getClassName()), e.getMethodName(), null, e.getFileName(),
                    Math.max(0, e.getLineNumber()));
        }
        return out;
    }
}
