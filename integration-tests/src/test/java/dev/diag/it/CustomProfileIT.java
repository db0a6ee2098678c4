package dev.diag.it;

import dev.diag.it.workloads.OpenFilesWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own profile ({@code dev.diag.api.CustomProfile}, Go's {@code pprof.NewProfile}) served like Go's:
 * on the index, as protobuf that {@code go tool pprof} reads, as Go's legacy text, and refusing {@code seconds}.
 */
class CustomProfileIT {
    private static final String NAME = "example.com/openfiles";

    @Test
    void givenAppProfileOfOpenHandles_whenFetched_thenEachOpeningStackCountsItsHandlesStillOpen(@TempDir Path dir)
            throws Exception {
        try (HttpJvm server = HttpJvm.start(Jdk.current(), OpenFilesWorkload.class, "", "60000")) {
            server.jvm.awaitStdout("truth", Duration.ofSeconds(60));
            assertThat(server.jvm.stdout()).contains("truth read=3 write=3 duplicate=IllegalArgumentException");

            // Fetched, then read from a file: pprof saves what it fetches under the profile's name, and a name with
            // a slash (Go's convention, an import path) is a directory it does not create, for a Go server too.
            HttpProbe.Response proto = server.http.get("/debug/pprof/" + NAME);
            assertThat(proto.status()).isEqualTo(200);
            assertThat(proto.header("Content-Type")).isEqualTo("application/octet-stream");
            Path file = dir.resolve("openfiles.pb.gz");
            Files.write(file, proto.body());
            RawProfile p = GoTool.raw(file);

            assertThat(p.sampleTypes).containsExactly(NAME + "/count");
            assertThat(p.header.get("PeriodType")).isEqualTo(NAME + " count");
            assertThat(p.sum(NAME + "/count", s -> s.stack().get(0).endsWith("OpenFilesWorkload.openForRead")))
                    .isEqualTo(3);
            assertThat(p.sum(NAME + "/count", s -> s.stack().get(0).endsWith("OpenFilesWorkload.openForWrite")))
                    .isEqualTo(3);
            assertThat(p.total(NAME + "/count")).isEqualTo(6);
            assertThat(p.samples).allSatisfy(s -> assertThat(s.stack())
                    .noneMatch(f -> f.startsWith("dev.diag.api.") || f.startsWith("dev.diag.stack."))
                    .contains("dev.diag.it.workloads.OpenFilesWorkload.main"));

            String text = server.http.get("/debug/pprof/" + NAME + "?debug=1").text();
            assertThat(text).startsWith(NAME + " profile: total 6\n").contains("OpenFilesWorkload.openForRead");

            String index = server.http.get("/debug/pprof/").text();
            assertThat(index).contains("<tr><td>6</td><td><a href='" + NAME + "?debug=1'>" + NAME + "</a></td></tr>");

            HttpProbe.Response delta = server.http.get("/debug/pprof/" + NAME + "?seconds=1");
            assertThat(delta.status()).isEqualTo(400);
            assertThat(delta.text()).isEqualTo("\"seconds\" parameter is not supported for this profile type\n");
        }
    }
}
