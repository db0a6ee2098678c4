package dev.diag.attach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks a pid before the attach mechanism touches it, so that each refusal names its cause and nothing harms the
 * process: on Linux, attaching to a JVM whose attach listener is not yet running means sending it SIGQUIT, which
 * terminates a process that does not handle it (a non-Java process, or a JVM started with {@code -Xrs}), and makes a
 * JVM started with {@code -XX:+DisableAttachMechanism} print a thread dump into the application's output.
 * Names no {@code com.sun.tools.attach} type.
 */
final class ProcessCheck {
    private static final int SIGQUIT = 3;

    private ProcessCheck() {}

    /** Returns a message when the running Java has no {@code jdk.attach} module (a JRE or a jlinked image), else null. */
    static String attachModuleMissing() {
        if (ModuleLayer.boot().findModule("jdk.attach").isPresent()) return null;
        return "this Java runtime (" + System.getProperty("java.home") + ") has no jdk.attach module, which attach "
                + "needs: run diag with a full JDK's java, e.g. /usr/lib/jvm/<jdk>/bin/java -jar diag.jar ...";
    }

    /** Returns the pid in a command-line word. */
    static long parsePid(String word) throws AttachException {
        try {
            long pid = Long.parseLong(word.trim());
            if (pid > 0) return pid;
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new AttachException(AttachException.USAGE, "\"" + word + "\" is not a process id");
    }

    /** Returns normally when attaching to {@code pid} is safe and may work; otherwise says why not. */
    static void check(long pid) throws AttachException {
        if (pid == ProcessHandle.current().pid()) {
            throw new AttachException(AttachException.USAGE, "pid " + pid + " is this diag command itself");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            throw new AttachException(AttachException.NO_SUCH_PROCESS, "no process with pid " + pid);
        }
        String owner = process.get().info().user().orElse(null);
        String me = System.getProperty("user.name");
        if (owner != null && !owner.equals(me) && !"root".equals(me)) {
            throw new AttachException(AttachException.REFUSED, "pid " + pid + " runs as user " + owner
                    + ", and this command as " + me + ": a JVM accepts attach only from its own user; run "
                    + "sudo -u " + owner + " java -jar diag.jar ...");
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        if (!Files.isDirectory(Path.of("/proc/self"))) return; // not Linux: the attach API's own checks must do
        String command = process.get().info().command().orElse("?");
        String maps = read(proc.resolve("maps"));
        if (maps != null && !maps.contains("/libjvm.so")) {
            throw new AttachException(AttachException.NOT_A_JVM, "pid " + pid + " is not a Java VM (" + command + ")");
        }
        String cmdline = read(proc.resolve("cmdline"));
        String environ = read(proc.resolve("environ"));
        if (contains(cmdline, "-XX:+DisableAttachMechanism") || contains(environ, "-XX:+DisableAttachMechanism")) {
            throw new AttachException(AttachException.REFUSED, "pid " + pid + " was started with "
                    + "-XX:+DisableAttachMechanism: nothing can attach to it; start it with -javaagent:diag.jar instead");
        }
        if (!listenerRunning(pid) && !catches(read(proc.resolve("status")), SIGQUIT)) {
            throw new AttachException(AttachException.REFUSED, "pid " + pid + " does not handle SIGQUIT (started "
                    + "with -Xrs?), so its attach listener cannot be started without killing it; start it with "
                    + "-XX:+StartAttachListener or -javaagent:diag.jar");
        }
    }

    /** Returns whether the JVM's attach socket exists already (then no signal is needed). */
    private static boolean listenerRunning(long pid) {
        String name = ".java_pid" + pid;
        return Files.exists(Path.of("/proc", Long.toString(pid), "root", "tmp", name))
                || Files.exists(Path.of(System.getProperty("java.io.tmpdir"), name));
    }

    /** Returns whether {@code /proc/PID/status} text shows a handler for {@code signal} (SigCgt bit), true if unknown. */
    static boolean catches(String status, int signal) {
        if (status == null) return true;
        for (String line : status.split("\n")) {
            if (line.startsWith("SigCgt:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigCgt:".length()).trim(), 16);
                return (mask & (1L << (signal - 1))) != 0;
            }
        }
        return true;
    }

    private static boolean contains(String text, String what) {
        return text != null && text.contains(what);
    }

    /** Returns a /proc file as text (NULs as spaces), or null when it cannot be read. */
    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
