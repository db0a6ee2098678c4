package dev.diag.base;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * diag's only voice: one line on stderr, prefixed {@code diag: }. Never used from hooks.
 */
public final class Log {
    /** How much diag says. */
    public enum Level { QUIET, INFO, DEBUG }

    private static volatile Level level = Level.INFO;
    /** Set once a failure said the JVM is shutting down: later features failing for the same reason say so quietly. */
    private static volatile boolean shutdownSeen;
    private static final PrintStream ERR = System.err;
    /** While an attach request runs: its lines, which go back to the attaching CLI instead of the app's stderr. */
    private static List<String> captured; // guarded by Log.class
    private static boolean capturedError; // guarded by Log.class

    /** What every line diag prints starts with. */
    public static final String PREFIX = "diag: ";

    private Log() {}

    public static void setLevel(Level l) { level = l; }

    /** Prints an error: something the user asked for is off. Printed even when quiet. */
    public static void error(String message) {
        print(message, true);
    }

    /**
     * Prints an error about a feature that could not start, unless the JVM is already shutting down: an application
     * that ends while diag is still starting (a short command) makes JFR refuse to start, and that is no error of
     * the user's, so it is said at debug level only.
     */
    public static void featureError(String message) {
        featureError(message, null);
    }

    /** As {@link #featureError(String)}, for a failure whose cause may itself say the JVM is shutting down. */
    public static void featureError(String message, Throwable cause) {
        if (saysShutdownInProgress(cause)) shutdownSeen = true;
        if (shutdownSeen || Lifecycle.exiting()) debug(message);
        else error(message);
    }

    /** The JDK's shutdown registries throw this once the shutdown sequence has begun. */
    private static boolean saysShutdownInProgress(Throwable t) {
        for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
            if (t instanceof IllegalStateException && "Shutdown in progress".equals(t.getMessage())) return true;
        }
        return false;
    }

    /** Prints a notice the user should see at default verbosity. */
    public static void info(String message) {
        if (level != Level.QUIET) print(message, false);
    }

    public static void debug(String message) {
        if (level == Level.DEBUG) print(message, false);
    }

    public static boolean isDebug() { return level == Level.DEBUG; }

    /** Longest user-given text (an option value, a path) a line repeats whole; longer text is cut. */
    static final int MAX_ECHO = 200;

    /**
     * Returns user-given text as a line may repeat it: control characters (which would break the line, or the
     * line-based answer to an attach) as {@code ?}, and text longer than {@value #MAX_ECHO} characters cut with its
     * length, {@code aaaa... (102400 chars)}, so that a 100 KB value makes a line, not a page.
     */
    public static String abbreviate(Object text) {
        String s = String.valueOf(text);
        boolean cut = s.length() > MAX_ECHO;
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_ECHO) + 24);
        for (int i = 0; i < Math.min(s.length(), MAX_ECHO); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        if (cut) sb.append("... (").append(s.length()).append(" chars)");
        return sb.toString();
    }

    /**
     * Starts collecting every line (from any diag thread) for the attach request in progress, rather than printing it
     * into the application's stderr; {@link #endCapture} returns them. Attach requests are serialised by the caller.
     */
    public static synchronized void startCapture() {
        captured = new ArrayList<>();
        capturedError = false;
    }

    /** Returns the lines collected since {@link #startCapture} and prints later ones on stderr again. */
    public static synchronized Captured endCapture() {
        Captured c = new Captured(captured == null ? List.of() : List.copyOf(captured), capturedError);
        captured = null;
        return c;
    }

    /** The lines of one attach request, and whether one of them was an error (something asked for is off). */
    public record Captured(List<String> lines, boolean hasError) {}

    private static void print(String message, boolean error) {
        synchronized (Log.class) {
            if (captured != null) {
                captured.add(message);
                capturedError |= error;
                return;
            }
        }
        ERR.println(PREFIX + message);
    }
}
