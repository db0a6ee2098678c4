package dev.diag.threads;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Threads deadlocked now, as the JVM finds them ({@link ThreadMXBean#findDeadlockedThreads}: cycles of threads each
 * waiting to enter a monitor or take a {@code java.util.concurrent} lock that the next one holds), grouped into their
 * cycles. Go's runtime dies with "all goroutines are asleep - deadlock!" only when every goroutine is stuck; a JVM has
 * always other threads, so the cycles are found by who waits for whom, whatever the rest of the JVM does.
 *
 * <p>Asking costs a safepoint, as a thread dump does: it runs when asked for ({@code /debug/pprof/deadlock},
 * {@code goroutine?debug=2}), never in the background.
 */
public final class Deadlocks {
    /** One thread of a cycle: who it is, what it waits for, who holds that, and its stack. */
    public record Waiter(long id, String name, String state, String waitsFor, long ownerId, String ownerName,
                         StackTraceElement[] stack) {}

    private Deadlocks() {}

    /** Returns the ids of the threads in a deadlock cycle now; empty when none (or the JVM cannot tell). */
    public static Set<Long> threadIds() {
        try {
            long[] ids = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            Set<Long> out = new HashSet<>();
            if (ids != null) for (long id : ids) out.add(id);
            return out;
        } catch (RuntimeException e) {
            return Set.of();
        }
    }

    /** Returns the deadlock cycles now, each in waiting order (each thread waits for the next's lock). */
    public static List<List<Waiter>> cycles() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] ids = mx.findDeadlockedThreads();
        if (ids == null) return List.of();
        Map<Long, Waiter> byId = new HashMap<>();
        for (ThreadInfo t : mx.getThreadInfo(ids, mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported())) {
            if (t == null) continue; // ended meanwhile: a deadlocked thread cannot, but the call may race with exit
            LockInfo lock = t.getLockInfo();
            byId.put(t.getThreadId(), new Waiter(t.getThreadId(), t.getThreadName(), t.getThreadState().name(),
                    lock == null ? t.getLockName() : lock.toString(), t.getLockOwnerId(), t.getLockOwnerName(),
                    ThreadList.withoutHookFrames(t.getStackTrace())));
        }
        List<List<Waiter>> cycles = new ArrayList<>();
        Set<Long> placed = new HashSet<>();
        for (long id : ids) {
            if (placed.contains(id) || !byId.containsKey(id)) continue;
            // Follow the owners from this thread; the JVM also reports threads blocked behind a cycle: keep the loop.
            LinkedHashSet<Long> path = new LinkedHashSet<>();
            long at = id;
            while (byId.containsKey(at) && path.add(at)) at = byId.get(at).ownerId();
            if (!path.contains(at)) {
                placed.addAll(path); // led out of the reported threads: not a cycle of its own
                continue;
            }
            List<Waiter> cycle = new ArrayList<>();
            boolean in = false;
            for (long p : path) {
                if (p == at) in = true;
                if (in && placed.add(p)) cycle.add(byId.get(p));
            }
            if (!cycle.isEmpty()) cycles.add(cycle);
        }
        return cycles;
    }

    /**
     * Writes the cycles as text: a summary line, each cycle as "waits for ... held by ..." lines, then each thread's
     * stack in the layout of {@code goroutine?debug=2}.
     */
    public static String report(List<List<Waiter>> cycles) {
        if (cycles.isEmpty()) return "no deadlock: no threads wait for each other's monitors or locks in a cycle\n";
        int threads = 0;
        for (List<Waiter> c : cycles) threads += c.size();
        StringBuilder sb = new StringBuilder();
        sb.append("deadlock: ").append(threads).append(" goroutines in ").append(cycles.size())
                .append(cycles.size() == 1 ? " cycle" : " cycles").append(" wait for each other\n");
        List<Goroutine> all = new ArrayList<>();
        for (int i = 0; i < cycles.size(); i++) {
            sb.append("\ncycle ").append(i + 1).append(":\n");
            for (Waiter w : cycles.get(i)) {
                sb.append("goroutine ").append(w.id()).append(" \"").append(w.name()).append("\" waits for ")
                        .append(w.waitsFor()).append(" held by goroutine ").append(w.ownerId()).append(" \"")
                        .append(w.ownerName()).append("\"\n");
                all.add(new Goroutine(w.id(), w.name(), w.state(), w.waitsFor(), false, w.stack()));
            }
        }
        Set<Long> ids = new HashSet<>();
        for (Goroutine g : all) ids.add(g.id());
        sb.append('\n').append(GoroutineDumpWriter.write(all, -1, ids));
        return sb.toString();
    }
}
