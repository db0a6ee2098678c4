package dev.diag.it;

import dev.diag.it.workloads.HeapDumpWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.JavaClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heap dumps read back by a real HPROF reader: {@code /debug/pprof/heapdump} streams one and leaves no file behind;
 * {@code heapdump.on=oom} leaves the JVM's own dump where the one {@code diag:} line says.
 */
class HeapDumpIT {
    private static final String MARKER = HeapDumpWorkload.Marker.class.getName();

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenObjectsKeptByTheApp_whenHeapDumpRequested_thenTheReaderCountsThemAndNoFileIsLeft(Jdk jdk,
            @TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path dump = dir.resolve("served.hprof");
        AgentJvm configured = AgentJvm.of(HeapDumpWorkload.class).jdk(jdk).jvmArg("-Djava.io.tmpdir=" + tmp)
                .agent("http=127.0.0.1:0").args("serve", "60000");
        try (HttpJvm server = HttpJvm.serve(configured)) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(60));

            HttpProbe.Response r = server.http.send("GET", "/debug/pprof/heapdump", java.util.Map.of(), null,
                    Duration.ofSeconds(60));

            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"heapdump.hprof\"");
            Files.write(dump, r.body());
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left.filter(p -> p.getFileName().toString().startsWith("diag-heapdump-")))
                        .as("the dump's temporary directory is gone once sent").isEmpty();
            }
        }
        Heap heap = HeapFactory.createHeap(dump.toFile());
        JavaClass marker = heap.getJavaClassByName(MARKER);
        assertThat(marker).as("class %s in the dump", MARKER).isNotNull();
        assertThat(marker.getInstancesCount()).isEqualTo(HeapDumpWorkload.MARKERS);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenHeapdumpOnOom_whenTheHeapRunsOut_thenTheDumpIsWhereTheDiagLineSays(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path dumps = dir.resolve("dumps");
        AgentJvm jvm = AgentJvm.of(HeapDumpWorkload.class).jdk(jdk).jvmArg("-Xmx64m")
                .agent("heapdump.on=oom,heapdump.dir=" + dumps).args("oom").start();

        assertThat(jvm.waitForExit(Duration.ofSeconds(120))).as("the app died of its OutOfMemoryError").isNotZero();

        List<String> lines = jvm.stderrWithoutJvmWarnings().lines().filter(l -> l.startsWith("diag:")).toList();
        assertThat(lines).as("stderr: %s", jvm.stderr()).hasSize(1);
        Path file = Path.of(lines.get(0).replaceFirst("^diag: on OutOfMemoryError the heap is dumped to ", ""));
        assertThat(file.getParent()).isEqualTo(dumps);
        assertThat(file).exists();
        Heap heap = HeapFactory.createHeap(file.toFile());
        assertThat(heap.getJavaClassByName(MARKER).getInstancesCount()).isEqualTo(HeapDumpWorkload.MARKERS);
    }
}
