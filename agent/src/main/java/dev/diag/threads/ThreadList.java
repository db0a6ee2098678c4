package dev.diag.threads;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists every goroutine of this JVM: the live platform threads (with state and lock, from {@code ThreadMXBean}) and,
 * on JDK 21+, the virtual threads the JVM tracks ({@link VirtualThreadDump}).
 */
public final class ThreadList {
    /** Deepest stack kept per thread; Go elides beyond 100 frames, Java stacks are deeper. */
    public static final int MAX_DEPTH = 1024;

    private ThreadList() {}

    /**
     * async-profiler's periodic-event thread: a JVMTI agent thread, which no thread group lists and no Java code can
     * rename. Left out as Go leaves its runtime's system goroutines out of the goroutine profile.
     */
    static final String SAMPLER_TIMER = "Async-profiler Timer";

    /** Returns all goroutines now, platform threads first, each group in id order. */
    public static List<Goroutine> all() {
        ThreadInfo[] infos = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, MAX_DEPTH);
        List<Goroutine> out = new ArrayList<>(infos.length);
        Set<Long> ids = new HashSet<>();
        for (ThreadInfo t : infos) {
            if (t == null || t.getThreadName().equals(SAMPLER_TIMER)) continue;
            ids.add(t.getThreadId());
            out.add(new Goroutine(t.getThreadId(), t.getThreadName(), t.getThreadState().name(), t.getLockName(),
                    false, withoutHookFrames(t.getStackTrace())));
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        List<Goroutine> virtual = new ArrayList<>();
        for (Goroutine g : VirtualThreadDump.list(ids)) {
            virtual.add(new Goroutine(g.id(), g.name(), g.state(), g.waitingOn(), g.virtual(),
                    withoutHookFrames(g.stack())));
        }
        virtual.sort((a, b) -> Long.compare(a.id(), b.id()));
        out.addAll(virtual);
        return out;
    }

    /**
     * Drops the frames of a diag hook that is running right now, and everything it called, so a thread caught inside
     * one (in {@code Thread.exit()}, say) shows the instrumented method on top, as if diag were not there.
     */
    static StackTraceElement[] withoutHookFrames(StackTraceElement[] stack) {
        for (int i = stack.length - 1; i >= 0; i--) {
            String c = stack[i].getClassName();
            // An executor task wrapper runs the application's code inside it: that is not a hook running.
            if (c.startsWith("dev.diag.hook.") && !dev.diag.stack.StackCapture.isTaskWrapper(c)) {
                return Arrays.copyOfRange(stack, i + 1, stack.length);
            }
        }
        return stack;
    }
}
