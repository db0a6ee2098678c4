package dev.diag.it;

import dev.diag.it.workloads.DeadlockWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlocks found in a real JVM: {@code /debug/pprof/deadlock} reports a monitor cycle and a
 * {@code ReentrantLock} cycle, each thread with what it waits for, who holds it, and its stack;
 * {@code goroutine?debug=2} marks exactly those threads {@code deadlocked}.
 */
class DeadlockIT {
    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenTwoDeadlockedPairsAndAWaitingBystander_whenAsked_thenBothCyclesAndOnlyTheirThreadsAreReported(Jdk jdk,
            @TempDir Path dir) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, DeadlockWorkload.class, "", "60000")) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(60));

            HttpProbe.Response r = server.http.get("/debug/pprof/deadlock");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            String report = r.text();
            assertThat(report).startsWith("deadlock: 4 goroutines in 2 cycles wait for each other\n");
            assertThat(report).containsPattern("goroutine \\d+ \"monitor-a\" waits for java.lang.Object@\\w+ held by "
                    + "goroutine \\d+ \"monitor-b\"");
            assertThat(report).containsPattern("goroutine \\d+ \"monitor-b\" waits for java.lang.Object@\\w+ held by "
                    + "goroutine \\d+ \"monitor-a\"");
            assertThat(report).containsPattern("goroutine \\d+ \"lock-a\" waits for "
                    + "java.util.concurrent.locks.ReentrantLock\\$NonfairSync@\\w+ held by goroutine \\d+ \"lock-b\"");
            assertThat(report).containsPattern("goroutine \\d+ \"lock-b\" waits for "
                    + "java.util.concurrent.locks.ReentrantLock\\$NonfairSync@\\w+ held by goroutine \\d+ \"lock-a\"");
            // Each thread's stack, at the method that waits.
            assertThat(stackOf(report, "monitor-a")).contains("DeadlockWorkload.enterAThenB(");
            assertThat(stackOf(report, "monitor-b")).contains("DeadlockWorkload.enterBThenA(");
            assertThat(stackOf(report, "lock-a")).contains("DeadlockWorkload.lockCThenD(");
            assertThat(stackOf(report, "lock-b")).contains("DeadlockWorkload.lockDThenC(");
            assertThat(report).doesNotContain("bystander");

            String dump = server.http.get("/debug/pprof/goroutine?debug=2").text();
            Matcher m = Pattern.compile("goroutine \\d+ \\[[^\\]]*\"([\\w-]+)\"[^\\]]*, deadlocked\\]:").matcher(dump);
            List<String> marked = m.results().map(x -> x.group(1)).sorted().toList();
            assertThat(marked).containsExactly("lock-a", "lock-b", "monitor-a", "monitor-b");
            assertThat(dump).containsPattern("\"bystander\"\\]:");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenNoDeadlock_whenAsked_thenOneLineSaysSo(Jdk jdk, @TempDir Path dir) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, DeadlockWorkload.class, "", "60000", "bystander-only")) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(60));
            String report = server.http.get("/debug/pprof/deadlock").text();
            assertThat(report).isEqualTo("no deadlock: no threads wait for each other's monitors or locks in a cycle\n");
        }
    }

    /** The goroutine block of thread {@code name} in the report's dump part. */
    private static String stackOf(String report, String name) {
        int start = report.indexOf(", \"" + name + "\", deadlocked]:");
        assertThat(start).as("%s's stack in\n%s", name, report).isPositive();
        int end = report.indexOf("\n\n", start);
        return report.substring(start, end < 0 ? report.length() : end);
    }
}
