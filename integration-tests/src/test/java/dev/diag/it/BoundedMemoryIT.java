package dev.diag.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.diag.it.workloads.EndlessStacksWorkload;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every table diag keeps is bounded: {@link EndlessStacksWorkload} makes new stacks, label values, lock holders and
 * threads for as long as it runs, with every profile on at rate 1 and {@code http=} serving, and reports its own live
 * heap after a full GC and its RSS. The live heap must stop growing once diag's tables are full, and diag must say
 * what it dropped, in {@code /debug/vars} and as named frames in the profiles.
 *
 * <p>The bound on growth: the median live heap of the run's last third may exceed the middle third's by at most
 * {@value #SLACK_PERCENT}% or {@value #SLACK_MIB} MiB, whichever is more. diag's tables fill within the first third
 * except the allocs and cpu tables (16,384 entries each, ~200-300 bytes an entry: at most ~8 MiB, fed by the native
 * sampler's files, read at least once a minute, so they may still be filling in the middle third); beyond that the
 * live heap moves with what waits to be read (label changes, samples, the JFR stream of the {@code synchronized}
 * events), measured at ±5 MiB around 80-90 MiB between reports in the soak. Without the bounds the same run grows by
 * 4-5 MB a second here (BENCHMARKS.md, "Bounded memory"), ten times the slack over a third of the run; at the 1 MB/s of the original report, still twice the slack.
 *
 * <p>The soak variant runs 10 minutes per JDK and is skipped unless {@code -Dsoak=true}:
 * {@code mvn -o -B verify -pl integration-tests -am -Dtest=BoundedMemoryIT -Dsoak=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BoundedMemoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MEM = Pattern.compile("mem t=(\\d+) live=(\\d+) rss=(-?\\d+)");
    static final int SLACK_PERCENT = 15;
    static final int SLACK_MIB = 12;

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenEndlessNewStacksLabelsAndThreads_whenEveryProfileRecordsAtRate1_thenLiveHeapPlateausAndDropsAreCounted(
            Jdk jdk, @TempDir Path dir) throws Exception {
        Run run = run(jdk, dir, 66, 6);

        assertPlateau(run.live, "live heap after a full GC", run);
        assertDropsCounted(run);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    @EnabledIfSystemProperty(named = "soak", matches = "true")
    void givenTenMinutesOfEndlessNewStacksLabelsAndThreads_whenProfiled_thenLiveHeapAndRssPlateau(Jdk jdk,
            @TempDir Path dir) throws Exception {
        Run run = run(jdk, dir, 600, 20);

        assertPlateau(run.live, "live heap after a full GC", run);
        // RSS follows the heap the JVM commits, which G1 grows and shrinks in steps: a looser bound, over a longer run.
        assertThat(median(third(run.rss, 2))).as("median RSS of the last third; %s", run)
                .isLessThanOrEqualTo(median(third(run.rss, 1)) * 5 / 4 + (64L << 20));
        assertDropsCounted(run);
        // Over ten minutes the slower tables fill too: (stack, holder) sites, with a new holder thread every few
        // milliseconds; allocations and the cpu profile written at exit, with a new stack or label value in nearly
        // every JFR sample.
        JsonNode diag = run.vars.path("diag");
        assertThat(diag.path("mutex.sites_dropped").asLong()).as("%s", diag).isPositive();
        assertThat(diag.path("allocs.samples_dropped").asLong()).as("%s", diag).isPositive();
        assertThat(diag.path("cpu.samples_dropped").asLong()).as("%s", diag).isPositive();
        assertThat(run.mutex.samples).anySatisfy(s -> assertThat(s.stack()).contains("diag.contentionTableFull"));
    }

    /** What one run of the generator reported, and what diag said near its end. */
    private record Run(long[] live, long[] rss, JsonNode vars, RawProfile mutex, RawProfile allocs, String stdout) {
        @Override
        public String toString() {
            return "live MiB " + Arrays.toString(Arrays.stream(live).map(v -> v >> 20).toArray()) + ", rss MiB "
                    + Arrays.toString(Arrays.stream(rss).map(v -> v >> 20).toArray());
        }
    }

    private static Run run(Jdk jdk, Path dir, int seconds, int every) throws Exception {
        AgentJvm configured = AgentJvm.of(EndlessStacksWorkload.class).jdk(jdk).jvmArg("-Xmx1g")
                .agent("http=127.0.0.1:0,out=" + dir + ",profiles=cpu,allocs,block,mutex,goroutine,threadcreate")
                .args(String.valueOf(seconds), String.valueOf(every));
        try (HttpJvm server = HttpJvm.serve(configured)) {
            Duration generous = Duration.ofSeconds(seconds * 3L + 120);
            // Near the end, while it still runs: what diag counted, and the profile where drops must show.
            server.jvm.awaitStdout("mem t=" + (seconds - every) + " ", generous);
            JsonNode vars = JSON.readTree(server.http.get("/debug/vars").body());
            RawProfile mutex = GoTool.raw(server.url("mutex"));
            RawProfile allocs = GoTool.raw(server.url("allocs"));
            server.jvm.awaitStdout("done", generous);
            assertThat(server.jvm.waitForExit(Duration.ofSeconds(120))).as("exit code; stderr:\n%s",
                    server.jvm.stderr()).isZero();
            List<long[]> points = new ArrayList<>();
            Matcher m = MEM.matcher(server.jvm.stdout());
            while (m.find()) points.add(new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
            assertThat(points).as("reports in:\n%s", server.jvm.stdout()).hasSize(seconds / every);
            Run run = new Run(points.stream().mapToLong(p -> p[0]).toArray(),
                    points.stream().mapToLong(p -> p[1]).toArray(), vars, mutex, allocs, server.jvm.stdout());
            System.out.println("BoundedMemoryIT on JDK " + jdk.feature() + ", every " + every + " s: " + run);
            return run;
        }
    }

    private static void assertPlateau(long[] values, String what, Run run) {
        long middle = median(third(values, 1));
        long last = median(third(values, 2));
        long slack = Math.max(middle * SLACK_PERCENT / 100, (long) SLACK_MIB << 20);
        assertThat(last).as("median %s of the last third, against the middle third's %d MiB; %s", what,
                middle >> 20, run).isLessThanOrEqualTo(middle + slack);
    }

    /**
     * The stack table is full within seconds (the hooks walk thousands of new stacks a second, whatever the load), so
     * its drops must show; the slower tables fill at JFR's sampling rates, which a loaded machine lowers, so for them
     * the short run checks that the counters are published and that what they count shows in the profile.
     */
    private static void assertDropsCounted(Run run) {
        JsonNode diag = run.vars.path("diag");
        // Full: two threads that intern the same new stack at once each claim an id, and the loser's stays unused
        // (StackTable.intern), so a full table holds a few fewer than its 16,384 ids (16,383 seen once in a soak).
        assertThat(diag.path("stacks.interned").asLong()).as("%s", diag).isBetween(16_384L - 64, 16_384L);
        assertThat(diag.path("stacks.dropped").asLong()).as("new stacks past the stack table's bound: %s", diag)
                .isPositive();
        for (String counter : List.of("block.sites_dropped", "mutex.sites_dropped", "cpu.samples_dropped",
                "allocs.samples_dropped", "labels.threads_dropped", "threadcreate.stacks_dropped",
                "pprof.addresses_unkept", "frames.unshared")) {
            assertThat(diag.path(counter).isNumber()).as("%s in %s", counter, diag).isTrue();
        }
        // The lost detail stays in the profiles, under named frames, as Go's lostProfileEvent.
        assertThat(run.mutex.samples).anySatisfy(s -> assertThat(s.stack()).contains("diag.stackTableFull"));
        if (diag.path("allocs.samples_dropped").asLong() > 0) {
            assertThat(run.allocs.samples).anySatisfy(s -> assertThat(s.stack()).contains("diag.profileTableFull"));
        }
    }

    /** Returns the {@code i}-th third (0, 1, 2) of {@code values}. */
    private static long[] third(long[] values, int i) {
        int n = values.length;
        return Arrays.copyOfRange(values, n * i / 3, n * (i + 1) / 3);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
