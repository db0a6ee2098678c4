package dev.diag.it;

import dev.diag.it.OtlpReceiver.Export;
import dev.diag.it.workloads.PushWorkload;
import io.opentelemetry.proto.profiles.v1development.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * push=otlp+http:// against a receiver that implements OTLP/HTTP's profiles endpoint and checks every request against
 * the vendored opentelemetry-proto v1.11.0: real JVMs with the real jar, a workload that burns CPU in
 * {@code pushBurnHot} and allocates in {@code pushAllocHot}.
 */
class OtlpPushIT {
    private static final String CPU = "cpu/nanoseconds";
    private static final String ALLOCS = "alloc_space/bytes";
    /** As in PushIT: a loaded 2-core machine can pass the default exit bound in a test about something else. */
    private static final String SLOW_MACHINE_EXIT = "exit.timeout=20s";

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenOtlpPushWithLabels_whenAppRuns_thenEveryWindowArrivesAsOtlpProfilesContiguousWithItsHotMethod(Jdk jdk,
            @TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "tok-otlp\n");
        try (OtlpReceiver collector = OtlpReceiver.start(0, 0, null)) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class).jdk(jdk)
                    .agent("push=otlp+" + collector.url() + ",interval=1s,profiles=cpu,allocs,push.app=shop,"
                            + "push.labels=env=test;zone=a,push.token.file=" + token + "," + SLOW_MACHINE_EXIT)
                    .args("8").start();

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(collector.violations()).isEmpty();
            assertThat(collector.exports()).isNotEmpty();
            for (Export e : collector.exports()) {
                assertThat(e.status()).isEqualTo(200);
                assertThat(e.contentType()).isEqualTo("application/x-protobuf");
                assertThat(e.contentEncoding()).isEqualTo("gzip");
                assertThat(e.authorization()).isEqualTo("Bearer tok-otlp");
                assertThat(e.resourceAttributes()).containsEntry("service.name", "shop")
                        .containsEntry("process.pid", jvm.pid()).containsEntry("env", "test").containsEntry("zone", "a");
            }
            List<Export> cpu = collector.accepted(CPU);
            List<Export> allocs = collector.accepted(ALLOCS);
            assertThat(cpu).as("1 s cpu windows of an 8 s run").hasSizeGreaterThanOrEqualTo(2);
            assertThat(allocs).hasSameSizeAs(cpu);
            for (Export e : cpu) {
                assertThat(e.profiles()).extracting(e::sampleType).containsExactly("samples/count", CPU);
                Profile p = e.profile(CPU);
                assertThat(e.attributes(p)).containsEntry("diag.profile", "cpu");
                assertThat(e.string(p.getPeriodType().getTypeStrindex())).isEqualTo("cpu");
                assertThat(e.string(p.getPeriodType().getUnitStrindex())).isEqualTo("nanoseconds");
                assertThat(p.getPeriod()).as("the sampling interval in ns").isPositive();
            }
            for (Export e : allocs) {
                assertThat(e.profiles()).as("allocs sends what was allocated, not what is live")
                        .extracting(e::sampleType).containsExactly("alloc_objects/count", ALLOCS);
            }
            assertContiguous(cpu, CPU);
            assertContiguous(allocs, ALLOCS);
            long burn = cpu.stream().mapToLong(e -> e.valueIn(e.profile(CPU), ".pushBurnHot")).sum();
            long labelled = cpu.stream()
                    .mapToLong(e -> e.valueIn(e.profile(CPU), ".pushBurnHot", Map.of("push_job", "burn"))).sum();
            assertThat(burn).as("cpu ns in pushBurnHot over every window").isPositive();
            // Every call runs under the label; the native sampler's labels arrive with the samples' timestamps, so
            // no slack is needed beyond the odd sample of the label's first or last moment.
            assertThat((double) labelled / burn).as("share of pushBurnHot's cpu under push_job=burn").isGreaterThan(0.9);
            assertThat(allocs.stream().mapToLong(e -> e.valueIn(e.profile(ALLOCS), ".pushAllocHot")).sum())
                    .as("bytes allocated in pushAllocHot").isPositive();
            Export last = cpu.get(cpu.size() - 1);
            assertThat(last.dictionary().getLocationTable(1).getAttributeIndicesList())
                    .extracting(i -> last.string(last.dictionary().getAttributeTable(i).getKeyStrindex()) + "="
                            + last.dictionary().getAttributeTable(i).getValue().getStringValue())
                    .containsExactly("profile.frame.type=jvm");
            assertThat(jvm.stdout() + jvm.stderr()).doesNotContain("tok-otlp");
        }
    }

    @Test
    void givenCollectorAnswers503First_whenAppRuns_thenRetriesDeliverEveryWindowAndTwoLinesSayIt() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(3, 503, null)) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .agent("push=otlp+" + collector.url() + ",interval=1s,profiles=cpu").args("8").start();

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

            assertThat(collector.violations()).isEmpty();
            List<Export> all = collector.exports();
            assertThat(all.subList(0, 3)).extracting(Export::status).containsOnly(503);
            List<Export> accepted = collector.accepted(CPU);
            assertThat(start(accepted.get(0), CPU)).as("the window answered 503 was sent again")
                    .isEqualTo(start(all.get(0), CPU));
            assertContiguous(accepted, CPU);
            String target = "otlp+" + collector.url();
            assertThat(jvm.stderrWithoutJvmWarnings()).matches("(?s)diag: push: cannot send to " + target.replace("+", "\\+")
                    + ": it answers 503; retrying [^\n]*\ndiag: push: " + target.replace("+", "\\+") + " takes windows again\n");
        }
    }

    @Test
    void givenCollectorAnswers500_whenAppRuns_thenThatWindowIsDroppedNotRetriedAsTheSpecSaysAndTwoLinesSayIt() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(1, 500, null)) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .agent("push=otlp+" + collector.url() + ",interval=1s,profiles=cpu," + SLOW_MACHINE_EXIT)
                    .args("10").start();

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

            assertThat(collector.violations()).isEmpty();
            List<Export> all = collector.exports();
            assertThat(all.get(0).status()).isEqualTo(500);
            List<Export> accepted = collector.accepted(CPU);
            // A 1 s window takes 2-3 s on a loaded 2-core machine: a 10 s run has a few.
            assertThat(accepted).as("windows after the refused one").isNotEmpty();
            assertThat(accepted).extracting(e -> start(e, CPU)).as("a refused window is never sent again")
                    .doesNotContain(start(all.get(0), CPU));
            assertThat(all).as("one request per window").hasSize(accepted.size() + 1);
            String target = ("otlp+" + collector.url()).replace("+", "\\+");
            assertThat(jvm.stderrWithoutJvmWarnings()).matches("diag: push: " + target + " refuses windows: it answers "
                    + "500; dropping them \\(counted in push.errors\\), not retrying\ndiag: push: " + target
                    + " takes windows again\n");
        }
    }

    @Test
    void givenCollectorHangingUntilMainEnds_whenAppExits_thenTheFinalFlushDeliversEveryQueuedWindowWithinTheExitBound()
            throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (OtlpReceiver collector = OtlpReceiver.start(0, 0, gate)) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .agent("push=otlp+" + collector.url() + ",interval=1s,profiles=cpu,allocs,exit.timeout=10s")
                    .args("7").start();
            jvm.awaitStdout("done", Duration.ofSeconds(60));
            Instant mainEnded = Instant.now();
            gate.countDown(); // the first request was held all along: every later window is still queued

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();
            Instant exited = Instant.now();

            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(collector.violations()).isEmpty();
            assertThat(Duration.between(mainEnded, exited)).as("exit within exit.timeout").isLessThan(Duration.ofSeconds(10));
            for (String type : List.of(CPU, ALLOCS)) {
                List<Export> windows = collector.accepted(type);
                assertThat(windows).as("%s windows of a 7 s run, all but the first sent at exit", type)
                        .hasSizeGreaterThanOrEqualTo(2);
                assertContiguous(windows, type);
                Export last = windows.stream().max(Comparator.comparingLong(e -> start(e, type))).orElseThrow();
                assertThat(end(last, type) / 1_000_000_000L).as("%s: the last window ended near exit", type)
                        .isGreaterThanOrEqualTo(mainEnded.getEpochSecond() - 4);
            }
        }
    }

    private static long start(Export e, String type) {
        return e.profile(type).getTimeUnixNano();
    }

    private static long end(Export e, String type) {
        Profile p = e.profile(type);
        return p.getTimeUnixNano() + p.getDurationNano();
    }

    /** Windows of one profile, sorted by start: each ends where the next begins, none overlaps, none is missing. */
    private static void assertContiguous(List<Export> windows, String type) {
        List<Export> sorted = windows.stream().sorted(Comparator.comparingLong(e -> start(e, type))).toList();
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(start(sorted.get(i), type)).as("window %d of %s", i, sorted.stream()
                    .map(e -> start(e, type) + ".." + end(e, type)).toList()).isEqualTo(end(sorted.get(i - 1), type));
        }
    }
}
