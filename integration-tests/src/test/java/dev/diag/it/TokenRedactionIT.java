package dev.diag.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.workloads.AttachTarget;
import dev.diag.it.workloads.ParkedThreadsWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bearer token never shows: not in {@code status}, the {@code dev.diag.*} system properties ({@code jcmd}), the
 * log, the attach answers, {@code /cmdline} or {@code /debug/vars}, however the token was written on the command line
 * (a list that goes on after a comma, spaces after commas). Each of its parts is distinctive, so a leak of any part
 * shows.
 */
class TokenRedactionIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PART_1 = "tok1-a7f3";
    private static final String PART_2 = "tok2-9c1e";
    /** The agent reads {@code http.token=A, B} as the token {@code A,B}: B extends the list, spaces trimmed. */
    private static final String TOKEN = PART_1 + "," + PART_2;
    private static final Pattern LISTENING = Pattern.compile("http listening on 127\\.0\\.0\\.1:(\\d+)");

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenTokenOnTheCommandLineAsAListWithSpaces_whenShownAnywhere_thenRedactedAndRequestsStillNeedIt(Jdk jdk)
            throws Exception {
        String options = "http=127.0.0.1:0, http.token=" + PART_1 + ", " + PART_2 + ",log=debug";
        try (HttpJvm server = HttpJvm.serve(AgentJvm.of(ParkedThreadsWorkload.class).jdk(jdk).agent(options)
                .args("600000"))) {
            server.jvm.awaitStdout("ready", WAIT); // diag's start-up has finished: its "started with" line is out
            String pid = Long.toString(server.jvm.pid());
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + TOKEN);

            DiagCli.Result status = DiagCli.run(jdk, "status", pid);
            String properties = jcmd(jdk, pid, "VM.system_properties");
            HttpProbe.Response cmdline = server.http.send("GET", "/debug/pprof/cmdline", bearer, null);
            HttpProbe.Response vars = server.http.send("GET", "/debug/vars", bearer, null);
            HttpProbe.Response firstPartOnly = server.http.send("GET", "/debug/pprof/cmdline",
                    Map.of("Authorization", "Bearer " + PART_1), null);

            assertThat(status.stdout()).contains("options:  http=127.0.0.1:0,http.token=<redacted>,log=debug\n");
            assertThat(properties).contains("dev.diag.options=http\\=127.0.0.1\\:0,http.token\\=<redacted>,log\\=debug");
            assertThat(cmdline.status()).as("the whole list is the token").isEqualTo(200);
            assertThat(firstPartOnly.status()).isEqualTo(401);
            assertThat(cmdline.text()).contains("=http=127.0.0.1:0, http.token=<redacted>,log=debug\0");
            assertThat(new ObjectMapper().readTree(vars.body()).path("cmdline").toString())
                    .as("/debug/vars cmdline, JSON-decoded").contains("http.token=<redacted>,log=debug\"");
            assertThat(server.jvm.stderr())
                    .contains("diag: warning: http.token= on the command line shows in ps and /proc/PID/cmdline to "
                            + "every user of this machine; use http.token.file=FILE (mode 0600) instead\n")
                    .contains("diag: started with http=127.0.0.1:0,http.token=<redacted>,log=debug\n");
            for (String shown : List.of(status.toString(), properties, cmdline.text(), vars.text(), server.jvm.stderr(),
                    server.jvm.stdout())) {
                assertThat(shown).doesNotContain(PART_1).doesNotContain(PART_2);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenTokenAttached_whenAnswersStatusAndPropertiesRead_thenRedacted(Jdk jdk, @TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        try (AgentJvm target = AgentJvm.of(AttachTarget.class).jdk(jdk).args(go.toString()).start()) {
            target.awaitStdout("ready", WAIT);
            String pid = Long.toString(target.pid());

            DiagCli.Result attached = DiagCli.run(jdk, "attach", pid, "http=127.0.0.1:0", "http.token=" + PART_1 + ", " + PART_2);
            DiagCli.Result same = DiagCli.run(jdk, "attach", pid, "http.token=" + TOKEN);
            DiagCli.Result moved = DiagCli.run(jdk, "attach", pid, "http.token=" + PART_2);
            DiagCli.Result status = DiagCli.run(jdk, "status", pid);
            String properties = jcmd(jdk, pid, "VM.system_properties");
            Matcher port = LISTENING.matcher(attached.stdout());
            assertThat(port.find()).as(attached.toString()).isTrue();
            HttpProbe.Response vars = new HttpProbe("127.0.0.1", Integer.parseInt(port.group(1)))
                    .send("GET", "/debug/vars", Map.of("Authorization", "Bearer " + TOKEN), null);
            Files.createFile(go);
            target.waitForExit(WAIT);

            assertThat(attached.exitCode()).as(attached.toString()).isZero();
            assertThat(attached.stdout()).containsPattern("started with http=127\\.0\\.0\\.1:0,http\\.token=<redacted> in \\d+ ms");
            assertThat(attached.stderr()).startsWith("diag: warning: http.token= on the command line shows in ps");
            assertThat(same.stdout()).isEqualTo("nothing changed; diag runs with http=127.0.0.1:0,http.token=<redacted>\n");
            assertThat(moved.exitCode()).as(moved.toString()).isEqualTo(2);
            assertThat(moved.stdout()).endsWith("configuration unchanged: http=127.0.0.1:0,http.token=<redacted>\n");
            assertThat(status.stdout()).contains("options:  http=127.0.0.1:0,http.token=<redacted>\n");
            assertThat(vars.status()).isEqualTo(200);
            for (String shown : List.of(attached.toString(), same.toString(), moved.toString(), status.toString(),
                    properties, vars.text(), target.stderr(), target.stdout())) {
                assertThat(shown).doesNotContain(PART_1).doesNotContain(PART_2);
            }
        }
    }

    /** Runs the JDK's own {@code jcmd PID COMMAND}, as an operator would, and returns what it printed. */
    private static String jcmd(Jdk jdk, String pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jdk.home().resolve("bin/jcmd").toString(), pid, command)
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("dev.diag.version=");
        return text;
    }
}
