package dev.diag.it;

import dev.diag.it.workloads.ExitsWhenJfrStarts;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * diag never holds up an exit: from the moment the JVM starts to shut down, diag adds at most {@code exit.timeout}
 * (5 s by default), whatever moment of its own start-up the exit hits, and SIGTERM always ends the process. Every
 * file is whole or absent, and what was not written is named in one {@code diag:} line.
 *
 * <p>The bounds asserted are liveness bounds (the exit must happen), generous for a loaded 2-core machine; they are
 * not performance measurements (BENCHMARKS.md has those).
 */
class ExitBoundIT {
    /** exit.timeout's default plus the JVM's own teardown on a loaded machine. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(20);

    static Stream<Arguments> jdksAndOptionSets() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            for (String options : List.of("trace=@/t.trace", "out=@/out", "http=127.0.0.1:0",
                    "out=@/out,profiles=cpu,heap,allocs,block,mutex,goroutine,threadcreate,trace=@/t.trace,"
                            + "http=127.0.0.1:0,interval=1s")) {
                out.add(Arguments.of(jdk, options));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("jdksAndOptionSets")
    void givenAnAppThatExitsTheMomentJfrIsUp_whenItExits_thenTheJvmEndsWithItsOwnCodeAndWholeFiles(Jdk jdk,
            String options, @TempDir Path dir) throws Exception {
        for (int run = 0; run < 2; run++) {
            try (AgentJvm jvm = AgentJvm.of(ExitsWhenJfrStarts.class).jdk(jdk)
                    .agent(options.replace("@", dir.resolve("r" + run).toString())).args("jfr").start()) {
                Files.createDirectories(dir.resolve("r" + run));
                assertExitsInBound(jvm, Duration.ofSeconds(90));
                assertFilesWholeOrNamed(dir.resolve("r" + run), jvm.stderrWithoutJvmWarnings(), asked(options));
            }
        }
    }

    static Stream<Arguments> jdksAndMoments() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            for (int millis : new int[] {0, 150, 400, 800, 1500, 3000}) out.add(Arguments.of(jdk, millis));
        }
        return out.stream();
    }

    /** Two busy loops take both cores, so that diag's start-up is slow and the exit lands in every part of it. */
    @ParameterizedTest
    @MethodSource("jdksAndMoments")
    void givenABusyMachine_whenTheAppExitsAtAnyMomentOfDiagsStart_thenItEndsInBoundWithItsOwnCode(Jdk jdk, int millis,
            @TempDir Path dir) throws Exception {
        List<Thread> busy = busyLoops(2);
        try (AgentJvm jvm = AgentJvm.of(ExitsWhenJfrStarts.class).jdk(jdk)
                .agent("out=" + dir.resolve("out") + ",profiles=cpu,heap,allocs,block,mutex,goroutine,threadcreate,"
                        + "trace=" + dir.resolve("t.trace") + ",http=127.0.0.1:0,interval=1s")
                .args(Integer.toString(millis)).start()) {
            assertExitsInBound(jvm, Duration.ofSeconds(90));
            assertFilesWholeOrNamed(dir, jvm.stderrWithoutJvmWarnings(), List.of("cpu", "heap", "allocs", "block",
                    "mutex", "goroutine", "threadcreate", "trace"));
        } finally {
            busy.forEach(Thread::interrupt);
        }
    }

    static Stream<Arguments> jdksAndSignalMoments() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            for (String moment : List.of("start", "exit")) out.add(Arguments.of(jdk, moment));
        }
        return out.stream();
    }

    /** SIGTERM while diag starts, and while it writes at exit (after the app called System.exit). */
    @ParameterizedTest
    @MethodSource("jdksAndSignalMoments")
    void givenSigterm_whenDiagStartsOrWritesAtExit_thenTheProcessEnds(Jdk jdk, String moment, @TempDir Path dir)
            throws Exception {
        try (AgentJvm jvm = AgentJvm.of(ExitsWhenJfrStarts.class).jdk(jdk)
                .agent("out=" + dir.resolve("out") + ",profiles=cpu,heap,allocs,goroutine,trace="
                        + dir.resolve("t.trace"))
                .args(moment.equals("start") ? "60000" : "jfr").start()) {
            if (moment.equals("start")) {
                awaitPath(dir.resolve("out"), jvm); // diag's exit hook is in: diag is starting
            } else {
                jvm.awaitStdout("exiting", Duration.ofSeconds(90));
            }
            ProcessHandle.of(jvm.pid()).ifPresent(ProcessHandle::destroy); // SIGTERM
            long t0 = System.nanoTime();
            int code = jvm.waitForExit(Duration.ofSeconds(90));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(code).isIn(143, ExitsWhenJfrStarts.EXIT_CODE);
            assertThat(tookMillis).as("ms from SIGTERM to exit; stderr: %s", jvm.stderr())
                    .isLessThan(EXIT_BOUND.toMillis());
            assertFilesWholeOrNamed(dir, jvm.stderrWithoutJvmWarnings(), List.of("cpu", "heap", "allocs",
                    "goroutine", "trace"));
        }
    }

    private static void awaitPath(Path path, AgentJvm jvm) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(path)) {
            assertThat(System.nanoTime() < deadline && jvm.isAlive()).as("%s appears; stderr: %s", path, jvm.stderr())
                    .isTrue();
            Thread.sleep(5);
        }
    }

    private static void assertExitsInBound(AgentJvm jvm, Duration startBound) throws Exception {
        jvm.awaitStdout("exiting", startBound);
        long t0 = System.nanoTime();
        int code = jvm.waitForExit(Duration.ofSeconds(90));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(code).as("exit code; stderr: %s", jvm.stderr()).isEqualTo(ExitsWhenJfrStarts.EXIT_CODE);
        assertThat(tookMillis).as("ms from System.exit to the process's end; stderr: %s", jvm.stderr())
                .isLessThan(EXIT_BOUND.toMillis());
    }

    /**
     * Every file diag wrote at a final name is whole (pprof reads it; a trace has its header), and each profile or
     * trace asked for and absent is named on stderr; diag says at most three lines (with http=, where it listens), each a known one,
     * besides the note of an empty in-use heap.
     */
    private static void assertFilesWholeOrNamed(Path dir, String all, List<String> asked) throws Exception {
        // An app that ends at once leaves JFR no time for a live-object sample: the heap file says so, once.
        String stderr = AgentJvm.withoutEmptyInUseNote(all);
        assertThat(stderr.lines()).as(stderr).hasSizeLessThanOrEqualTo(3).allSatisfy(line -> assertThat(line).matches(
                "diag: ((the application ended while diag was still starting|exit: gave up after exit.timeout=5s)"
                        + "(; not written: [a-z, ]+)?|http listening on 127\\.0\\.0\\.1:\\d+)"));
        String notWritten = stderr.contains("not written: ") ? stderr.replaceAll("(?s).*not written: ([a-z, ]+).*", "$1")
                : "";
        Path out = dir.resolve("out");
        for (String name : asked) {
            boolean named = List.of(notWritten.split(", ")).contains(name);
            boolean present = name.equals("trace") ? Files.exists(dir.resolve("t.trace"))
                    : Files.exists(out.resolve(name + ".pb.gz"));
            assertThat(present || named).as("%s written or named as not written; stderr: %s", name, stderr).isTrue();
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> files = Files.list(out)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pb.gz")).toList()) {
                    assertThat(GoTool.raw(f).sampleTypes).as("%s is a whole profile", f).isNotEmpty();
                }
            }
        }
        Path trace = dir.resolve("t.trace");
        if (Files.exists(trace)) {
            byte[] header = new byte[16];
            try (InputStream in = Files.newInputStream(trace)) {
                assertThat(in.readNBytes(header, 0, 16)).isEqualTo(16);
            }
            assertThat(new String(header, java.nio.charset.StandardCharsets.US_ASCII)).startsWith("go 1.19 trace");
        }
    }

    /** The files an option set of {@link #jdksAndOptionSets} asks for. */
    private static List<String> asked(String options) {
        List<String> names = new ArrayList<>();
        if (options.contains("out=")) {
            names.addAll(options.contains("profiles=") ? List.of("cpu", "heap", "allocs", "block", "mutex", "goroutine",
                    "threadcreate") : List.of("cpu", "allocs"));
        }
        if (options.contains("trace=")) names.add("trace");
        return names;
    }

    private static List<Thread> busyLoops(int n) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                long x = 0;
                while (!Thread.currentThread().isInterrupted()) x += System.nanoTime() % 7;
                if (x == 42) System.out.print("");
            }, "busy-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return threads;
    }
}
