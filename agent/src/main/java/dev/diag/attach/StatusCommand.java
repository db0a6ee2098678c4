package dev.diag.attach;

import dev.diag.base.Options;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Properties;

/**
 * {@code java -jar diag.jar status PID}: the version, options and counters of the diag running in a JVM, read from
 * what it publishes ({@link AgentProperties}; counters are at most a second old). Loads nothing into the JVM.
 */
public final class StatusCommand {
    private StatusCommand() {}

    /** Runs the command; returns the exit code ({@link AttachException#NOT_LOADED} when diag is not in that JVM). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length != 1) throw new AttachException(AttachException.USAGE, "usage: java -jar diag.jar status PID");
            long pid = ProcessCheck.parsePid(args[0]);
            String missing = ProcessCheck.attachModuleMissing();
            if (missing != null) throw new AttachException(AttachException.NO_ATTACH_MODULE, missing);
            print(pid, Reader.read(pid), out);
            return 0;
        } catch (AttachException e) {
            err.println("diag: " + e.getMessage());
            return e.exitCode();
        }
    }

    private static void print(long pid, Properties p, PrintStream out) {
        out.println("pid:      " + pid);
        out.println("java:     " + p.getProperty("java.version", "?") + " (" + p.getProperty("java.home", "?") + ")");
        out.println("main:     " + p.getProperty("sun.java.command", "?"));
        out.println("diag:     " + p.getProperty(AgentProperties.VERSION) + " (" + p.getProperty(AgentProperties.JAR, "?")
                + ", build " + p.getProperty(AgentProperties.BUILD, "?") + ")");
        String started = p.getProperty(AgentProperties.STARTED);
        out.println("started:  " + (started == null ? "not yet (diag is starting its features)"
                : Instant.ofEpochMilli(Long.parseLong(started))));
        // Redacted again: a diag build older than this one published its options as given.
        String options = Options.redactArgs(p.getProperty(AgentProperties.OPTIONS, ""));
        out.println("options:  " + (options.isEmpty() ? "(defaults)" : options));
        String counters = p.getProperty(AgentProperties.COUNTERS, "");
        String time = p.getProperty(AgentProperties.COUNTERS_TIME);
        out.println("counters:" + (time == null ? "" : " (at " + Instant.ofEpochMilli(Long.parseLong(time)) + ")")
                + (counters.isEmpty() ? " none" : ""));
        for (String line : counters.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) out.printf("  %-32s %s%n", line.substring(0, eq), line.substring(eq + 1));
        }
    }

    /** Names {@code jdk.attach} types only after the module check above. */
    private static final class Reader {
        static Properties read(long pid) throws AttachException {
            try (TargetJvm t = TargetJvm.attach(pid)) {
                if (!AgentProperties.isLoaded(t.properties())) {
                    throw new AttachException(AttachException.NOT_LOADED, "diag is not loaded in pid " + pid
                            + " (load it with: java -jar diag.jar attach " + pid + " OPTIONS)");
                }
                return t.properties();
            }
        }
    }
}
