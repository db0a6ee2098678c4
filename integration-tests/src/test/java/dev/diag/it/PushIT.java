package dev.diag.it;

import dev.diag.it.PyroscopeReceiver.Ingest;
import dev.diag.it.workloads.PushWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * push= against a receiver that implements Pyroscope's ingest API and checks every request: real JVMs with the real
 * jar, a workload that burns CPU in {@code pushBurnHot} and allocates in {@code pushAllocHot}.
 */
class PushIT {
    private static final String CPU = "samples/count";
    private static final String ALLOCS = "alloc_objects/count";
    /**
     * For tests about something else than the exit: on a 2-core machine at load 10 to 14, a TLS handshake or the last
     * request can miss the default flush budget (half of 5 s) and leave a "stopped with 1 window(s) not sent" line,
     * and the exit as a whole (JFR's catch-up, the window stop) can pass 5 s and say "exit: gave up".
     */
    private static final String SLOW_MACHINE_EXIT = "exit.timeout=20s";

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenPushWithLabelsTokenAndTenant_whenAppRuns_thenEveryWindowArrivesContiguousWithItsHotMethod(Jdk jdk,
            @TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "tok-123\n");
        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.start(0, 0, null)) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class).jdk(jdk)
                    .agent("push=" + pyroscope.url() + ",interval=1s,profiles=cpu,allocs,push.app=shop,"
                            + "push.labels=env=test;zone=a,push.token.file=" + token + ",push.tenant=team-a,"
                            + SLOW_MACHINE_EXIT)
                    .args("8").start();

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(pyroscope.violations()).isEmpty();
            for (Ingest i : pyroscope.ingests()) {
                assertThat(i.status()).isEqualTo(200);
                assertThat(i.name()).isEqualTo("shop{env=test,zone=a}");
                assertThat(i.query()).containsEntry("format", "pprof").containsEntry("spyName", "javaspy");
                assertThat(i.authorization()).isEqualTo("Bearer tok-123");
                assertThat(i.tenant()).isEqualTo("team-a");
            }
            List<Ingest> cpu = pyroscope.accepted(CPU);
            List<Ingest> allocs = pyroscope.accepted(ALLOCS);
            // A 1 s window takes 2-3 s on a loaded 2-core machine (sampling starts and catches up per window).
            assertThat(cpu).as("1 s cpu windows of an 8 s run").hasSizeGreaterThanOrEqualTo(2);
            assertThat(allocs).hasSameSizeAs(cpu);
            assertContiguous(cpu);
            assertContiguous(allocs);
            for (Ingest w : cpu) assertThat(w.query()).containsEntry("sampleRate", "1000");
            assertThat(cpu.stream().mapToLong(w -> w.valueIn(".pushBurnHot", 1)).sum())
                    .as("cpu ns in pushBurnHot over every window").isPositive();
            assertThat(allocs.stream().mapToLong(w -> w.valueIn(".pushAllocHot", 1)).sum())
                    .as("bytes allocated in pushAllocHot").isPositive();
            assertThat(jvm.stdout() + jvm.stderr()).doesNotContain("tok-123");
        }
    }

    @Test
    void givenServerAnswers500First_whenAppRuns_thenRetriesDeliverEveryWindowAndTwoLinesSayIt(@TempDir Path dir)
            throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "pa55");
        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.start(0, 3, null)) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .agent("push=" + pyroscope.url() + ",interval=1s,profiles=cpu,push.user=bob,push.password.file="
                            + password).args("8").start();

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

            assertThat(pyroscope.violations()).isEmpty();
            List<Ingest> all = pyroscope.ingests();
            assertThat(all.subList(0, 3)).extracting(Ingest::status).containsOnly(500);
            List<Ingest> accepted = pyroscope.accepted(CPU);
            assertThat(accepted.get(0).from()).as("the window answered 500 was sent again").isEqualTo(all.get(0).from());
            assertContiguous(accepted);
            assertThat(all).extracting(Ingest::authorization).containsOnly("Basic "
                    + Base64.getEncoder().encodeToString("bob:pa55".getBytes(StandardCharsets.UTF_8)));
            assertThat(jvm.stderrWithoutJvmWarnings()).matches("(?s)diag: push: cannot send to " + pyroscope.url()
                    + ": it answers 500; retrying [^\n]*\ndiag: push: " + pyroscope.url() + " takes windows again\n");
        }
    }

    @Test
    void givenServerDownAtStart_whenItComesUp_thenOneLineEachWayAndTheEarlyWindowsArrive() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        AgentJvm jvm = AgentJvm.of(PushWorkload.class).agent("push=" + url + ",interval=1s,profiles=cpu").args("14").start();
        jvm.awaitStderr("diag: push: cannot send to " + url, Duration.ofSeconds(30));
        Instant upAt = Instant.now();

        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.start(port, 0, null)) {
            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

            assertThat(pyroscope.violations()).isEmpty();
            List<Ingest> accepted = pyroscope.accepted(CPU);
            // until is a whole second, rounded to the nearest and at least from + 1: up to a second past the end.
            assertThat(accepted.get(0).until()).as("a window recorded while the server was down")
                    .isLessThanOrEqualTo(upAt.getEpochSecond() + 1);
            assertContiguous(accepted);
            assertThat(jvm.stderrWithoutJvmWarnings()).matches("(?s)diag: push: cannot send to " + url
                    + ": ConnectException[^\n]*\ndiag: push: " + url + " takes windows again\n");
        }
    }

    @Test
    void givenServerHangingUntilMainEnds_whenAppExits_thenTheFinalFlushDeliversEveryQueuedWindowWithinTheExitBound()
            throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.start(0, 0, gate)) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .agent("push=" + pyroscope.url() + ",interval=1s,profiles=cpu,allocs,exit.timeout=10s").args("7")
                    .start();
            jvm.awaitStdout("done", Duration.ofSeconds(60));
            Instant mainEnded = Instant.now();
            gate.countDown(); // the first request was held all along: every later window is still queued

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();
            Instant exited = Instant.now();

            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(pyroscope.violations()).isEmpty();
            assertThat(Duration.between(mainEnded, exited)).as("exit within exit.timeout").isLessThan(Duration.ofSeconds(10));
            for (String type : List.of(CPU, ALLOCS)) {
                List<Ingest> windows = pyroscope.accepted(type);
                assertThat(windows).as("%s windows of a 7 s run, all but the first sent at exit", type)
                        .hasSizeGreaterThanOrEqualTo(2);
                assertContiguous(windows);
                assertThat(windows.get(windows.size() - 1).until()).as("%s: the last window ended near exit", type)
                        .isGreaterThanOrEqualTo(mainEnded.getEpochSecond() - 4);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenAttachWithPush_whenAppRuns_thenWindowsArriveUnderTheMainClassName(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "attach-tok");
        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.start(0, 0, null);
             AgentJvm jvm = AgentJvm.of(PushWorkload.class).jdk(jdk).args("12").start()) {
            jvm.awaitStdout("started", Duration.ofSeconds(30));

            DiagCli.Result attach = DiagCli.run(jdk, "attach", Long.toString(jvm.pid()), "push=" + pyroscope.url(),
                    "interval=1s", "profiles=cpu", "push.token.file=" + token, SLOW_MACHINE_EXIT);

            assertThat(attach.exitCode()).as("%s", attach).isZero();
            assertThat(attach.stdout() + attach.stderr()).doesNotContain("attach-tok");
            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();
            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(pyroscope.violations()).isEmpty();
            List<Ingest> cpu = pyroscope.accepted(CPU);
            assertThat(cpu).hasSizeGreaterThanOrEqualTo(2);
            assertThat(cpu).extracting(Ingest::name).containsOnly("PushWorkload{}");
            assertThat(cpu).extracting(Ingest::authorization).containsOnly("Bearer attach-tok");
            assertContiguous(cpu);
            assertThat(cpu.stream().mapToLong(w -> w.valueIn(".pushBurnHot", 1)).sum()).isPositive();
        }
    }

    @Test
    void givenHttpsServerWithUntrustedCertificate_whenPushing_thenNothingIsSentAndOneLineSaysWhy(@TempDir Path dir)
            throws Exception {
        Path keys = selfSignedKeyStore(dir);
        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.startTls(keys, PASSWORD.toCharArray())) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .agent("push=" + pyroscope.httpsUrl() + ",interval=1s,profiles=cpu," + SLOW_MACHINE_EXIT).args("6")
                    .start();

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

            assertThat(pyroscope.ingests()).as("a certificate no trust store vouches for is refused").isEmpty();
            assertThat(jvm.stderrWithoutJvmWarnings()).matches("(?s)diag: push: cannot send to "
                    + pyroscope.httpsUrl() + ": SSLHandshakeException[^\n]*\n(diag: push: stopped with \\d+ window\\(s\\) not sent to "
                    + pyroscope.httpsUrl() + "\n)?");
        }
    }

    @Test
    void givenHttpsServerWhoseCertificateIsTrusted_whenPushing_thenWindowsArrive(@TempDir Path dir) throws Exception {
        Path keys = selfSignedKeyStore(dir);
        Path trust = dir.resolve("trust.p12");
        keytool("-exportcert", "-alias", "pyroscope", "-keystore", keys.toString(), "-storepass", PASSWORD,
                "-file", dir.resolve("pyroscope.cer").toString());
        keytool("-importcert", "-noprompt", "-alias", "pyroscope", "-file", dir.resolve("pyroscope.cer").toString(),
                "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.startTls(keys, PASSWORD.toCharArray())) {
            AgentJvm jvm = AgentJvm.of(PushWorkload.class)
                    .jvmArg("-Djavax.net.ssl.trustStore=" + trust).jvmArg("-Djavax.net.ssl.trustStorePassword=" + PASSWORD)
                    .agent("push=" + pyroscope.httpsUrl() + ",interval=1s,profiles=cpu," + SLOW_MACHINE_EXIT).args("6")
                    .start();

            assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

            assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
            assertThat(pyroscope.violations()).isEmpty();
            assertThat(pyroscope.accepted(CPU)).isNotEmpty();
        }
    }

    private static final String PASSWORD = "changeit";

    /** A PKCS12 key store with a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private static Path selfSignedKeyStore(Path dir) throws Exception {
        Path keys = dir.resolve("pyroscope.p12");
        keytool("-genkeypair", "-alias", "pyroscope", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", keys.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        return keys;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Jdk.current().home().resolve("bin/keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool %s: %s", args[0], out).isZero();
    }

    @Test
    void givenPushWithoutInterval_whenStarted_thenOneLineAndTheAppRuns() throws Exception {
        AgentJvm jvm = AgentJvm.of(PushWorkload.class).agent("push=http://127.0.0.1:9").args("1").start();

        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isZero();

        assertThat(jvm.stderrWithoutJvmWarnings())
                .isEqualTo("diag: push= needs interval= (how often to send a window); push is off\n");
    }

    /** Windows of one profile, sorted by start: each ends where the next begins, none overlaps, none is missing. */
    private static void assertContiguous(List<Ingest> windows) {
        List<Ingest> sorted = windows.stream().sorted(java.util.Comparator.comparingLong(Ingest::from)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i).from()).as("window %d of %s", i, sorted.stream()
                    .map(w -> w.from() + ".." + w.until()).toList()).isEqualTo(sorted.get(i - 1).until());
        }
    }
}
