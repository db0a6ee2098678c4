package dev.diag.it;

import dev.diag.it.workloads.ProfileTarget;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar diag.jar profile}: one command records one profile from a running JVM without diag (attach) or
 * from a java command it starts, and {@code go tool pprof} reads what it wrote; block needs a rate, which the
 * command turns on for the window and back off; an empty mutex profile says why in its comment.
 */
class ProfileCommandIT {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String BURN = "ProfileTarget.burnCpu";
    private static final String HOLD = "ProfileTarget.holdLock";
    /** The profile a flame graph page carries, as speedscope's loader call holds it. */
    /** The page's first embedded profile: it keeps one per sample type and label value (the viewer's box). */
    private static final Pattern EMBEDDED = Pattern.compile("var variants = \\{\\s*\"[^\"]*\": \"([A-Za-z0-9+/=]+)\"");

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenJvmWithoutDiag_whenProfiledForCpuBlockAndAsHtml_thenGoToolPprofShowsTheMethodsAndTheRateIsBackToZero(
            Jdk jdk, @TempDir Path dir) throws Exception {
        Path stop = dir.resolve("stop");
        try (AgentJvm target = AgentJvm.of(ProfileTarget.class).jdk(jdk).args("until", stop.toString()).start()) {
            target.awaitStdout("ready", READY);
            String pid = Long.toString(target.pid());

            DiagCli.Result cpu = DiagCli.runIn(dir, jdk, "profile", pid, "-e", "cpu", "-d", "3s");
            DiagCli.Result block = DiagCli.runIn(dir, jdk, "profile", pid, "-e", "block", "-d", "3s");
            DiagCli.Result status = DiagCli.run(jdk, "status", pid);
            DiagCli.Result html = DiagCli.run(jdk, "profile", pid, "-d", "2", "-o", dir.resolve("flame.html").toString());
            Files.createFile(stop);
            int exit = target.waitForExit(READY);

            assertThat(cpu.exitCode()).as(cpu.toString()).isZero();
            Path cpuFile = dir.resolve("cpu-" + pid + ".pb.gz");
            assertThat(cpu.stdout()).contains("wrote " + cpuFile);
            assertThat(GoTool.pprof("-top", cpuFile.toString())).contains(BURN);
            assertThat(block.exitCode()).as(block.toString()).isZero();
            assertThat(block.stdout()).contains("block.rate was 0: 1 during the window, then 0 again");
            RawProfile blockProfile = GoTool.raw(dir.resolve("block-" + pid + ".pb.gz"));
            assertThat(blockProfile.sum("contentions/count", s -> s.hasFrame(HOLD)))
                    .as("waits for the lock the other thread holds, in the window").isPositive();
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).as("the rate after the window").contains("options:  block.rate=0\n");
            assertThat(html.exitCode()).as(html.toString()).isZero();
            String page = Files.readString(dir.resolve("flame.html"));
            assertThat(page).startsWith("<!DOCTYPE html>").hasSizeGreaterThan(100_000);
            Matcher embedded = EMBEDDED.matcher(page);
            assertThat(embedded.find()).as("a profile inside the page").isTrue();
            Path inside = Files.write(dir.resolve("inside.pb.gz"), Base64.getDecoder().decode(embedded.group(1)));
            assertThat(GoTool.pprof("-top", inside.toString())).contains(BURN);
            assertThat(exit).isZero();
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
            try (var left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no hidden file left behind")
                        .noneMatch(n -> n.startsWith(".diag-"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenJavaCommand_whenProfiledLongerThanItRuns_thenTheProfileCoversItsRunUntilExit(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("cmd.pb.gz");

        DiagCli.Result r = DiagCli.run(jdk, "profile", "-e", "cpu", "-d", "60s", "-o", out.toString(), "--",
                jdk.java().toString(), "-cp", System.getProperty("diag.workloads", "target/test-classes"),
                ProfileTarget.class.getName(), "for", "4");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("ready").contains("wrote " + out);
        assertThat(r.stderr()).contains("diag: the JVM exited");
        assertThat(GoTool.pprof("-top", out.toString())).contains(BURN);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenAttachWithHttpAndMutexAtZero_whenMutexIsRead_thenTheAttachAndTheProfileSayWhyItIsEmpty(Jdk jdk,
            @TempDir Path dir) throws Exception {
        Path stop = dir.resolve("stop");
        try (AgentJvm target = AgentJvm.of(ProfileTarget.class).jdk(jdk).args("until", stop.toString()).start()) {
            target.awaitStdout("ready", READY);
            String pid = Long.toString(target.pid());

            DiagCli.Result attached = DiagCli.run(jdk, "attach", pid, "http=0");
            Matcher url = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+/debug/pprof/)\n").matcher(attached.stdout());
            assertThat(url.find()).as(attached.toString()).isTrue();
            RawProfile mutex = GoTool.raw(url.group(1) + "mutex?seconds=1");
            Files.createFile(stop);
            target.waitForExit(READY);

            assertThat(attached.exitCode()).as(attached.toString()).isZero();
            assertThat(attached.stdout()).contains("block and mutex profiles record nothing at block.rate=0, "
                    + "mutex.fraction=0; turn on with: java -jar diag.jar attach " + pid + " block.rate=1,mutex.fraction=1");
            assertThat(mutex.samples).isEmpty();
            String why = "mutex profile is off (mutex.fraction=0), so it records nothing: turn it on with "
                    + "-javaagent:diag.jar=mutex.fraction=1, or in the running JVM with java -jar diag.jar attach " + pid
                    + " mutex.fraction=1";
            assertThat(mutex.text).contains("Comment: " + why);
            assertThat(target.stderr()).as("said once at log=info").containsOnlyOnce("diag: " + why);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenMistakes_whenProfiling_thenEachIsNamedWithItsExitCode(Jdk jdk) throws Exception {
        long gone = ProcessHandle.current().pid() + 1_000_000;

        DiagCli.Result event = DiagCli.run(jdk, "profile", "1", "-e", "mutx");
        DiagCli.Result duration = DiagCli.run(jdk, "profile", "1", "-d", "ten");
        DiagCli.Result flag = DiagCli.run(jdk, "profile", "1", "-f", "x.html");
        DiagCli.Result noPid = DiagCli.run(jdk, "profile", Long.toString(gone));
        DiagCli.Result notJava = DiagCli.run(jdk, "profile", "--", "sleep", "1");

        assertThat(event.exitCode()).isEqualTo(2);
        assertThat(event.stderr()).startsWith("diag: no event \"mutx\": did you mean mutex? (events: cpu, wall, alloc,");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.stderr()).startsWith("diag: bad duration \"ten\" for -d");
        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.stderr()).startsWith("diag: -f is asprof's output flag; diag's is -o FILE");
        assertThat(noPid.exitCode()).as(noPid.toString()).isEqualTo(3);
        assertThat(noPid.stderr()).isEqualTo("diag: no process with pid " + gone + "\n");
        assertThat(notJava.exitCode()).isEqualTo(2);
        assertThat(notJava.stderr()).contains("-- needs a java command line");
    }
}
