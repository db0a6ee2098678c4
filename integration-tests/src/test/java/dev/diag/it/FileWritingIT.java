package dev.diag.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.workloads.ParkedThreadsWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What diag's files are on disk, and what it says when they cannot be written: profiles and traces owner-only,
 * a full disk one line per kind of file (not one per profile, not one per interval) with nothing half-written left
 * behind, and an unwritable trace directory found at start. The full and read-only disks are tiny tmpfs mounts
 * ({@link TinyDisk}: root only, as CI runs).
 */
class FileWritingIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenProfilesAndTrace_whenWrittenAtExit_thenBothAreOwnerOnly(Jdk jdk, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("prof");
        Path trace = dir.resolve("app.trace");
        AgentJvm jvm = AgentJvm.of(ParkedThreadsWorkload.class).jdk(jdk)
                .agent("out=" + out + ",profiles=goroutine,trace=" + trace).args("0").start();

        int exit = jvm.waitForExit(WAIT);

        assertThat(exit).as(jvm.stderr()).isZero();
        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        assertThat(mode(out.resolve("goroutine.pb.gz"))).isEqualTo("rw-------");
        assertThat(mode(trace)).as("a trace holds stacks and labels as a profile does").isEqualTo("rw-------");
        assertThat(names(dir)).containsExactly("app.trace", "prof");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenFullDisk_whenProfilesAndTraceWrittenAtExit_thenOneLineEachAndNoTemporaryFileLeft(Jdk jdk, @TempDir Path dir)
            throws Exception {
        try (TinyDisk disk = TinyDisk.full(dir.resolve("disk"))) {
            Path out = disk.dir.resolve("prof");
            Path trace = disk.dir.resolve("app.trace");
            AgentJvm jvm = AgentJvm.of(ParkedThreadsWorkload.class).jdk(jdk)
                    .agent("out=" + out + ",profiles=goroutine,threadcreate,trace=" + trace).args("0").start();

            int exit = jvm.waitForExit(WAIT);

            assertThat(exit).as("the application's own exit code").isZero();
            assertThat(jvm.stderrWithoutJvmWarnings()).isEqualTo(
                    "diag: trace: cannot write " + trace + ": no space left on device\n"
                    + "diag: cannot write profiles to " + out + "; not written: goroutine, threadcreate "
                    + "(no space left on device)\n");
            assertThat(names(disk.dir)).containsExactly("filler", "prof");
            assertThat(names(out)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenFullDiskUnderInterval_whenWindowsFailThenRoomReturns_thenOneLineEachWayAndFailedWindowsCounted(Jdk jdk,
            @TempDir Path dir) throws Exception {
        try (TinyDisk disk = TinyDisk.full(dir.resolve("disk"))) {
            Path out = disk.dir.resolve("prof");
            try (HttpJvm server = HttpJvm.serve(AgentJvm.of(ParkedThreadsWorkload.class).jdk(jdk)
                    .agent("http=127.0.0.1:0,out=" + out + ",profiles=goroutine,interval=1s").args("600000"))) {

                long failed = await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> failedWindows(server), n -> n >= 3);
                disk.makeRoom();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> !names(out).isEmpty());
                long written = names(out).size();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> names(out).size() >= written + 2);
                long failedAfter = failedWindows(server);

                assertThat(failedAfter).as("no window failed once there was room").isGreaterThanOrEqualTo(failed);
                assertThat(server.jvm.stderrWithoutJvmWarnings().replaceFirst("diag: http listening on \\S+\n", ""))
                        .isEqualTo("diag: continuous profiling: cannot write a window to " + out
                                + ": no space left on device; trying again every interval, counted in "
                                + "continuous.windows_failed\n"
                                + "diag: continuous profiling: windows are written to " + out + " again, after "
                                + failedAfter + " failed\n");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenTraceIntoReadOnlyDirectory_whenStarted_thenOneLineAtStartAndNoneAtExit(Jdk jdk, @TempDir Path dir)
            throws Exception {
        try (TinyDisk disk = TinyDisk.readOnly(dir.resolve("ro"))) {
            Path trace = disk.dir.resolve("app.trace");
            String line = "diag: trace: cannot write to " + disk.dir + ": read-only file system; tracing is off\n";
            try (AgentJvm jvm = AgentJvm.of(ParkedThreadsWorkload.class).jdk(jdk).agent("trace=" + trace)
                    .args("3000").start()) {
                jvm.awaitStdout("ready", WAIT); // diag's start-up has finished; the application runs on

                String atStart = jvm.stderrWithoutJvmWarnings();
                int exit = jvm.waitForExit(WAIT);

                assertThat(atStart).isEqualTo(line);
                assertThat(exit).isZero();
                assertThat(jvm.stderrWithoutJvmWarnings()).as("nothing more at exit").isEqualTo(line);
            }
        }
    }

    private static long failedWindows(HttpJvm server) throws IOException {
        HttpProbe.Response r = server.http.get("/debug/vars");
        return new ObjectMapper().readTree(r.body()).path("diag").path("continuous.windows_failed").asLong(-1);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
