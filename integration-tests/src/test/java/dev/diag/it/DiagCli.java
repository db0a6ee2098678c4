package dev.diag.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real CLI, {@code java -jar diag.jar COMMAND ARGS...}, in its own JVM and returns what it printed and its
 * exit code.
 *
 * <pre>{@code
 * DiagCli.Result r = DiagCli.run(jdk, "attach", Long.toString(target.pid()), "out=" + dir);
 * assertThat(r.exitCode()).isZero();
 * }</pre>
 */
public final class DiagCli {
    private DiagCli() {}

    /** What one CLI run printed, and its exit code. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "stderr:\n" + stderr;
        }
    }

    /** Runs {@code java -jar diag.jar ARGS} with the given JDK. */
    public static Result run(Jdk jdk, String... args) throws IOException, InterruptedException {
        return runWith(List.of(jdk.java().toString()), List.of(), args);
    }

    /**
     * Runs {@code PREFIX... java JVM_ARGS... -jar diag.jar ARGS}: a prefix such as {@code setpriv --reuid=nobody}
     * runs the CLI as another user.
     */
    public static Result runWith(List<String> javaCommand, List<String> jvmArgs, String... args)
            throws IOException, InterruptedException {
        return runIn(null, javaCommand, jvmArgs, args);
    }

    /** Runs {@code java -jar diag.jar ARGS} with the given JDK in {@code dir}, where it writes default-named files. */
    public static Result runIn(Path dir, Jdk jdk, String... args) throws IOException, InterruptedException {
        return runIn(dir, List.of(jdk.java().toString()), List.of(), args);
    }

    private static Result runIn(Path dir, List<String> javaCommand, List<String> jvmArgs, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(javaCommand);
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(AgentJvm.agentJar().toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("diag-cli-out", ".txt");
        Path err = Files.createTempFile("diag-cli-err", ".txt");
        out.toFile().setReadable(true, false);
        try {
            Process p = new ProcessBuilder(cmd).directory(dir == null ? null : dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 90 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
