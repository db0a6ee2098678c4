package dev.diag.hook;

/**
 * A per-thread recursion guard for hooks: a hook acts only when it is the outermost diag code on its thread.
 *
 * <p>Usage: {@code if (CallDepth.enter()) { try { ... } finally { CallDepth.exit(); } }}. A hook that captures a
 * stack or offers to a ring may itself reach a hooked JDK method (a class load that parks, a thread start);
 * the inner hook sees the guard held and returns at once.
 */
public final class CallDepth {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private CallDepth() {}

    /** Returns true and marks the thread busy when no diag hook is active on it; false otherwise. */
    public static boolean enter() {
        int[] depth = DEPTH.get();
        return depth[0]++ == 0;
    }

    /** Undoes one {@link #enter()}; must be called once per enter, whatever enter returned. */
    public static void exit() {
        DEPTH.get()[0]--;
    }
}
