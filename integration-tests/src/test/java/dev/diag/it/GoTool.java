package dev.diag.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code go tool pprof} / {@code go tool trace} (Debian's golang-go, which {@code .ci/run} installs).
 * Every call fails the test when the tool exits non-zero or prints anything on stderr that is not routine.
 */
public final class GoTool {
    private GoTool() {}

    /** The result of one go tool run. */
    public record Result(int exitCode, String stdout, String stderr) {}

    /** Runs {@code go tool pprof ARGS...} and returns stdout; fails on a non-zero exit or a warning. */
    public static String pprof(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("go", "tool", "pprof"));
        cmd.addAll(List.of(args));
        Result r = run(cmd, 120);
        if (r.exitCode() != 0 || hasWarning(r.stderr())) {
            throw new AssertionError("go tool pprof " + String.join(" ", args) + " failed (exit " + r.exitCode()
                    + ")\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout());
        }
        return r.stdout();
    }

    /** Returns {@code go tool pprof -raw FILE_OR_URL} parsed. */
    public static RawProfile raw(String fileOrUrl) throws IOException, InterruptedException {
        return RawProfile.parse(pprof("-raw", fileOrUrl));
    }

    public static RawProfile raw(Path file) throws IOException, InterruptedException {
        return raw(file.toString());
    }

    /** Runs any go command with a timeout in seconds. */
    public static Result run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("go-out", ".txt");
        Path err = Files.createTempFile("go-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            // A cache the test may write to, wherever HOME points.
            if (System.getenv("GOCACHE") == null) {
                pb.environment().put("GOCACHE", System.getProperty("java.io.tmpdir") + "/diag-it-gocache");
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new AssertionError("cannot run " + cmd.get(0) + " (install Debian's golang-go): " + e.getMessage());
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Fetching a URL prints "Fetching profile over HTTP from ..." and "Saved profile in ..."; anything else counts. */
    private static boolean hasWarning(String stderr) {
        for (String line : stderr.split("\n")) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("Fetching profile over HTTP from") || l.startsWith("Saved profile in")
                    || l.startsWith("Fetched ") || l.startsWith("Please wait")) {
                continue;
            }
            return true;
        }
        return false;
    }
}
