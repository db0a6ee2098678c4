package dev.diag.threads;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
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

    /** Returns all goroutines now, platform threads first, each group in id order. */
    public static List<Goroutine> all() {
        ThreadInfo[] infos = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, MAX_DEPTH);
        List<Goroutine> out = new ArrayList<>(infos.length);
        Set<Long> ids = new HashSet<>();
        for (ThreadInfo t : infos) {
            if (t == null) continue;
            ids.add(t.getThreadId());
            out.add(new Goroutine(t.getThreadId(), t.getThreadName(), t.getThreadState().name(), t.getLockName(),
                    false, t.getStackTrace()));
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        List<Goroutine> virtual = new ArrayList<>(VirtualThreadDump.list(ids));
        virtual.sort((a, b) -> Long.compare(a.id(), b.id()));
        out.addAll(virtual);
        return out;
    }
}
