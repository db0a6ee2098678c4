package dev.diag.base;

/**
 * Creates diag's threads: daemons named {@code diag-*} in one {@code diag} thread group, so they never keep the JVM
 * alive and are easy to recognise in goroutine profiles and thread dumps.
 */
public final class DiagThreads {
    private static final ThreadGroup GROUP = new ThreadGroup("diag") {
        /**
         * A diag thread that dies says so in one line rather than a stack trace on the application's stderr, and says
         * nothing when the JVM is out of memory: the JVM's own message for the application's thread is the one that
         * matters then, and printing could fail again.
         */
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            if (e instanceof OutOfMemoryError) return;
            try {
                Log.error(t.getName() + " stopped: " + e);
            } catch (Throwable ignored) {
                // nothing more to do for a thread that is ending
            }
        }
    };

    private DiagThreads() {}

    /** Returns the group of diag's threads (hooks skip their waits). */
    public static ThreadGroup group() {
        return GROUP;
    }

    /** Returns a new, unstarted daemon thread named {@code diag-<name>}. */
    public static Thread newThread(String name, Runnable body) {
        Thread t = new Thread(GROUP, body, "diag-" + name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Renames the threads the JDK started in diag's group on diag's behalf (they inherit the group of the diag thread
     * that made them: the HTTP server's dispatcher and idle timer, JFR's periodic task thread), so that every thread
     * of the group is named {@code diag-*} as goroutine profiles and dumps promise: {@code names} maps a JDK name to
     * diag's, any other becomes {@code diag-} and the name in lower case with hyphens ({@code JFR Periodic Tasks} ⇒
     * {@code diag-jfr-periodic-tasks}). Threads of the group are daemons already: they were made by daemons.
     */
    public static void adoptJdkThreads(java.util.Map<String, String> names) {
        Thread[] threads = new Thread[GROUP.activeCount() + 8];
        int n = GROUP.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            String name = threads[i].getName();
            if (name.startsWith("diag-")) continue;
            String ours = names.get(name);
            threads[i].setName(ours != null ? ours
                    : "diag-" + name.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        }
    }

    /** Starts a daemon thread named {@code diag-<name>} that logs, rather than throws, what escapes {@code body}. */
    public static Thread start(String name, Runnable body) {
        Thread t = newThread(name, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                Log.error(name + " failed: " + e);
            }
        });
        t.start();
        return t;
    }
}
