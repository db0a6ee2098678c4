package dev.diag.it;

import dev.diag.it.workloads.ParkedThreadsWorkload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Go's own handler test ({@code net/http/pprof} TestHandlers, Go 1.19) run against diag in a real JVM: every row of
 * Go's table, then the error rows of Go's contract, on each JDK. A row whose profile or engine is not part of this
 * build yet (the index does not list it, or the endpoint answers 501) is skipped with that reason.
 */
class PprofHandlersIT {
    private static final Map<Jdk, HttpJvm> SERVERS = new ConcurrentHashMap<>();

    /** One row: path under the server, expected status, content type, disposition, body (exact for errors). */
    record Row(String path, int status, String contentType, String disposition, String body) {
        @Override
        public String toString() {
            return path;
        }
    }

    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String OCTET = "application/octet-stream";
    private static final String HTML = "text/html; charset=utf-8";

    static final List<Row> GO_TABLE = List.of(
            new Row("/debug/pprof/%3Cscript%3Escripty%3Cscript%3E", 404, TEXT, null, "Unknown profile\n"),
            new Row("/debug/pprof/heap", 200, OCTET, "attachment; filename=\"heap\"", null),
            new Row("/debug/pprof/heap?debug=1", 200, TEXT, null, null),
            new Row("/debug/pprof/cmdline", 200, TEXT, null, null),
            new Row("/debug/pprof/profile?seconds=1", 200, OCTET, "attachment; filename=\"profile\"", null),
            new Row("/debug/pprof/symbol", 200, TEXT, null, "num_symbols: 1\n"),
            new Row("/debug/pprof/trace", 200, OCTET, "attachment; filename=\"trace\"", null),
            new Row("/debug/pprof/mutex", 200, OCTET, "attachment; filename=\"mutex\"", null),
            new Row("/debug/pprof/block?seconds=1", 200, OCTET, "attachment; filename=\"block-delta\"", null),
            new Row("/debug/pprof/goroutine?seconds=1", 200, OCTET, "attachment; filename=\"goroutine-delta\"", null),
            new Row("/debug/pprof/", 200, HTML, null, "Types of profiles available:"));

    /** Go's error rules beyond its test table (GO_PPROF_CONTRACT.md, each checked against a Go 1.19 server). */
    static final List<Row> GO_ERRORS = List.of(
            new Row("/debug/pprof/goroutine?seconds=abc", 400, TEXT, null,
                    "invalid value for \"seconds\" - must be a positive integer\n"),
            new Row("/debug/pprof/goroutine?seconds=0", 400, TEXT, null,
                    "invalid value for \"seconds\" - must be a positive integer\n"),
            new Row("/debug/pprof/goroutine?seconds=+1", 400, TEXT, null,
                    "invalid value for \"seconds\" - must be a positive integer\n"),
            new Row("/debug/pprof/threadcreate?seconds=99999999999999999999", 400, TEXT, null,
                    "invalid value for \"seconds\" - must be a positive integer\n"),
            new Row("/debug/pprof/goroutine?seconds=1&debug=1", 400, TEXT, null,
                    "seconds and debug params are incompatible\n"),
            new Row("/debug/pprof/goroutine?seconds=abc&debug=1", 400, TEXT, null,
                    "invalid value for \"seconds\" - must be a positive integer\n"),
            new Row("/debug/pprof/nonexistent?seconds=1", 404, TEXT, null, "Unknown profile\n"),
            new Row("/debug/pprof/profile/", 404, TEXT, null, "Unknown profile\n"),
            new Row("/debug/pprof/heap/", 404, TEXT, null, "Unknown profile\n"),
            new Row("/debug/pprof/goroutine?seconds=9223372036854775807", 200, OCTET,
                    "attachment; filename=\"goroutine-delta\"", null),
            new Row("/debug/pprof/goroutine?debug=-1", 200, TEXT, null, null),
            new Row("/debug/pprof/goroutine?debug=2", 200, TEXT, null, "goroutine "),
            new Row("/debug/pprof/threadcreate?debug=1", 200, TEXT, null, "threadcreate profile: total "),
            new Row("/debug/pprof/symbol?0x0+abc", 200, TEXT, null, "num_symbols: 1\n"),
            new Row("/debug/pprof/cmdline?seconds=1", 200, TEXT, null, null));

    static Stream<Arguments> rows() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            for (Row r : GO_TABLE) out.add(Arguments.of(jdk, r));
            for (Row r : GO_ERRORS) out.add(Arguments.of(jdk, r));
        }
        return out.stream();
    }

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(HttpJvm::close);
    }

    private static HttpJvm server(Jdk jdk) {
        return SERVERS.computeIfAbsent(jdk, j -> {
            try {
                return HttpJvm.start(j, ParkedThreadsWorkload.class, "", "600000");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rows")
    void givenGoHandlerRow_whenRequested_thenStatusHeadersAndBodyAsGo(Jdk jdk, Row row) throws Exception {
        HttpJvm server = server(jdk);
        skipWhenNotInThisBuild(server, row);

        HttpProbe.Response r = server.http.get(row.path());

        assertThat(r.status()).as("status code: got %d; want %d (%s)", r.status(), row.status(), r).isEqualTo(row.status());
        assertThat(r.header("X-Content-Type-Options")).as("X-Content-Type-Options: got %s; want nosniff",
                r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Content-Type")).as("Content-Type: got %s; want %s", r.header("Content-Type"),
                row.contentType()).isEqualTo(row.contentType());
        assertThat(r.header("Content-Disposition")).as("Content-Disposition: got %s; want %s",
                r.header("Content-Disposition"), row.disposition()).isEqualTo(row.disposition());
        if (row.status() != 200) {
            assertThat(r.header("X-Go-Pprof")).as("X-Go-Pprof: got %s; want 1", r.header("X-Go-Pprof")).isEqualTo("1");
            assertThat(r.text()).as("response: got %s; want %s", r.text(), row.body()).isEqualTo(row.body());
        } else {
            assertThat(r.header("X-Go-Pprof")).as("X-Go-Pprof only on errors").isNull();
            if (row.body() != null) assertThat(r.text()).as("response: got %s; want it to contain %s", r, row.body())
                    .contains(row.body());
            boolean trace = row.path().startsWith("/debug/pprof/trace"); // Go's trace format is not gzipped
            if ((OCTET.equals(row.contentType()) && !trace) || row.path().endsWith("debug=-1")) {
                assertThat(r.isGzip()).as("a gzipped profile.proto: got %s", r).isTrue();
            }
        }
    }

    /** Skips rows whose profile is not registered in this build, or whose engine answers 501 (not built yet). */
    private static void skipWhenNotInThisBuild(HttpJvm server, Row row) throws Exception {
        String name = row.path().substring("/debug/pprof/".length()).split("\\?")[0];
        if (List.of("heap", "allocs", "block", "mutex").contains(name)) {
            String index = server.http.get("/debug/pprof/").text();
            Assumptions.assumeTrue(index.contains("<a href='" + name + "?debug=1'>"),
                    name + " profile is not registered in this build");
        }
        if (name.equals("profile") || name.equals("trace")) {
            // A seconds value that wraps to a negative window: Go (and diag) answer at once.
            String instant = name.equals("profile") ? "9223372036854775807" : "NaN";
            HttpProbe.Response probe = server.http.get("/debug/pprof/" + name + "?seconds=" + instant);
            Assumptions.assumeFalse(probe.status() == 501, name + " is not available in this build: " + probe.text());
        }
    }
}
