package dev.diag.it;

import dev.diag.it.workloads.PlatformStartsWorkload;
import dev.diag.it.workloads.ThreadsWorkload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadProfilesIT {
    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenLiveThreads_whenGoroutineProfileFetched_thenWorkloadsThreadsPlusDiagsOnly_andThreadcreateShowsCreator(Jdk jdk, @TempDir Path dir)
            throws Exception {
        // The goroutine profile is taken over HTTP while the workload's threads are alive and compared with the
        // workload's own list of them; whatever else the JVM has must be diag's. Other JVMs on a shared machine
        // (`diag list`, jcmd) may start an Attach Listener in this one meanwhile: then the lists differ and it retries.
        for (int attempt = 1; ; attempt++) {
            Path trigger = dir.resolve("release-" + attempt);
            Path out = dir.resolve("out-" + attempt);
            try (HttpJvm server = HttpJvm.start(jdk, ThreadsWorkload.class,
                    "out=" + out + ",profiles=goroutine,threadcreate", "until:" + trigger)) {
                server.jvm.awaitStdout("live=", Duration.ofSeconds(60));
                // The pool starts a new worker for each of its first 16 requests: let it reach its size first, so
                // that the goroutines diag owns stay the same during the three requests below.
                for (int i = 0; i < 20; i++) assertThat(server.http.get("/debug/pprof/").status()).isEqualTo(200);

                GoroutineDump before = GoroutineDump.parse(server.http.get("/debug/pprof/goroutine?debug=2").text());
                HttpProbe.Response proto = server.http.get("/debug/pprof/goroutine");
                GoroutineDump after = GoroutineDump.parse(server.http.get("/debug/pprof/goroutine?debug=2").text());
                Files.writeString(trigger, "go");
                server.jvm.awaitStdout("diag_after=", Duration.ofSeconds(60));
                int exit = server.jvm.waitForExit(Duration.ofSeconds(60));

                String stdout = server.jvm.stdout();
                Set<Long> own = ids(field(stdout, "ids"));
                boolean stable = own.equals(ids(field(stdout, "ids_after")))
                        && before.goroutines.keySet().equals(after.goroutines.keySet());
                if (!stable && attempt < 3) continue;
                assertThat(stable).as("threads stayed the same while the test looked:\n%s\nbefore:\n%s\nafter:\n%s",
                        stdout, before.text, after.text).isTrue();

                assertThat(exit).as("the application's own exit code").isEqualTo(7);
                assertThat(server.jvm.stderrWithoutJvmWarnings()).matches("diag: http listening on 127\\.0\\.0\\.1:\\d+\n");
                assertThat(Long.parseLong(field(stdout, "live"))).isEqualTo(own.size());
                RawProfile g = GoTool.raw(Files.write(dir.resolve("goroutine-" + attempt + ".pb.gz"), proto.body()));
                assertThat(g.sampleTypes).containsExactly("goroutine/count");
                assertThat(g.sum("goroutine/count", s -> s.hasFrame("ThreadsWorkload.awaitRelease")))
                        .as("the workload's parked threads").isEqualTo(ThreadsWorkload.SLEEPERS);
                assertThat(before.goroutines.keySet()).as("every live thread of the workload is a goroutine")
                        .containsAll(own);
                Map<Long, String> diags = diagThreads(stdout);
                List<GoroutineDump.Goroutine> extra = before.goroutines.values().stream()
                        .filter(x -> !own.contains(x.id())).collect(Collectors.toList());
                for (GoroutineDump.Goroutine x : extra) {
                    String what = "goroutine " + x.id() + " [" + x.bracket() + "]";
                    assertThat(diags).as("%s is in diag's thread group (%s)", what, diags).containsKey(x.id());
                    assertThat(diags.get(x.id())).as(what).matches("daemon:diag-.+");
                    if (!x.running()) assertThat(diags.get(x.id())).as(what).isEqualTo("daemon:" + x.name());
                }
                assertThat(before.first().running()).isTrue();
                assertThat(before.first().hasFrame("dev.diag.http.")).as("the goroutine answering is diag's HTTP worker")
                        .isTrue();
                assertThat(g.total("goroutine/count")).as("goroutines = the workload's %d live threads + diag's %s",
                        own.size(), extra.stream().map(GoroutineDump.Goroutine::name).collect(Collectors.toList()))
                        .isEqualTo(own.size() + extra.size());

                RawProfile tc = GoTool.raw(out.resolve("threadcreate.pb.gz"));
                assertThat(tc.sampleTypes).containsExactly("threadcreate/count");
                assertThat(tc.header.get("PeriodType")).isEqualTo("threadcreate count");
                assertThat(tc.sum("threadcreate/count", s -> s.hasFrame("ThreadsWorkload.spawnSleepers")))
                        .isEqualTo(ThreadsWorkload.SLEEPERS);
                assertThat(tc.sum("threadcreate/count", s -> s.hasFrame("ThreadsWorkload.startPoolWorker")))
                        .as("the one ForkJoinPool worker (started through Thread.start(ThreadContainer) on JDK 21+)")
                        .isEqualTo(1);
                assertThat(tc.samples).allSatisfy(s -> assertThat(s.stack().get(0)).isEqualTo("java.lang.Thread.start"));
                RawProfile atExit = GoTool.raw(out.resolve("goroutine.pb.gz"));
                assertThat(atExit.sampleTypes).containsExactly("goroutine/count");
                assertThat(atExit.samples).allSatisfy(s -> assertThat(s.stack()).noneMatch(f -> f.startsWith("dev.diag.hook")));
                return;
            }
        }
    }

    /** Returns the value of {@code key=VALUE} in the workload's output (VALUE up to the next space or line end). */
    private static String field(String stdout, String key) {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(\\S*)").matcher(stdout);
        assertThat(m.find()).as("%s= in:\n%s", key, stdout).isTrue();
        return m.group(1);
    }

    private static Set<Long> ids(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).filter(s -> !s.isEmpty()).map(Long::parseLong)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Parses the workload's {@code diag_after=ID:daemon|user:NAME|...} line into id to {@code daemon|user:NAME}. */
    private static Map<Long, String> diagThreads(String stdout) {
        String line = stdout.lines().filter(l -> l.startsWith("diag_after=")).findFirst()
                .orElseThrow(() -> new AssertionError("no diag_after= line in:\n" + stdout));
        Map<Long, String> out = new TreeMap<>();
        for (String t : line.substring("diag_after=".length()).split("\\|")) {
            if (t.isEmpty()) continue;
            int c = t.indexOf(':');
            out.put(Long.parseLong(t.substring(0, c)), t.substring(c + 1));
        }
        return out;
    }

    /**
     * JDK 21+ start platform threads from thread-per-task executors and structured scopes through the package-private
     * {@code Thread.start(ThreadContainer)}, builders through {@code start()}: each must count once, at the method
     * that started it. Virtual threads never count; without continuations ({@code -XX:-VMContinuations}) a virtual
     * thread is bound to an OS thread and starts through {@code Thread}'s own methods, where only the hook can tell.
     */
    @ParameterizedTest(name = "continuations {0}")
    @ValueSource(booleans = {true, false})
    void givenJdk21Starts_whenAppExits_thenPlatformThreadsCountOnceAtTheirCreatorAndVirtualThreadsNever(
            boolean continuations, @TempDir Path dir) throws Exception {
        Jdk jdk = Jdk.atLeast(21);
        assumeTrue(jdk != null, "needs a JDK 21+ (Temurin 25 under /usr/lib/jvm, or DIAG_TEST_JDKS)");
        AgentJvm starting = AgentJvm.of(PlatformStartsWorkload.class).jdk(jdk).agent("out=" + dir + ",profiles=threadcreate");
        if (!continuations) starting.jvmArg("-XX:+UnlockExperimentalVMOptions").jvmArg("-XX:-VMContinuations");
        AgentJvm jvm = starting.start();

        int exit = jvm.waitForExit(Duration.ofSeconds(60));

        assertThat(exit).as(jvm.stderr()).isZero();
        assertThat(jvm.stderrWithoutJvmWarnings()).isEmpty();
        Map<String, Double> truth = WorkloadTruth.of(jvm.stdout());
        assertThat(truth).as("tasks the workload saw run on platform / virtual threads")
                .containsEntry("executor", (double) PlatformStartsWorkload.EXECUTOR)
                .containsEntry("builder", (double) PlatformStartsWorkload.BUILDER)
                .containsEntry("virtual", (double) PlatformStartsWorkload.VIRTUAL);
        if (jdk.feature() == 25) {
            assertThat(truth).as("JDK 25's StructuredTaskScope ran").containsEntry("scope", (double) PlatformStartsWorkload.SCOPE);
        }
        RawProfile tc = GoTool.raw(dir.resolve("threadcreate.pb.gz"));
        assertThat(tc.sum("threadcreate/count", s -> s.hasFrame("PlatformStartsWorkload.startByExecutor")))
                .as("newThreadPerTaskExecutor(Thread.ofPlatform().factory()), one thread per task")
                .isEqualTo(truth.get("executor").longValue());
        assertThat(tc.samples).filteredOn(s -> s.hasFrame("PlatformStartsWorkload.startByExecutor"))
                .allSatisfy(s -> assertThat(s.stack()).contains("java.util.concurrent.ThreadPerTaskExecutor.start"));
        assertThat(tc.sum("threadcreate/count", s -> s.hasFrame("PlatformStartsWorkload.startByBuilder")))
                .as("Thread.ofPlatform().start(...)").isEqualTo(truth.get("builder").longValue());
        assertThat(tc.sum("threadcreate/count", s -> s.hasFrame("PlatformStartsWorkload.startByScope")))
                .as("StructuredTaskScope forks on a platform factory").isEqualTo(truth.get("scope").longValue());
        assertThat(tc.samples).allSatisfy(s -> assertThat(s.stack().get(0)).isEqualTo("java.lang.Thread.start"));
        if (continuations) {
            // Starting virtual threads may start the scheduler's own platform threads (its carriers, and the
            // unblocker when VirtualThread initializes): those are OS threads and count, the virtual ones never.
            assertThat(tc.sum("threadcreate/count", s -> s.hasFrame("PlatformStartsWorkload.startVirtual")
                    && !s.hasFrame("java.util.concurrent.ForkJoinPool.createWorker")
                    && !s.hasFrame("java.lang.VirtualThread.<clinit>")))
                    .as("creations under startVirtual that are not the scheduler's platform threads").isZero();
        } else {
            assertThat(tc.sum("threadcreate/count", s -> s.hasFrame("PlatformStartsWorkload.startVirtual")))
                    .as("virtual threads bound to OS threads start through Thread.start, and still never count")
                    .isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenBadOption_whenJvmStarts_thenOneDiagLineAndAppRunsWithItsExitCode(Jdk jdk) throws Exception {
        for (String[] row : new String[][] {
                {"foo=1", "diag: unknown option \"foo\" (java -jar diag.jar help lists every option); diag is off"},
                {"cpu.hz=abc", "diag: bad value for cpu.hz: \"abc\" (a whole number of Hz from 1 to 1000); diag is off"},
                {"profiles", "diag: option \"profiles\" has no value (use key=value); diag is off"},
                {"http=99999", "diag: bad value for http: \"99999\"; diag is off"},
                {"interval=10", "diag: bad value for interval: \"10\" (a Go duration such as 500ms, 10s or 1m, or 0 for off);"
                        + " diag is off"},
                {"profiles=cpu,heep", "diag: bad value for profiles: \"cpu,heep\" (no profile \"heep\": did you mean heap?"
                        + " profiles are allocs, block, cpu, goroutine, heap, mutex, threadcreate, wall); diag is off"}}) {
            AgentJvm jvm = AgentJvm.of(ThreadsWorkload.class).jdk(jdk).agent(row[0]).start();

            int exit = jvm.waitForExit(Duration.ofSeconds(60));

            assertThat(exit).as("exit code with %s", row[0]).isEqualTo(7);
            assertThat(jvm.stderrWithoutJvmWarnings()).as("stderr with %s", row[0]).isEqualTo(row[1] + "\n");
            assertThat(jvm.stdout()).startsWith("live=");
        }
    }
}
