package dev.diag.it;

import dev.diag.it.workloads.ParkedThreadsWorkload;
import dev.diag.it.workloads.ReturnsWhenServing;
import dev.diag.it.workloads.ThreadsWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint never holds the JVM, never stops the application, and lets in only whom it should. */
class HttpLifecycleIT {
    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenHttpServing_whenMainReturns_thenJvmExitsOnItsOwn(Jdk jdk) throws Exception {
        AgentJvm jvm = AgentJvm.of(ReturnsWhenServing.class).jdk(jdk).agent("http=127.0.0.1:0").start();

        int exit = jvm.waitForExit(Duration.ofSeconds(60));

        assertThat(jvm.stdout()).isEqualTo("serving daemon=true\n");
        assertThat(exit).isZero();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenPortInUse_whenJvmStarts_thenOneDiagLineAndAppRunsWithItsExitCode(Jdk jdk) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            AgentJvm jvm = AgentJvm.of(ThreadsWorkload.class).jdk(jdk).agent("http=" + port).start();

            int exit = jvm.waitForExit(Duration.ofSeconds(60));

            assertThat(exit).as("the application's own exit code").isEqualTo(7);
            assertThat(jvm.stdout()).startsWith("live=");
            assertThat(jvm.stderrWithoutJvmWarnings())
                    .isEqualTo("diag: http is off: cannot listen on " + port + ": Address already in use\n");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenRuntimeWithoutHttpServerModule_whenJvmStarts_thenOneDiagLineAndAppRuns(Jdk jdk) throws Exception {
        AgentJvm jvm = AgentJvm.of(ThreadsWorkload.class).jdk(jdk).agent("http=127.0.0.1:0")
                .jvmArg("--limit-modules").jvmArg("java.base,java.instrument,java.management,jdk.management,jdk.jfr,jdk.unsupported")
                .start();

        int exit = jvm.waitForExit(Duration.ofSeconds(60));

        assertThat(exit).isEqualTo(7);
        assertThat(jvm.stdout()).startsWith("live=");
        assertThat(jvm.stderrWithoutJvmWarnings()).isEqualTo("diag: http is off: this Java runtime has no jdk.httpserver module\n");
    }

    @Test
    void givenTokenFile_whenRequestLacksOrMisspellsBearer_then401_andWithBearerServes(@TempDir Path dir) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "s3cret-token\n");
        try (HttpJvm server = HttpJvm.start(Jdk.current(), ParkedThreadsWorkload.class,
                "http.token.file=" + tokenFile, "600000")) {

            HttpProbe.Response none = server.http.get("/debug/pprof/");
            HttpProbe.Response wrong = server.http.send("GET", "/debug/vars", Map.of("Authorization", "Bearer s3cret"), null);
            HttpProbe.Response right = server.http.send("GET", "/debug/pprof/cmdline",
                    Map.of("Authorization", "Bearer s3cret-token"), null);

            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"diag\"");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(right.status()).isEqualTo(200);
            assertThat(right.text()).contains("http.token.file=" + tokenFile).doesNotContain("s3cret-token");
        }
    }

    @Test
    void givenTokenOnCommandLine_whenCmdlineServed_thenTokenIsRedacted() throws Exception {
        try (HttpJvm server = HttpJvm.start(Jdk.current(), ParkedThreadsWorkload.class, "http.token=abc123xyz", "600000")) {

            HttpProbe.Response r = server.http.send("GET", "/debug/pprof/cmdline",
                    Map.of("Authorization", "Bearer abc123xyz"), null);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).contains("http.token=<redacted>").doesNotContain("abc123xyz");
        }
    }

    @Test
    void givenLoopbackBind_whenHostIsNotALoopbackName_then403_elseServes() throws Exception {
        try (HttpJvm server = HttpJvm.start(Jdk.current(), ParkedThreadsWorkload.class, "", "600000")) {
            for (String host : List.of("evil.example", "evil.example:" + server.port, "127.0.0.1.nip.io", "10.0.0.1")) {
                HttpProbe.Response r = server.http.send("GET", "/debug/pprof/", Map.of("Host", host), null);
                assertThat(r.status()).as("Host: %s", host).isEqualTo(403);
            }
            for (String host : List.of("localhost:" + server.port, "127.0.0.1:" + server.port, "[::1]:" + server.port,
                    "LOCALHOST", "app.localhost")) {
                HttpProbe.Response r = server.http.send("GET", "/debug/pprof/", Map.of("Host", host), null);
                assertThat(r.status()).as("Host: %s", host).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenHttpAlone_whenIdle_thenCpuIsSampledOnlyWhileAProfileWindowRuns(Jdk jdk) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "log=debug", "600000")) {
            Thread.sleep(1000);
            String idle = server.jvm.stderr();

            HttpProbe.Response profile = server.http.get("/debug/pprof/profile?seconds=1");
            String after = server.jvm.stderr();

            assertThat(idle).as("JFR's CPU sampler visits every thread each period: not while idle")
                    .doesNotContain("diag: cpu: sampling");
            assertThat(profile.status()).isEqualTo(200);
            assertThat(after).containsPattern("diag: cpu: sampling (async-profiler cpu|jdk\\.(ExecutionSample|CPUTimeSample))")
                    .contains("diag: cpu: sampling stopped");
        }
    }

    @Test
    void givenWriteTimeout_whenWindowReachesIt_thenGo400_elseServes() throws Exception {
        try (HttpJvm server = HttpJvm.start(Jdk.current(), ParkedThreadsWorkload.class, "http.timeout=5s", "600000")) {
            for (String path : List.of("profile", "profile?seconds=5", "profile?seconds=abc", "trace?seconds=5",
                    "trace?seconds=inf", "goroutine?seconds=5", "threadcreate?seconds=9223372036854775807")) {

                HttpProbe.Response r = server.http.get("/debug/pprof/" + path);

                assertThat(r.status()).as("%s: %s", path, r).isEqualTo(400);
                assertThat(r.text()).as(path).isEqualTo("profile duration exceeds server's WriteTimeout\n");
            }
            HttpProbe.Response shorter = server.http.get("/debug/pprof/goroutine?seconds=1");
            HttpProbe.Response invalidFirst = server.http.get("/debug/pprof/goroutine?seconds=abc");
            assertThat(shorter.status()).isEqualTo(200);
            assertThat(invalidFirst.text()).isEqualTo("invalid value for \"seconds\" - must be a positive integer\n");
        }
    }

    @Test
    void givenCustomPath_whenRequested_thenServedUnderItWithVarsBesideIt() throws Exception {
        try (HttpJvm server = HttpJvm.start(Jdk.current(), ParkedThreadsWorkload.class, "http.path=/ops/pprof", "600000")) {

            HttpProbe.Response index = server.http.get("/ops/pprof/");
            HttpProbe.Response goroutine = server.http.get("/ops/pprof/goroutine?debug=1");
            HttpProbe.Response vars = server.http.get("/ops/vars");
            HttpProbe.Response redirect = server.http.get("/ops/pprof?x=1");
            HttpProbe.Response defaultPath = server.http.get("/debug/pprof/");

            assertThat(index.status()).isEqualTo(200);
            assertThat(goroutine.text()).startsWith("goroutine profile: total ");
            assertThat(vars.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
            assertThat(redirect.status()).isEqualTo(301);
            assertThat(redirect.header("Location")).isEqualTo("/ops/pprof/?x=1");
            assertThat(defaultPath.status()).isEqualTo(404);
            assertThat(defaultPath.text()).isEqualTo("404 page not found\n");
        }
    }
}
