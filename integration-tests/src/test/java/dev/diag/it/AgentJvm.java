package dev.diag.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a real JVM running a workload from this module's test classes, with the built diag.jar as
 * {@code -javaagent} (or without it), and captures its output.
 *
 * <pre>{@code
 * try (AgentJvm jvm = AgentJvm.of(CpuWorkload.class).agent("out=" + dir).start()) {
 *     assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isEqualTo(0);
 * }
 * }</pre>
 */
public final class AgentJvm implements AutoCloseable {
    private final String mainClass;
    private Jdk jdk = Jdk.current();
    private Path launcher;
    private String agentOptions;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>();
    private List<String> command;
    private Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();

    private AgentJvm(String mainClass) {
        this.mainClass = mainClass;
    }

    public static AgentJvm of(Class<?> mainClass) {
        return new AgentJvm(mainClass.getName());
    }

    /** Returns the built agent jar (set by the build as system property {@code diag.jar}). */
    public static Path agentJar() {
        String p = System.getProperty("diag.jar");
        if (p == null) p = "../agent/target/diag.jar";
        return Path.of(p).toAbsolutePath().normalize();
    }

    public AgentJvm jdk(Jdk j) {
        this.jdk = j;
        return this;
    }

    /** Starts the JVM through this path (a symlink to the JDK's java, say) instead of the JDK's own {@code bin/java}. */
    public AgentJvm launcher(Path javaExecutable) {
        this.launcher = javaExecutable;
        return this;
    }

    /** Adds {@code -javaagent:diag.jar=OPTIONS}; "" attaches the agent with no options. */
    public AgentJvm agent(String options) {
        this.agentOptions = options;
        return this;
    }

    public AgentJvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** Adds entries after the workloads on the class path (an application's own libraries). */
    public AgentJvm classPath(String... entries) {
        classPath.addAll(List.of(entries));
        return this;
    }

    public AgentJvm args(String... a) {
        args.addAll(List.of(a));
        return this;
    }

    public AgentJvm start() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add((launcher != null ? launcher : jdk.java()).toString());
        if (agentOptions != null) {
            cmd.add("-javaagent:" + agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        List<String> cp = new ArrayList<>(List.of(System.getProperty("diag.workloads", "target/test-classes")));
        cp.addAll(classPath);
        cmd.add(String.join(java.io.File.pathSeparator, cp));
        cmd.add(mainClass);
        cmd.addAll(args);
        command = List.copyOf(cmd);
        process = new ProcessBuilder(cmd).start();
        pump(process.getInputStream(), stdout);
        pump(process.getErrorStream(), stderr);
        return this;
    }

    private static void pump(InputStream in, StringBuffer sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) sink.append(line).append('\n');
            } catch (IOException ignored) {
                // Process gone.
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the JVM to exit and returns its exit code; kills it and fails when it takes longer than {@code max}. */
    public int waitForExit(Duration max) throws InterruptedException {
        if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("JVM did not exit within " + max + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
        }
        Thread.sleep(50); // let the pumps read the last lines
        return process.exitValue();
    }

    /** Waits until stdout contains {@code text}; fails with the output so far after {@code max}. */
    public void awaitStdout(String text, Duration max) throws InterruptedException {
        await(stdout, "stdout", text, max);
    }

    /** Waits until stderr contains {@code text}; fails with the output so far after {@code max}. */
    public void awaitStderr(String text, Duration max) throws InterruptedException {
        await(stderr, "stderr", text, max);
    }

    private void await(StringBuffer stream, String name, String text, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (stream.indexOf(text) < 0) {
            if (System.nanoTime() > deadline || !process.isAlive() && stream.indexOf(text) < 0) {
                Thread.sleep(100);
                if (stream.indexOf(text) >= 0) return;
                throw new AssertionError("no \"" + text + "\" in " + name + " within " + max
                        + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            }
            Thread.sleep(20);
        }
    }

    /** Returns the command line the JVM was started with, argument by argument, as its argv. */
    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return stdout.toString();
    }

    public String stderr() {
        return stderr.toString();
    }

    /**
     * The line diag prints when JFR gave no live-object sample for the heap profile's inuse_* part (a run too short,
     * or JDK 17's stream closing at exit before it hands them over): a true note, not an error.
     */
    static final String EMPTY_IN_USE_LINE = "diag: heap.pb.gz: inuse_* empty: ";

    /** Returns {@code stderr} without the {@link #EMPTY_IN_USE_LINE} note, for tests whose run may be that short. */
    static String withoutEmptyInUseNote(String stderr) {
        StringBuilder sb = new StringBuilder();
        for (String line : stderr.split("\n")) {
            if (!line.isEmpty() && !line.startsWith(EMPTY_IN_USE_LINE)) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /**
     * Returns stderr without the warnings the JVM itself prints when an agent is loaded into a running JVM (JDK 21+,
     * JEP 451); whatever diag prints stays.
     */
    public String stderrWithoutJvmWarnings() {
        StringBuilder sb = new StringBuilder();
        for (String line : stderr().split("\n")) {
            if (line.isEmpty() || line.startsWith("WARNING: A Java agent has been loaded dynamically")
                    || line.startsWith("WARNING: If a serviceability tool is in use")
                    || line.startsWith("WARNING: If a serviceability tool is not in use")
                    || line.startsWith("WARNING: Dynamic loading of agents will be disallowed")) continue;
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
