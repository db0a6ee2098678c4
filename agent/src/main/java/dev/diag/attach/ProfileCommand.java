package dev.diag.attach;

import dev.diag.base.AtomicFile;
import dev.diag.base.FileErrors;
import dev.diag.base.GoDuration;
import dev.diag.base.Suggestions;
import dev.diag.view.StandaloneHtmlWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar diag.jar profile PID|-- CMD... [-d 10s] [-e EVENT] [-o FILE]}: one profile in one command, as
 * {@code asprof -d 10 -f flame.html PID}. With a PID it loads diag into that JVM (or reuses the diag already there)
 * and sends it a {@link WindowRequest}; with {@code -- CMD...} it starts the java command with diag.jar as
 * {@code -javaagent} carrying the same request. The target records the window itself (turning on, then back off, the
 * rate a block or mutex profile needs), so the window ends and the rates go back even if this command is killed; it
 * writes the profile into a hidden file next to the output, which this command then renames, or turns into a flame
 * graph page for {@code -o NAME.html}.
 */
public final class ProfileCommand {
    static final String USAGE = "usage: java -jar diag.jar profile PID|-- JAVA-COMMAND... [-d 10s] [-e cpu|wall|alloc|"
            + "lock|block|mutex|goroutine] [-o FILE.pb.gz|FILE.html]";
    private static final List<String> FLAGS = List.of("-d", "-e", "-o");
    /** How long past the window this command waits for the target's answer before it gives up. */
    private static final long ANSWER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long POLL_MS = 200;

    private ProfileCommand() {}

    /** The parsed command line. */
    private record Request(Long pid, List<String> command, long durationNanos, ProfileEvent event, String output) {}

    /** Runs the command; returns the exit code ({@link AttachException} codes, 0 when the profile is written). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Request r = parse(args);
            Path jar = AttachCommand.ownJar();
            return r.pid != null ? profilePid(r, jar, out) : profileCommand(r, jar, out, err);
        } catch (AttachException e) {
            err.println("diag: " + e.getMessage());
            return e.exitCode();
        }
    }

    private static Request parse(String[] args) throws AttachException {
        Long pid = null;
        List<String> command = null;
        long duration = TimeUnit.SECONDS.toNanos(10);
        ProfileEvent event = ProfileEvent.CPU;
        String output = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                command = List.of(Arrays.copyOfRange(args, i + 1, args.length));
                break;
            }
            if (FLAGS.contains(a)) {
                if (i + 1 >= args.length) throw usage(a + " needs a value");
                String v = args[++i];
                if (a.equals("-d")) duration = duration(v);
                else if (a.equals("-e")) event = ProfileEvent.parse(v);
                else output = v;
            } else if (a.equals("-f")) {
                throw usage("-f is asprof's output flag; diag's is -o FILE");
            } else if (a.startsWith("-")) {
                // Every flag is one letter: a one-letter typo is as near to the other flags, so only longer ones get one.
                String near = a.length() > 2 ? Suggestions.closest(a, FLAGS) : null;
                throw usage("unknown flag \"" + a + "\"" + (near == null ? "" : ": did you mean " + near + "?"));
            } else if (pid == null) {
                pid = ProcessCheck.parsePid(a);
            } else {
                throw usage("unexpected argument \"" + a + "\"");
            }
        }
        if (pid != null && command != null) throw usage("give a PID or -- COMMAND, not both");
        if (pid == null && command == null) throw usage("no PID and no -- COMMAND");
        if (command != null && command.isEmpty()) throw usage("nothing after --");
        return new Request(pid, command, duration, event, output);
    }

    private static AttachException usage(String what) {
        return new AttachException(AttachException.USAGE, what + " (" + USAGE + ")");
    }

    /** Returns {@code -d}'s value: a Go duration ({@code 10s}, {@code 500ms}, {@code 1m}) or whole seconds, as asprof. */
    static long duration(String v) throws AttachException {
        long nanos;
        try {
            nanos = v.chars().allMatch(Character::isDigit) && !v.isEmpty()
                    ? TimeUnit.SECONDS.toNanos(Long.parseLong(v)) : GoDuration.parseNanos(v);
        } catch (RuntimeException e) {
            nanos = -1;
        }
        if (nanos <= 0) {
            throw usage("bad duration \"" + v + "\" for -d (a Go duration such as 10s, 500ms or 1m, or whole seconds)");
        }
        return nanos;
    }

    /** Attaches, asks for the window, and waits for the target's answer (or its exit, which writes the window too). */
    private static int profilePid(Request r, Path jar, PrintStream out) throws AttachException {
        String missing = ProcessCheck.attachModuleMissing();
        if (missing != null) throw new AttachException(AttachException.NO_ATTACH_MODULE, missing);
        Path output = output(r, r.pid);
        WindowRequest window = window(r, output);
        boolean answered = Attacher.record(r.pid, jar, window, r.durationNanos, out);
        if (!Files.exists(window.file())) {
            throw new AttachException(AttachException.FEATURE_FAILED, answered
                    ? "no profile written" : "pid " + r.pid + " ended before its " + r.event.word() + " window was written");
        }
        if (!answered) out.println("pid " + r.pid + " exited during the window; the part it recorded was written at exit");
        finish(window.file(), output, out);
        return 0;
    }

    /** The part that talks to the target, kept apart so that nothing above loads {@code jdk.attach} classes. */
    private static final class Attacher {
        /** Returns true when the target answered, false when it ended first. */
        static boolean record(long pid, Path jar, WindowRequest window, long durationNanos, PrintStream out)
                throws AttachException {
            try (TargetJvm target = TargetJvm.attach(pid)) {
                target.requireCompatible();
                AttachResult started = target.loadAgent(jar, window.requestId(), "");
                for (String line : started.lines()) out.println(line);
                if (started.outcome() == AttachResult.Outcome.REJECTED) {
                    throw new AttachException(AttachException.USAGE, "pid " + pid + " refused the window");
                }
                long deadline = System.nanoTime() + durationNanos + ANSWER_GRACE_NANOS;
                while (System.nanoTime() < deadline) {
                    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return false;
                    AttachResult answer = answer(target, window);
                    if (answer != null) {
                        for (String line : answer.lines()) out.println(line);
                        return true;
                    }
                    sleep();
                }
                throw new AttachException(AttachException.FEATURE_FAILED, "pid " + pid + " did not answer within "
                        + TimeUnit.NANOSECONDS.toSeconds(ANSWER_GRACE_NANOS) + " s after the window; see its stderr");
            }
        }

        private static AttachResult answer(TargetJvm target, WindowRequest window) {
            try {
                Properties p = target.currentProperties();
                AttachResult a = AttachResult.decode(p.getProperty(window.resultProperty()));
                return a != null && a.requestId().equals(window.id()) ? a : null;
            } catch (IOException | RuntimeException e) {
                return null; // exiting: the next round sees it gone
            }
        }
    }

    /** Starts the java command with diag as its agent, waits for the window, then for the command to end. */
    private static int profileCommand(Request r, Path jar, PrintStream out, PrintStream err) throws AttachException {
        String program = Path.of(r.command.get(0)).getFileName().toString();
        if (!program.equals("java") && !program.equals("java.exe")) {
            throw usage("-- needs a java command line (java -cp ... Main, java -jar app.jar), not \"" + program + "\"");
        }
        Path dir = output(r, 0).getParent();
        WindowRequest window = window(r, dir.resolve("diag-profile.pb.gz"));
        List<String> command = new ArrayList<>();
        command.add(r.command.get(0));
        command.add("-javaagent:" + jar + "=" + AttachResult.requestArgs(window.requestId(), ""));
        command.addAll(r.command.subList(1, r.command.size()));
        Process process;
        try {
            process = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new AttachException(AttachException.USAGE, "cannot start " + r.command.get(0) + ": " + e.getMessage());
        }
        long started = System.nanoTime();
        out.println("started pid " + process.pid() + "; recording " + r.event.word() + " for "
                + String.format("%.1f s", r.durationNanos / 1e9) + " or until it exits");
        try {
            while (process.isAlive() && !Files.exists(window.file())) sleep();
            int code = Files.exists(window.file()) ? 0 : process.waitFor();
            if (!Files.exists(window.file())) {
                throw new AttachException(AttachException.FEATURE_FAILED, "the command exited (status " + code
                        + ") after " + String.format("%.1f s", (System.nanoTime() - started) / 1e9)
                        + ", before diag started recording; nothing written");
            }
            finish(window.file(), output(r, process.pid()), out);
            int status = process.waitFor();
            if (status != 0) err.println("diag: the command exited with status " + status);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttachException(AttachException.FEATURE_FAILED, "interrupted while waiting for the command");
        }
    }

    /** Returns the output file, absolute: {@code -o}, or {@code EVENT-PID.pb.gz} in the working directory. */
    private static Path output(Request r, long pid) throws AttachException {
        try {
            return Path.of(r.output != null ? r.output : r.event.word() + "-" + pid + ".pb.gz").toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw usage("\"" + r.output + "\" is not a file name");
        }
    }

    /** Returns the request for a window written into a hidden file beside {@code output}, once its directory is checked. */
    private static WindowRequest window(Request r, Path output) throws AttachException {
        Path dir = output.getParent();
        try {
            AtomicFile.checkWritable(dir);
        } catch (IOException e) {
            throw new AttachException(AttachException.USAGE, "cannot write in " + dir + ": " + FileErrors.describe(e));
        }
        String id = UUID.randomUUID().toString();
        return new WindowRequest(id, r.event.profile(), r.durationNanos, dir.resolve(".diag-" + id + ".pb.gz"));
    }

    /** Moves the target's profile to {@code output}, or writes it there as a flame graph page for {@code .html}. */
    private static void finish(Path written, Path output, PrintStream out) throws AttachException {
        try {
            String name = output.getFileName().toString();
            if (name.endsWith(".html") || name.endsWith(".htm")) {
                byte[] html = StandaloneHtmlWriter.html(name, Files.readAllBytes(written));
                AtomicFile.write(output, o -> o.write(html));
                Files.delete(written);
                out.println("wrote " + output + " (open it in a browser; it needs no network)");
            } else {
                Files.move(written, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out.println("wrote " + output + " (go tool pprof -http=: " + output.getFileName() + ")");
            }
        } catch (IOException e) {
            throw new AttachException(AttachException.FEATURE_FAILED, "cannot write " + output + ": "
                    + FileErrors.describe(e) + " (the profile is in " + written + ")");
        } catch (IllegalArgumentException e) { // the target wrote something other than a profile
            throw new AttachException(AttachException.FEATURE_FAILED, "cannot write " + output + ": "
                    + e.getMessage() + " (the file is " + written + ")");
        }
    }

    private static void sleep() throws AttachException {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // The target ends the window and puts its rates back by itself.
            throw new AttachException(AttachException.FEATURE_FAILED, "interrupted while waiting for the window");
        }
    }
}
