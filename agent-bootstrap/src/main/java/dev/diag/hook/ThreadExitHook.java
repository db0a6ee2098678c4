package dev.diag.hook;

/**
 * Called from advice on {@code java.lang.Thread.exit()}, which the JVM runs on a platform thread just before it ends:
 * the last moment its own counters (CPU time, allocated bytes) can be read. After it, {@code ThreadMXBean} answers -1
 * for the thread, and the profiles would have to guess its last second from sample weights.
 */
public final class ThreadExitHook {
    /** Reads what it needs on the exiting thread. */
    public interface Listener {
        void exiting(Thread thread);
    }

    private static volatile Listener listener;

    private ThreadExitHook() {}

    public static void setListener(Listener l) {
        listener = l;
    }

    /** Returns whether anything reads exiting threads' counters. */
    public static boolean hasListener() {
        return listener != null;
    }

    /** On the exiting thread: forgets its labels ({@link LabelHook#threadEnding}), then tells the listener. Never throws. */
    public static void onExit() {
        try {
            if (!CallDepth.enter()) {
                CallDepth.exit();
                return;
            }
            try {
                LabelHook.threadEnding();
                Listener l = listener;
                if (l != null) l.exiting(Thread.currentThread());
            } catch (Throwable ignored) {
                // A hook never throws into the JVM's thread exit.
            } finally {
                CallDepth.exit();
            }
        } catch (Throwable e) {
            // woven into a JDK method: nothing reaches the application (see dev.diag.instrument.HookWeaver)
        }
    }
}
