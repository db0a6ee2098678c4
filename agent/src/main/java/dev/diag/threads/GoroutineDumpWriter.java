package dev.diag.threads;

import dev.diag.stack.Frame;

import java.util.List;
import java.util.Set;

/**
 * Writes every goroutine's stack in the layout of a Go panic (what {@code goroutine?debug=2} serves): a header
 * {@code goroutine ID [STATE]:} then, per frame, {@code pkg.Class.method(...)} and {@code \tpkg/File.java:LINE}; blank
 * line between goroutines. The goroutine serving the request comes first, exactly {@code [running]}, as in Go.
 *
 * <p>The bracket holds the Java state in Go's words where they match ({@code running}, {@code runnable},
 * {@code sleep}) and Java's otherwise ({@code blocked}, {@code waiting}, {@code timed waiting}), what the thread waits
 * on, its name in quotes, and {@code virtual} for virtual threads: e.g.
 * {@code goroutine 31 [waiting on java.util.concurrent.CountDownLatch$Sync@1b6d3586, "worker-1"]:}, and
 * {@code deadlocked} for a thread in a deadlock cycle.
 */
public final class GoroutineDumpWriter {
    /** Frames shown per goroutine before Go's elision line. */
    private static final int MAX_FRAMES = 1000;

    private GoroutineDumpWriter() {}

    /** Returns the dump of {@code goroutines}, the one with id {@code currentId} first. */
    public static String write(List<Goroutine> goroutines, long currentId) {
        return write(goroutines, currentId, Set.of());
    }

    /**
     * As {@link #write(List, long)}, marking the platform threads with an id in {@code deadlocked} as
     * {@code deadlocked} in their bracket ({@link Deadlocks}).
     */
    public static String write(List<Goroutine> goroutines, long currentId, Set<Long> deadlocked) {
        StringBuilder sb = new StringBuilder(goroutines.size() * 512);
        for (Goroutine g : goroutines) {
            if (g.id() == currentId && !g.virtual()) append(sb, g, true, false);
        }
        for (Goroutine g : goroutines) {
            if (g.id() != currentId || g.virtual()) append(sb, g, false, !g.virtual() && deadlocked.contains(g.id()));
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Goroutine g, boolean current, boolean deadlocked) {
        if (sb.length() > 0) sb.append('\n');
        sb.append("goroutine ").append(g.id()).append(" [").append(bracket(g, current, deadlocked)).append("]:\n");
        StackTraceElement[] stack = g.stack();
        int n = Math.min(stack.length, MAX_FRAMES);
        for (int i = 0; i < n; i++) appendFrame(sb, stack[i]);
        if (stack.length > MAX_FRAMES || stack.length == ThreadList.MAX_DEPTH) {
            sb.append("...additional frames elided...\n");
        }
    }

    /** Go's two lines per frame: the function, then a tab, the source path under its root and the line. */
    public static void appendFrame(StringBuilder sb, StackTraceElement e) {
        String file = e.isNativeMethod() ? "Native Method"
                : e.getFileName() == null ? "?" : Frame.sourcePath(e.getClassName(), e.getFileName());
        sb.append(e.getClassName()).append('.').append(e.getMethodName()).append("(...)\n\t")
                .append(file).append(':').append(Math.max(0, e.getLineNumber())).append('\n');
    }

    private static String bracket(Goroutine g, boolean current, boolean deadlocked) {
        if (current) return "running"; // exactly Go's first line: tools look for "goroutine N [running]:"
        StringBuilder sb = new StringBuilder(state(g));
        if (g.waitingOn() != null) sb.append(" on ").append(g.waitingOn());
        sb.append(", \"").append(g.name()).append('"');
        if (g.virtual()) sb.append(", virtual");
        if (deadlocked) sb.append(", deadlocked");
        // ']' would end Go's bracket early for a parser; names and lock texts may contain one.
        return sb.toString().replace(']', ')').replace('\n', ' ');
    }

    private static String state(Goroutine g) {
        String s = g.state();
        if (s == null) s = guessState(g.stack());
        switch (s) {
            case "RUNNABLE": return "runnable";
            case "BLOCKED": return "blocked";
            case "WAITING": return "waiting";
            case "TIMED_WAITING": return isSleep(g.stack()) ? "sleep" : "timed waiting";
            default: return s.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** JDK 21's virtual thread dump has no state: a parked virtual thread has a park frame on top. */
    private static String guessState(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(stack.length, 4); i++) {
            String m = stack[i].getMethodName();
            if (stack[i].getClassName().equals("java.lang.VirtualThread") && (m.equals("parkNanos")
                    || m.equals("park") || m.startsWith("sleep"))) {
                return isSleep(stack) ? "TIMED_WAITING" : "WAITING";
            }
        }
        return "RUNNABLE";
    }

    private static boolean isSleep(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(stack.length, 4); i++) {
            if (stack[i].getClassName().equals("java.lang.Thread") && stack[i].getMethodName().startsWith("sleep")) {
                return true;
            }
        }
        return false;
    }
}
