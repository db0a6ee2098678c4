package dev.diag.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.workloads.AppVarsWorkload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's {@code dev.diag.api.Vars} on {@code /debug/vars} of a real JVM, parsed by a real JSON parser: the
 * values the workload set, beside diag's own keys, all keys in name order as Go's expvar writes them.
 */
class AppVarsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenEachKindOfVarPublished_whenVarsRead_thenTopLevelKeysWithExactValuesInNameOrder(Jdk jdk) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, AppVarsWorkload.class, "", "120000")) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(60));

            HttpProbe.Response r = server.http.get("/debug/vars");

            assertWorkloadsVars(r, server.jvm);
        }
    }

    /** The application ships the API on its class path and published before diag came: diag serves that copy's vars. */
    @ParameterizedTest
    @MethodSource("jdks")
    void givenTheApplicationsOwnApiCopyPublishedBeforeAttach_whenAttachedWithHttp_thenItsVarsAreServed(Jdk jdk)
            throws Exception {
        try (AgentJvm app = AgentJvm.of(AppVarsWorkload.class).jdk(jdk).classPath(System.getProperty("diag.api.jar"))
                .args("120000").start()) {
            app.awaitStdout("ready", Duration.ofSeconds(60));

            DiagCli.Result attached = DiagCli.run(jdk, "attach", Long.toString(app.pid()), "http=0");
            HttpProbe.Response r = new HttpProbe("127.0.0.1", listeningPort(attached.stdout())).get("/debug/vars");

            assertThat(attached.exitCode()).as("%s", attached).isZero();
            assertWorkloadsVars(r, app);
        }
    }

    private static void assertWorkloadsVars(HttpProbe.Response r, AgentJvm jvm) throws Exception {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode v = JSON.readTree(r.body());
        assertThat(v.get("requests").isIntegralNumber()).isTrue();
        assertThat(v.get("requests").asLong()).isEqualTo(AppVarsWorkload.REQUESTS);
        assertThat(v.get("responses").get("200").asLong()).isEqualTo(40);
        assertThat(v.get("responses").get("404").asLong()).isEqualTo(2);
        assertThat(v.get("responses").get("latency_ms").asDouble()).isEqualTo(3.75);
        assertThat(fieldNames(v.get("responses"))).containsExactly("200", "404", "latency_ms");
        assertThat(v.get("load").asDouble()).isEqualTo(0.75);
        assertThat(v.get("build").asText()).isEqualTo(AppVarsWorkload.BUILD);
        assertThat(v.get("queue").toString()).isEqualTo("{\"items\":[\"a\",\"b\"],\"open\":true,\"owner\":null,\"size\":3}");
        assertThat(v.get("broken").asText()).isEqualTo("Func failed: java.lang.IllegalStateException: no queue");
        assertThat(v.get("memstats").has("HeapAlloc")).as("diag's memstats kept").isTrue();
        assertThat(jvm.stdout()).contains("memstats refused: Reuse of exported var name: memstats");
        assertThat(fieldNames(v)).as("keys in name order, as Go's expvar")
                .containsExactly("broken", "build", "cmdline", "diag", "jvm", "load", "memstats", "queue",
                        "requests", "responses");
        assertThat(v.get("diag").get("vars.dropped").asLong()).isZero();
        assertThat(v.get("diag").get("vars.map_keys_dropped").asLong()).isZero();
        assertThat(r.text()).as("Go's layout: one top-level key per line")
                .startsWith("{\n\"broken\": \"Func failed: ").contains(",\n\"requests\": 100000,\n")
                .contains("\"responses\": {\"200\": 40, \"404\": 2, \"latency_ms\": 3.75}");
    }

    private static int listeningPort(String attachOutput) {
        Matcher m = Pattern.compile("http listening on 127\\.0\\.0\\.1:(\\d+)").matcher(attachOutput);
        assertThat(m.find()).as("a listening line in\n" + attachOutput).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
