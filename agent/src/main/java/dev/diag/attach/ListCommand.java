package dev.diag.attach;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code java -jar diag.jar list}: the JVMs this user can attach to, with their Java version, main class, and the
 * diag version running in each ("-" when none), read from what diag publishes in each JVM ({@link AgentProperties}).
 * Reading properties starts a JVM's attach listener thread if it was not running yet, as {@code jcmd} does; it loads
 * nothing into the JVM.
 */
public final class ListCommand {
    private static final String ROW = "%-8s %-6s %-16s %s%n";

    private ListCommand() {}

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String missing = ProcessCheck.attachModuleMissing();
        if (missing != null) {
            err.println("diag: " + missing);
            return AttachException.NO_ATTACH_MODULE;
        }
        Lister.print(out);
        return 0;
    }

    /** Names {@code jdk.attach} types only after the module check above. */
    private static final class Lister {
        /** JVMs asked at once: each answer waits on the target's attach listener, not on this machine's CPU. */
        private static final int PARALLEL = 8;

        static void print(PrintStream out) {
            List<Long> pids = TargetJvm.list();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, pids.size())), r -> {
                Thread t = new Thread(r, "diag-list");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<String>> rows = new ArrayList<>();
                for (long pid : pids) rows.add(pool.submit(() -> row(pid)));
                out.printf(ROW, "PID", "JAVA", "DIAG", "MAIN");
                for (Future<String> row : rows) {
                    String r = row.get();
                    if (r != null) out.print(r);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }

        /** Returns the table row for one JVM, or null when it exited meanwhile. */
        private static String row(long pid) {
            try (TargetJvm t = TargetJvm.attach(pid)) {
                String diag = t.properties().getProperty(AgentProperties.VERSION, "-");
                int java = t.javaFeature();
                return String.format(ROW, pid, java < 0 ? "?" : Integer.toString(java), diag, t.mainClass());
            } catch (AttachException e) {
                if (e.exitCode() == AttachException.NO_SUCH_PROCESS) return null;
                return String.format(ROW, pid, "?", "?", "(" + e.getMessage() + ")");
            }
        }
    }
}
