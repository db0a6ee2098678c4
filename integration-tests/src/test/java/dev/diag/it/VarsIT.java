package dev.diag.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.workloads.ParkedThreadsWorkload;
import dev.diag.it.workloads.VarsWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /debug/vars} against what the workload measured of itself: GC counts and pauses, allocation, diag's rings. */
class VarsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000L;

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenGcAllocationAndParkedWaits_whenVarsRead_thenMemstatsAndRingCountersFollowTheWorkloadsOwnNumbers(Jdk jdk,
            @TempDir Path dir) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, VarsWorkload.class, "block.rate=1", dir.toString())) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(60));
            JsonNode v0 = vars(server);

            Files.writeString(dir.resolve("gc"), "go");
            server.jvm.awaitStdout("gc_end_ms=", Duration.ofSeconds(60));
            Map<String, Double> gc = WorkloadTruth.of("truth " + line(server, "gc_start_ms="));
            JsonNode v1 = vars(server);

            long numGc0 = mem(v0, "NumGC");
            long numGc1 = mem(v1, "NumGC");
            assertThat(numGc0).as("NumGC before; the JVM counted %s", gc).isLessThanOrEqualTo(gc.get("gc_before_count").longValue());
            assertThat(numGc1).as("NumGC after; the JVM counted %s", gc).isGreaterThanOrEqualTo(gc.get("gc_after_count").longValue());
            assertThat(numGc1 - numGc0).as("collections by %d System.gc() calls", VarsWorkload.GCS)
                    .isGreaterThanOrEqualTo(VarsWorkload.GCS);
            assertThat(gc.get("gc_after_ms")).as("the JVM's own pause time grew (%s)", gc).isGreaterThan(gc.get("gc_before_ms"));
            assertThat(mem(v0, "PauseTotalNs")).isLessThanOrEqualTo(gc.get("gc_before_ms").longValue() * MS);
            assertThat(mem(v1, "PauseTotalNs")).isGreaterThanOrEqualTo(gc.get("gc_after_ms").longValue() * MS);
            // NumForcedGC and LastGC come from GC notifications, which the JVM delivers on its own thread.
            long forced0 = mem(v0, "NumForcedGC");
            JsonNode notified = awaitVars(server, v -> mem(v, "NumForcedGC") >= forced0 + VarsWorkload.GCS);
            assertThat(mem(notified, "LastGC")).as("LastGC (unix ns) within the workload's System.gc() calls %s", gc)
                    .isBetween(gc.get("gc_start_ms").longValue() * MS - MS, System.currentTimeMillis() * MS);

            Files.writeString(dir.resolve("alloc"), "go");
            server.jvm.awaitStdout("allocated=", Duration.ofSeconds(60));
            long allocated = Long.parseLong(line(server, "allocated=").substring("allocated=".length()));
            JsonNode v2 = vars(server);

            long totalAlloc = mem(v2, "TotalAlloc") - mem(v1, "TotalAlloc");
            // Other threads allocate meanwhile too (HTTP, JFR streaming): a few MiB, far less than the margin.
            assertThat(totalAlloc).as("TotalAlloc growth; the workload's thread allocated %d", allocated)
                    .isBetween(allocated, allocated + 64L * 1024 * 1024);

            Files.writeString(dir.resolve("lock"), "go");
            server.jvm.awaitStdout("parked_waits=", Duration.ofSeconds(60));
            long parked = Long.parseLong(line(server, "parked_waits=").substring("parked_waits=".length()));
            long seen2 = diag(v2, "ring.seen");
            // The drainer empties the ring in the background: wait until it has caught up with what was seen.
            JsonNode v3 = awaitVars(server, v -> diag(v, "ring.seen") >= seen2 + parked
                    && diag(v, "ring.recorded") + diag(v, "ring.dropped") == diag(v, "ring.seen"));

            assertThat(diag(v3, "ring.seen") - seen2).as("parks seen, of %d that certainly parked", parked)
                    .isGreaterThanOrEqualTo(parked);
            assertThat(diag(v3, "ring.dropped")).as("a ring of %d records dropped none", diag(v3, "ring.capacity")).isZero();
            assertThat(diag(v3, "ring.recorded")).isEqualTo(diag(v3, "ring.seen"));
            assertThat(diag(v3, "ring.max_occupancy")).isBetween(1L, diag(v3, "ring.capacity"));
            assertThat(diag(v3, "block.recorded") - diag(v2, "block.recorded")).as("at rate 1 every park is recorded")
                    .isGreaterThanOrEqualTo(parked);
            assertThat(diag(v3, "stacks.from_backtrace")).as("stacks read from HotSpot's backtraces on %s", jdk)
                    .isEqualTo(1);
        }
    }

    @Test
    void givenProfilesFetched_whenVarsRead_thenHttpProfilesCountsEach200PerNameAndNothingElse() throws Exception {
        try (HttpJvm server = HttpJvm.start(Jdk.current(), ParkedThreadsWorkload.class, "block.rate=1", "600000")) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(60));
            JsonNode before = vars(server);
            assertThat(diag(before, "http.profiles.heap")).as("published before any is served").isZero();
            assertThat(diag(before, "http.profiles.block")).isZero();
            assertThat(diag(before, "http.profiles.profile")).isZero();

            for (String ok : List.of("heap", "heap?debug=1", "heap?gc=1", "goroutine?debug=2", "goroutine?seconds=1",
                    "profile?seconds=1", "threadcreate")) {
                HttpProbe.Response r = server.http.get("/debug/pprof/" + ok);
                assertThat(r.status()).as("%s: %s", ok, r).isEqualTo(200);
            }
            for (String refused : List.of("heap?seconds=x", "nosuch", "goroutine?seconds=1&debug=1")) {
                HttpProbe.Response r = server.http.get("/debug/pprof/" + refused);
                assertThat(r.status()).as("%s: %s", refused, r).isBetween(400, 499);
            }
            JsonNode after = vars(server);

            assertThat(diag(after, "http.profiles.heap")).as("proto, text, gc=1").isEqualTo(3);
            assertThat(diag(after, "http.profiles.goroutine")).as("dump and delta").isEqualTo(2);
            assertThat(diag(after, "http.profiles.profile")).as("the CPU profile").isEqualTo(1);
            assertThat(diag(after, "http.profiles.threadcreate")).isEqualTo(1);
            assertThat(diag(after, "http.profiles.block")).as("never fetched").isZero();
            assertThat(after.get("diag").has("http.profiles.nosuch")).as("an unknown name gets no counter").isFalse();
        }
    }

    private static JsonNode vars(HttpJvm server) throws Exception {
        HttpProbe.Response r = server.http.get("/debug/vars");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode awaitVars(HttpJvm server, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> condition.test(last[0] = vars(server)));
        return last[0];
    }

    private static long mem(JsonNode vars, String field) {
        JsonNode n = vars.path("memstats").path(field);
        assertThat(n.isNumber()).as("memstats.%s in %s", field, vars.path("memstats")).isTrue();
        return n.asLong();
    }

    private static long diag(JsonNode vars, String counter) {
        JsonNode n = vars.path("diag").path(counter);
        assertThat(n.isNumber()).as("diag.%s in %s", counter, vars.path("diag")).isTrue();
        return n.asLong();
    }

    /** Returns the workload's stdout line starting with {@code prefix}. */
    private static String line(HttpJvm server, String prefix) {
        return server.jvm.stdout().lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " line in:\n" + server.jvm.stdout()));
    }
}
