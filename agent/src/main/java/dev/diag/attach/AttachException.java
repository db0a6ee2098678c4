package dev.diag.attach;

/**
 * Why a command could not do its work, as the one line the CLI prints and the exit code it exits with. The codes are
 * part of the CLI's contract (scripts test them); the README lists them.
 */
public final class AttachException extends Exception {
    /** Attached, but a feature asked for is off in the target (the lines say why). */
    public static final int FEATURE_FAILED = 1;
    /** Bad command line or options; rejected before or by the target, whose configuration is unchanged. */
    public static final int USAGE = 2;
    /** No process has that pid. */
    public static final int NO_SUCH_PROCESS = 3;
    /** The process is not a Java VM (or not one the attach mechanism can reach). */
    public static final int NOT_A_JVM = 4;
    /** The JVM refuses attach: attach or dynamic agents disabled, or it runs as another user. */
    public static final int REFUSED = 5;
    /** The JVM cannot run this diag: Java older than 17, or another diag build already loaded. */
    public static final int INCOMPATIBLE = 6;
    /** The Java runtime running the CLI has no {@code jdk.attach} module. */
    public static final int NO_ATTACH_MODULE = 7;
    /** {@code status}: diag is not loaded in that JVM. */
    public static final int NOT_LOADED = 8;

    private final int exitCode;

    public AttachException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
