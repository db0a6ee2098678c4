package dev.diag.it;

import dev.diag.it.OtlpReceiver.Export;
import dev.diag.it.workloads.PushWorkload;
import io.opentelemetry.proto.profiles.v1development.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
                    .args(dir.resolve("stop").toString(), "labelled").start();
            stopAfter(jvm, dir, () -> collector.accepted(CPU).size() >= 2 && collector.accepted(ALLOCS).size() >= 2);

            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(collector.violations()).isEmpty();
            assertThat(collector.exports()).isNotEmpty();
            for (Export e : collector.exports()) {
                assertThat(e.status()).isEqualTo(200);
                assertThat(e.contentType()).isEqualTo("application/x-protobuf");
                assertThat(e.contentEncoding()).isEqualTo("gzip");
                assertThat(e.authorization()).isEqualTo("Bearer tok-otlp");
                assertThat(e.resourceAttributes()).containsEntry("service.name", "shop")
                        .containsEntry("process.pid", jvm.pid())
                        .containsEntry("env", "test").containsEntry("zone", "a");
            }
            List<Export> cpu = collector.accepted(CPU);
            List<Export> allocs = collector.accepted(ALLOCS);
            assertThat(cpu).hasSizeGreaterThanOrEqualTo(2);
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
            assertThat((double) labelled / burn).as("share of pushBurnHot's cpu under push_job=burn")
                    .isGreaterThan(0.9);
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
    void givenCollectorAnswers503First_whenAppRuns_thenRetriesDeliverEveryWindowAndTwoLinesSayIt(@TempDir Path dir)
            throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(3, 503, null)) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .agent("push=otlp+" + collector.url() + ",interval=1s,profiles=cpu")
                    .args(dir.resolve("stop").toString()).start();
            stopAfter(jvm, dir, () -> collector.accepted(CPU).size() >= 2);

            assertThat(collector.violations()).isEmpty();
            List<Export> all = collector.exports();
            assertThat(all.subList(0, 3)).extracting(Export::status).containsOnly(503);
            List<Export> accepted = collector.accepted(CPU);
            assertThat(start(accepted.get(0), CPU)).as("the window answered 503 was sent again")
                    .isEqualTo(start(all.get(0), CPU));
            assertContiguous(accepted, CPU);
            String target = ("otlp+" + collector.url()).replace("+", "\\+");
            assertThat(jvm.stderrWithoutJvmWarnings()).matches("(?s)diag: push: cannot send to " + target
                    + ": it answers 503; retrying [^\n]*\ndiag: push: " + target + " takes windows again\n");
        }
    }

    @Test
    void givenCollectorAnswers500_whenAppRuns_thenThatWindowIsDroppedNotRetriedAsTheSpecSaysAndTwoLinesSayIt(
            @TempDir Path dir) throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(1, 500, null)) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .agent("push=otlp+" + collector.url() + ",interval=1s,profiles=cpu," + SLOW_MACHINE_EXIT)
                    .args(dir.resolve("stop").toString()).start();
            stopAfter(jvm, dir, () -> !collector.accepted(CPU).isEmpty());

            assertThat(collector.violations()).isEmpty();
            List<Export> all = collector.exports();
            assertThat(all.get(0).status()).isEqualTo(500);
            List<Export> accepted = collector.accepted(CPU);
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
    void givenCollectorHangingUntilMainEnds_whenAppExits_thenTheFinalFlushDeliversEveryQueuedWindowWithinTheExitBound(
            @TempDir Path dir) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Path out = Files.createDirectory(dir.resolve("out"));
        try (OtlpReceiver collector = OtlpReceiver.start(0, 0, gate)) {
            // out= too: its window files say how many windows wait in the queue behind the held request.
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .agent("push=otlp+" + collector.url() + ",interval=1s,profiles=cpu,allocs,exit.timeout=10s,"
                            + "out=" + out)
                    .args(dir.resolve("stop").toString()).start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> windowFiles(out, "cpu-") >= 3 && windowFiles(out, "allocs-") >= 3);
            Files.createFile(dir.resolve("stop"));
            jvm.awaitStdout("done", Duration.ofSeconds(60));
            Instant mainEnded = Instant.now();
            gate.countDown(); // the first request was held all along: every later window is still queued

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();
            Instant exited = Instant.now();

            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(collector.violations()).isEmpty();
            assertThat(Duration.between(mainEnded, exited)).as("exit within exit.timeout")
                    .isLessThan(Duration.ofSeconds(10));
            for (String type : List.of(CPU, ALLOCS)) {
                List<Export> windows = collector.accepted(type);
                assertThat(windows).as("%s windows, all but the first sent at exit", type)
                        .hasSizeGreaterThanOrEqualTo(3);
                assertContiguous(windows, type);
                assertThat(windows).as("%s: every window recorded (one file each) was sent", type)
                        .hasSize((int) windowFiles(out, type.equals(CPU) ? "cpu-" : "allocs-"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenAttachWithOtlpPush_whenAppRuns_thenWindowsArriveUnderTheMainClassName(Jdk jdk, @TempDir Path dir)
            throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(0, 0, null);
             AgentJvm jvm = AgentJvm.of(PushWorkload.class).jdk(jdk).args(dir.resolve("stop").toString()).start()) {
            jvm.awaitStdout("started", Duration.ofSeconds(30));

            DiagCli.Result attach = DiagCli.run(jdk, "attach", Long.toString(jvm.pid()), "push=otlp+" + collector.url(),
                    "interval=1s", "profiles=cpu", SLOW_MACHINE_EXIT);

            assertThat(attach.exitCode()).as("%s", attach).isZero();
            stopAfter(jvm, dir, () -> collector.accepted(CPU).size() >= 2);
            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(collector.violations()).isEmpty();
            List<Export> cpu = collector.accepted(CPU);
            assertThat(cpu).hasSizeGreaterThanOrEqualTo(2);
            for (Export e : cpu) {
                assertThat(e.resourceAttributes()).containsEntry("service.name", "PushWorkload")
                        .containsEntry("process.pid", jvm.pid());
            }
            assertContiguous(cpu, CPU);
            assertThat(cpu.stream().mapToLong(e -> e.valueIn(e.profile(CPU), ".pushBurnHot")).sum()).isPositive();
        }
    }

    /**
     * Lets the workload run until {@code enough} holds (a loaded machine records 1 s windows in several seconds each),
     * then stops it and waits for its exit (the final flush sends what is queued).
     */
    private static void stopAfter(AgentJvm jvm, Path dir, Callable<Boolean> enough) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(enough);
        Files.createFile(dir.resolve("stop"));
        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();
    }

    private static long windowFiles(Path out, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
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
