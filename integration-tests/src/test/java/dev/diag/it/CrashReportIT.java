package dev.diag.it;

import dev.diag.it.workloads.CrashWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code traceback=crash}: a JVM that dies of an uncaught error in main, of an OutOfMemoryError, or of SIGTERM leaves
 * a goroutine dump headed by the cause, with every thread as it was, and a heap profile that {@code go tool pprof}
 * reads, next to the {@code out=} files.
 */
class CrashReportIT {
    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenMainThrows_whenTheJvmDies_thenTheDumpShowsThePanicAndEveryThread(Jdk jdk, @TempDir Path dir)
            throws Exception {
        AgentJvm jvm = AgentJvm.of(CrashWorkload.class).jdk(jdk).agent("out=" + dir + ",traceback=crash")
                .args("throw").start();
        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isEqualTo(1);

        String dump = Files.readString(dir.resolve("crash-goroutine.txt"));
        assertThat(dump).startsWith("panic: java.lang.IllegalStateException: boom (uncaught in thread \"main\")\n\n");
        assertThat(dump).containsPattern("\n\ngoroutine \\d+ \\[panicking\\]:\ndev.diag.it.workloads.CrashWorkload.failInMain");
        assertThat(dump).containsPattern("goroutine \\d+ \\[sleep, \"napper\"\\]:\\njava.lang.Thread.sleep");
        assertThat(dump).contains("CrashWorkload.napForever(");
        assertThat(jvm.stderr()).as("the JVM's own report of the exception is still printed")
                .contains("Exception in thread \"main\" java.lang.IllegalStateException: boom")
                .contains("diag: panic: java.lang.IllegalStateException: boom (uncaught in thread \"main\"): wrote "
                        + "crash-goroutine.txt and crash-heap.pb.gz to " + dir);
        RawProfile heap = GoTool.raw(dir.resolve("crash-heap.pb.gz"));
        assertThat(heap.sampleTypes).contains("alloc_space/bytes", "inuse_space/bytes");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenAThreadRunsOutOfMemory_whenItDies_thenTheDumpSaysSo(Jdk jdk, @TempDir Path dir) throws Exception {
        AgentJvm jvm = AgentJvm.of(CrashWorkload.class).jdk(jdk).jvmArg("-Xmx64m")
                .agent("out=" + dir + ",traceback=crash").args("oom").start();
        jvm.waitForExit(Duration.ofSeconds(120));

        String dump = Files.readString(dir.resolve("crash-goroutine.txt"));
        assertThat(dump).startsWith("panic: java.lang.OutOfMemoryError: Java heap space (uncaught in thread \"hog\"");
        // HotSpot keeps a stack only in its first few OutOfMemoryErrors (PreallocatedOutOfMemoryErrorCount, 4); when
        // other threads used them up (seen at load 35), the report names that instead of showing an unexplained gap.
        if (!dump.startsWith("panic: java.lang.OutOfMemoryError: Java heap space (uncaught in thread \"hog\"; the JVM"
                + " kept no stack for it)")) {
            assertThat(dump).contains("CrashWorkload.hogMemory(");
        }
        java.util.regex.Matcher panicking = java.util.regex.Pattern.compile("\n\ngoroutine (\\d+) \\[panicking\\]:\n")
                .matcher(dump);
        assertThat(panicking.find()).as(dump).isTrue();
        assertThat(dump.split("\ngoroutine " + panicking.group(1) + " \\[", -1)).as("the dying thread once: %s", dump)
                .hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenSigterm_whenTheJvmShutsDown_thenTheDumpShowsTheThreadsAtTheSignal(Jdk jdk, @TempDir Path dir)
            throws Exception {
        AgentJvm jvm = AgentJvm.of(CrashWorkload.class).jdk(jdk).agent("out=" + dir + ",traceback=crash")
                .args("sleep").start();
        jvm.awaitStdout("ready", Duration.ofSeconds(60));

        Runtime.getRuntime().exec(new String[] {"kill", "-TERM", Long.toString(jvm.pid())}).waitFor();

        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isEqualTo(143);
        String dump = Files.readString(dir.resolve("crash-goroutine.txt"));
        assertThat(dump).startsWith("signal: SIGTERM\n\n");
        assertThat(dump).containsPattern("\\[sleep, \"main\"\\]:\\njava.lang.Thread.sleep");
        assertThat(dump).contains("CrashWorkload.napForever(");
        assertThat(dir.resolve("cpu.pb.gz")).as("the exit profiles are written as usual").exists();
    }
}
