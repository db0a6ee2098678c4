package dev.diag.it;

import dev.diag.it.workloads.ParkedThreadsWorkload;
import dev.diag.it.workloads.ThreadsWorkload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that misbehave (hang up mid-window, never finish their headers, send broken bodies) or that should not get
 * in (a non-loopback bind without a token) cannot take the endpoint from everyone else.
 */
class HttpAbuseIT {
    /** Far below the 120 s and 3600 s windows the abandoned requests asked for, far above the ~2 s it takes. */
    private static final Duration FREED_WITHIN = Duration.ofSeconds(20);

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenProfileAndTraceWindows_whenTheirClientsHangUp_thenTheProfilerAndTracerAreFreeWithinSeconds(Jdk jdk)
            throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "", "600000")) {
            for (String window : List.of("profile", "trace")) {
                try (Socket abandoned = startRequest(server, "/debug/pprof/" + window + "?seconds=120")) {
                    Thread.sleep(1000);
                    HttpProbe.Response busy = server.http.get("/debug/pprof/" + window + "?seconds=1");
                    assertThat(busy.status()).as("%s while the first window runs: %s", window, busy).isEqualTo(500);
                }

                HttpProbe.Response next = untilNot(500, server, "/debug/pprof/" + window + "?seconds=1");

                assertThat(next.status()).as("%s after the first client hung up: %s", window, next).isEqualTo(200);
                assertThat(next.isGzip() || window.equals("trace")).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenDeltaRequestsAbandonedByTheirClients_whenAnotherDeltaIsAsked_thenItIsServed(Jdk jdk) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "", "600000")) {
            List<Socket> abandoned = new ArrayList<>();
            for (int i = 0; i < 32; i++) abandoned.add(startRequest(server, "/debug/pprof/heap?seconds=3600"));
            Thread.sleep(1000);
            HttpProbe.Response whileWaiting = server.http.get("/debug/pprof/goroutine?seconds=1");
            for (Socket s : abandoned) s.close();

            HttpProbe.Response afterHangUp = untilNot(503, server, "/debug/pprof/goroutine?seconds=1");

            assertThat(whileWaiting.status()).as("with 32 deltas waiting: %s", whileWaiting).isEqualTo(503);
            assertThat(afterHangUp.status()).as("after their clients hung up: %s", afterHangUp).isEqualTo(200);
            assertThat(afterHangUp.header("Content-Disposition")).isEqualTo("attachment; filename=\"goroutine-delta\"");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenConnectionsThatNeverFinishTheirHeaders_whenAClientAsks_thenItIsAnsweredAndTheyAreClosed(Jdk jdk)
            throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "", "600000")) {
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < 24; i++) { // more than the server has threads
                Socket s = new Socket("127.0.0.1", server.port);
                s.getOutputStream().write("GET /debug/pprof/ HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.ISO_8859_1));
                slow.add(s);
            }
            for (int i = 0; i < 8; i++) slow.add(new Socket("127.0.0.1", server.port)); // silent: not a byte
            Thread.sleep(500);

            HttpProbe.Response r = server.http.send("GET", "/debug/pprof/cmdline", Map.of(), null, FREED_WITHIN);

            assertThat(r.status()).isEqualTo(200);
            Socket first = slow.get(0);
            first.setSoTimeout((int) FREED_WITHIN.toMillis());
            assertThat(first.getInputStream().read()).as("the server closed a connection whose headers never came")
                    .isEqualTo(-1);
            for (Socket s : slow) s.close();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenNonLoopbackBindWithoutToken_whenJvmStarts_thenOneDiagLineNoEndpointAndTheAppsExitCode(Jdk jdk)
            throws Exception {
        AgentJvm jvm = AgentJvm.of(ThreadsWorkload.class).jdk(jdk).agent("http=0.0.0.0:0").args("3000").start();

        int exit = jvm.waitForExit(Duration.ofSeconds(60));

        assertThat(exit).as("the application's own exit code").isEqualTo(7);
        assertThat(jvm.stdout()).startsWith("live=");
        assertThat(jvm.stderrWithoutJvmWarnings()).isEqualTo("diag: http is off: http=0.0.0.0:0 is not a loopback "
                + "address, and anyone who can reach it would get profiles and the command line; set "
                + "http.token.file=FILE (a bearer token every request must carry) or bind 127.0.0.1\n");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenNonLoopbackBindWithToken_whenRequested_thenTokenAndHostAreChecked(Jdk jdk) throws Exception {
        try (HttpJvm server = HttpJvm.serve(AgentJvm.of(ParkedThreadsWorkload.class).jdk(jdk)
                .agent("http=0.0.0.0:0,http.token=t0ken").args("600000"))) {
            Map<String, String> bearer = Map.of("Authorization", "Bearer t0ken");

            HttpProbe.Response none = server.http.get("/debug/pprof/cmdline");
            HttpProbe.Response right = server.http.send("GET", "/debug/pprof/cmdline", bearer, null);
            HttpProbe.Response lowerCase = server.http.send("GET", "/debug/pprof/cmdline",
                    Map.of("Authorization", "bearer t0ken"), null);
            HttpProbe.Response upperCase = server.http.send("GET", "/debug/pprof/cmdline",
                    Map.of("Authorization", "BEARER t0ken"), null);
            HttpProbe.Response wrong = server.http.send("GET", "/debug/pprof/cmdline",
                    Map.of("Authorization", "bearer t0ke"), null);
            Map<String, String> rebound = new LinkedHashMap<>(bearer);
            rebound.put("Host", "evil.example:" + server.port);
            HttpProbe.Response rebinding = server.http.send("GET", "/debug/pprof/cmdline", rebound, null);

            assertThat(server.jvm.stderr()).contains("diag: http listening on 0.0.0.0:" + server.port);
            assertThat(none.status()).isEqualTo(401);
            assertThat(right.status()).isEqualTo(200);
            assertThat(right.text()).contains("http.token=<redacted>").doesNotContain("t0ken");
            assertThat(lowerCase.status()).as("the scheme is case-insensitive (RFC 7235)").isEqualTo(200);
            assertThat(upperCase.status()).isEqualTo(200);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(rebinding.status()).isEqualTo(403);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenMalformedRequestBodies_whenPosted_thenGo400NotInternalError(Jdk jdk) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "", "600000")) {
            Map<String, String> chunked = Map.of("Transfer-Encoding", "chunked");
            Map<String, String> chunkedForm = Map.of("Transfer-Encoding", "chunked",
                    "Content-Type", "application/x-www-form-urlencoded");
            Map<String, String> cutShortForm = Map.of("Content-Length", "100",
                    "Content-Type", "application/x-www-form-urlencoded");
            List<HttpProbe.Response> answers = List.of(
                    postRaw(server, "/debug/pprof/symbol", chunked, "zz\r\n0x1\r\n0\r\n\r\n"),
                    postRaw(server, "/debug/pprof/heap", chunkedForm, "5\r\ndebug=1\r\n"),
                    postRaw(server, "/debug/pprof/symbol", Map.of("Content-Length", "100"), "0x1+0x2"),
                    postRaw(server, "/debug/pprof/profile", cutShortForm, "seconds=1"));

            for (HttpProbe.Response r : answers) {
                assertThat(r.status()).as("%s", r).isEqualTo(400);
                assertThat(r.text()).as("%s", r).startsWith("Bad Request: cannot read the request body: ");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenLoopbackBindWithToken_whenBearerSchemeInLowerCase_thenServed(Jdk jdk) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "http.token=abc", "600000")) {

            HttpProbe.Response lower = server.http.send("GET", "/debug/pprof/", Map.of("Authorization", "bearer abc"), null);

            assertThat(lower.status()).as("%s", lower).isEqualTo(200);
        }
    }

    /** Sends a request's head (no body) and returns the open socket without reading the answer. */
    private static Socket startRequest(HttpJvm server, String target) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port);
        s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** Asks {@code target} until the answer is not {@code status}, for at most {@link #FREED_WITHIN}. */
    private static HttpProbe.Response untilNot(int status, HttpJvm server, String target) throws Exception {
        long deadline = System.nanoTime() + FREED_WITHIN.toNanos();
        HttpProbe.Response r;
        do {
            r = server.http.get(target);
            if (r.status() != status) return r;
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return r;
    }

    /** POSTs {@code body} as given (no framing of its own) and ends the upload there. */
    private static HttpProbe.Response postRaw(HttpJvm server, String target, Map<String, String> headers, String body)
            throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port)) {
            s.setSoTimeout(30_000);
            StringBuilder req = new StringBuilder("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port
                    + "\r\nConnection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n").append(body);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            return HttpProbe.parse(s.getInputStream().readAllBytes());
        }
    }
}
