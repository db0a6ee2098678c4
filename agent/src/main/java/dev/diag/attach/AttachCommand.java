package dev.diag.attach;

import dev.diag.base.OptionException;
import dev.diag.base.OptionKey;
import dev.diag.base.Options;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * {@code java -jar diag.jar attach PID [OPTIONS]}: loads diag into a running JVM, or changes the options of the diag
 * already running there, and prints the target's answer: what started or changed, or why nothing did.
 *
 * <p>Options are checked here first (a typo never reaches the target), {@code config=FILE} is read here, and paths
 * ({@code out=}, {@code trace=}, {@code http.token.file=}) are made absolute against this command's directory, since
 * the target's working directory is another one.
 */
public final class AttachCommand {
    /** Options whose value is a path, resolved against the directory the command runs in. */
    private static final Set<OptionKey> PATHS = EnumSet.of(OptionKey.OUT, OptionKey.TRACE, OptionKey.HTTP_TOKEN_FILE,
            OptionKey.PUSH_PASSWORD_FILE, OptionKey.PUSH_TOKEN_FILE);

    private AttachCommand() {}

    /** Runs the command; returns the exit code ({@link AttachException} codes, 0 when everything asked for runs). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length < 1) {
                throw new AttachException(AttachException.USAGE, "usage: java -jar diag.jar attach PID [OPTIONS]");
            }
            long pid = ProcessCheck.parsePid(args[0]);
            Options parsed = parse(String.join(",", Arrays.copyOfRange(args, 1, args.length)), pid);
            if (parsed.secretInArgs()) err.println("diag: " + Options.SECRET_IN_ARGS_WARNING);
            String options = parsed.withAbsolutePaths(PATHS).toAgentArgs();
            Path jar = ownJar();
            String missing = ProcessCheck.attachModuleMissing();
            if (missing != null) throw new AttachException(AttachException.NO_ATTACH_MODULE, missing);
            AttachResult result = Attacher.attach(pid, jar, options);
            for (String line : result.lines()) out.println(line);
            switch (result.outcome()) {
                case OK: return 0;
                case FAILED: return AttachException.FEATURE_FAILED;
                default: return AttachException.USAGE;
            }
        } catch (AttachException e) {
            err.println("diag: " + e.getMessage());
            return e.exitCode();
        }
    }

    private static Options parse(String text, long pid) throws AttachException {
        try {
            return Options.parse(text);
        } catch (OptionException e) {
            throw new AttachException(AttachException.USAGE, e.getMessage() + "; nothing sent to pid " + pid);
        }
    }

    /** Returns the diag.jar this command runs from: the jar the target loads. */
    static Path ownJar() throws AttachException {
        try {
            Path p = Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p)) return p;
        } catch (Exception e) {
            // Said below.
        }
        throw new AttachException(AttachException.USAGE, "attach must run from diag.jar (java -jar diag.jar attach ...)");
    }

    /** The part that talks to the target, kept apart so that nothing above loads {@code jdk.attach} classes. */
    private static final class Attacher {
        static AttachResult attach(long pid, Path jar, String options) throws AttachException {
            try (TargetJvm target = TargetJvm.attach(pid)) {
                target.requireCompatible();
                return target.loadAgent(jar, UUID.randomUUID().toString(), options);
            }
        }
    }
}
