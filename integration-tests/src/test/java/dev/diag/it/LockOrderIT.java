package dev.diag.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.workloads.LockOrderWorkload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code lockorder=1} in a real JVM: two {@code ReentrantLock}s taken in opposite orders by two threads that never
 * overlap (so nothing deadlocks) are reported at {@code /debug/pprof/lockorder} with both orders' threads and stacks,
 * one {@code diag:} line says so, and {@code out=} gets the same report at exit; a pair always taken in one order and a
 * pair reversed only by a {@code tryLock} are not reported; the same with virtual threads. Off by default: 404.
 */
class LockOrderIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenLocksTakenInOppositeOrders_whenAsked_thenThePairIsReportedWithBothOrdersStacks(Jdk jdk)
            throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, LockOrderWorkload.class, "lockorder=1", "60000")) {
            server.jvm.awaitStdout("ready", WAIT);

            HttpProbe.Response r = server.http.get("/debug/pprof/lockorder");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            String report = r.text();
            assertOnlyTheInvertedPair(report);
            await().atMost(WAIT).until(() -> server.jvm.stderr().contains("diag: lockorder: potential deadlock"));
            assertThat(server.jvm.stderr()).containsPattern("diag: lockorder: potential deadlock: goroutine \\d+ "
                    + "\"order-ba\" took two locks in the order opposite to goroutine \\d+ \"order-ab\"'s; ");
            assertThat(server.http.get("/debug/pprof/").text()).doesNotContain("lockorder");
            // Three pairs were nested (six locks), one of them both ways; nothing was dropped.
            JsonNode diag = new ObjectMapper().readTree(server.http.get("/debug/vars").body()).get("diag");
            assertThat(diag.get("lockorder.inversions").asLong()).isEqualTo(1);
            assertThat(diag.get("lockorder.locks").asLong()).isGreaterThanOrEqualTo(6);
            assertThat(diag.get("lockorder.locks_dropped").asLong()).isZero();
            assertThat(diag.get("lockorder.orders_dropped").asLong()).isZero();
            assertThat(diag.get("lockorder.untracked").asLong()).isZero();
        }
    }

    @Test
    void givenVirtualThreads_whenTheyTakeLocksInOppositeOrders_thenThePairIsReported() throws Exception {
        Jdk jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk != null, "no JDK 21+ on this machine");
        try (HttpJvm server = HttpJvm.start(jdk, LockOrderWorkload.class, "lockorder=1", "60000", "virtual")) {
            server.jvm.awaitStdout("ready", WAIT);

            String report = server.http.get("/debug/pprof/lockorder").text();

            assertOnlyTheInvertedPair(report);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenOutDir_whenTheApplicationExits_thenLockorderTxtHoldsTheReport(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        try (AgentJvm jvm = AgentJvm.of(LockOrderWorkload.class).jdk(jdk)
                .agent("lockorder=1,profiles=goroutine,out=" + out).args("0").start()) {

            assertThat(jvm.waitForExit(WAIT)).isZero();

            assertOnlyTheInvertedPair(Files.readString(out.resolve("lockorder.txt")));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenLockorderOff_whenAsked_then404SaysHowToTurnItOn(Jdk jdk) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, LockOrderWorkload.class, "", "60000")) {
            server.jvm.awaitStdout("ready", WAIT);

            HttpProbe.Response r = server.http.get("/debug/pprof/lockorder");

            assertThat(r.status()).isEqualTo(404);
            assertThat(r.text()).isEqualTo("lockorder is off: start diag with lockorder=1\n");
            assertThat(server.jvm.stderr()).doesNotContain("lockorder");
        }
    }

    /**
     * One potential deadlock, FIRST (a ReentrantLock) and SECOND (a read-write lock's write lock), each order by its
     * thread with the outer and the inner stack.
     */
    private static void assertOnlyTheInvertedPair(String report) {
        assertThat(report).startsWith("lockorder: 1 potential deadlock: ");
        assertThat(report).contains("potential deadlock 1: 2 locks");
        assertThat(report).containsPattern("\\nlock [AB]: java.util.concurrent.locks.ReentrantLock@\\w+\\n")
                .containsPattern("\\nlock [AB]: java.util.concurrent.locks.ReentrantReadWriteLock\\$WriteLock@\\w+\\n");
        String ab = order(report, "order-ab");
        assertThat(outerStack(ab)).contains("LockOrderWorkload.firstThenSecond(");
        assertThat(innerStack(ab)).contains("LockOrderWorkload.takeSecond(", "LockOrderWorkload.firstThenSecond(");
        String ba = order(report, "order-ba");
        assertThat(outerStack(ba)).contains("LockOrderWorkload.secondThenFirst(");
        assertThat(innerStack(ba)).contains("LockOrderWorkload.takeFirst(", "LockOrderWorkload.secondThenFirst(");
        // The pair always taken in one order, and the one reversed only by a tryLock, are no potential deadlock.
        assertThat(report).doesNotContain("outerThenInner", "plainThenTried", "triedThenTryPlain");
    }

    /** The section of one order ("A then B, first by goroutine N "thread":" up to the next blank line). */
    private static String order(String report, String thread) {
        Matcher m = Pattern.compile("\n[A-D] then [A-D], first by goroutine \\d+ \"" + thread + "\":\n").matcher(report);
        assertThat(m.find()).as("an order by %s in\n%s", thread, report).isTrue();
        int end = report.indexOf("\n\n", m.end());
        return report.substring(m.start() + 1, end < 0 ? report.length() : end);
    }

    private static String outerStack(String order) {
        int start = order.indexOf(" taken at");
        int end = order.indexOf(" taken while holding ");
        assertThat(start).as(order).isPositive();
        assertThat(end).as(order).isGreaterThan(start);
        return order.substring(start, end);
    }

    private static String innerStack(String order) {
        return order.substring(order.indexOf(" taken while holding "));
    }
}
