package dev.diag.base;

/**
 * Whether the JVM has begun to shut down: the one question every start-up and exit path asks, because starting
 * anything once it has (JFR above all: its own shutdown hook may already have torn its recorder down, and a recording
 * begun then never returns) can hold the exit up forever.
 *
 * <p>Two sources, because shutdown hooks run concurrently and in no set order: diag's own hook marks the exit first
 * thing, and the JDK's hook registry refuses new hooks once any hook runs (the only portable test for an exit that
 * another hook, such as JFR's, noticed first).
 */
public final class Lifecycle {
    private static volatile boolean exiting;

    private Lifecycle() {}

    /** Called first thing by diag's shutdown hook. */
    public static void markExiting() {
        exiting = true;
    }

    /** Returns true once the JVM has begun to shut down. Allocates a probe thread object until it has. */
    public static boolean exiting() {
        if (exiting) return true;
        Thread probe = new Thread(() -> { }); // never started: only registered and removed again
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            exiting = true; // "Shutdown in progress"
            return true;
        } catch (RuntimeException e) {
            return false; // a security manager that refuses hooks: no answer from here
        }
    }
}
