package dev.diag.it;

import dev.diag.it.workloads.AttachTarget;
import dev.diag.it.workloads.LockTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code java -jar diag.jar list/attach/status} against real JVMs: attach loads diag into a JVM started without it,
 * a second attach (or an attach to a JVM started with {@code -javaagent}) reconfigures it without hooking twice, and
 * every refusal names its cause with its exit code while the target runs on untouched.
 */
class AttachIT {
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final String APP_OUTPUT = "ready\nspawned=" + AttachTarget.THREADS + "\n";
    /** A continuous-profiling window file: {@code <name>-<UTC start, to the second>.pb.gz}. */
    private static final Pattern WINDOW_FILE = Pattern.compile("(cpu|block)-(\\d{8}T\\d{6}Z)\\.pb\\.gz");
    private static final DateTimeFormatter WINDOW_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** How long the test watches out= after interval=0: three intervals of 2 s, in which a running profiler writes. */
    private static final Duration NO_NEW_WINDOW = Duration.ofSeconds(6);

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenJvmWithoutAgent_whenAttachedTwice_thenHooksRecordOnceAndAppOutputIsUnchanged(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path go = dir.resolve("go");
        Path out = dir.resolve("prof");
        try (AgentJvm target = AgentJvm.of(AttachTarget.class).jdk(jdk).args(go.toString()).start()) {
            target.awaitStdout("ready", EXIT);
            String pid = Long.toString(target.pid());
            assertThat(listRow(jdk, pid)).as("list before attach").contains(" - ");

            DiagCli.Result first = DiagCli.run(jdk, "attach", pid, "out=" + out, "profiles=threadcreate");
            DiagCli.Result second = DiagCli.run(jdk, "attach", pid, "profiles=threadcreate,goroutine");
            DiagCli.Result status = DiagCli.run(jdk, "status", pid);
            String listed = listRow(jdk, pid);
            Files.createFile(go);
            int exit = target.waitForExit(EXIT);

            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.stdout()).startsWith("diag ")
                    .containsPattern(" started with out=" + out + ",profiles=threadcreate in \\d+ ms\n");
            assertThat(second.exitCode()).as(second.toString()).isZero();
            assertThat(second.stdout()).isEqualTo("profiles: threadcreate -> threadcreate,goroutine\n");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("options:  out=" + out + ",profiles=threadcreate,goroutine")
                    .contains("pid:      " + pid).containsPattern("diag: +0\\.1\\.0")
                    .containsPattern("(?m)^started:  \\d{4}-\\d\\d-\\d\\dT")
                    .containsPattern("\n  ring\\.capacity +\\d+\n");
            assertThat(listed).as("list after attach").contains("0.1.0").contains(AttachTarget.class.getName());
            assertThat(exit).as("the application's own exit code").isEqualTo(AttachTarget.EXIT_CODE);
            assertThat(target.stdout()).isEqualTo(APP_OUTPUT);
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
            RawProfile tc = GoTool.raw(out.resolve("threadcreate.pb.gz"));
            assertThat(tc.sum("threadcreate/count", s -> s.hasFrame("AttachTarget.spawnAfterAttach")))
                    .as("threads started after attach by a thread running before it, counted once each")
                    .isEqualTo(AttachTarget.THREADS);
            assertThat(GoTool.raw(out.resolve("goroutine.pb.gz")).sampleTypes).containsExactly("goroutine/count");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenJvmWithoutAgent_whenAttachedWithHttp_thenGoToolPprofReadsTheEndpoint(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path go = dir.resolve("go");
        try (AgentJvm target = AgentJvm.of(AttachTarget.class).jdk(jdk).args(go.toString()).start()) {
            target.awaitStdout("ready", EXIT);
            String pid = Long.toString(target.pid());

            DiagCli.Result attached = DiagCli.run(jdk, "attach", pid, "http=0");
            int port = listeningPort(attached.stdout());
            HttpProbe.Response index = new HttpProbe("127.0.0.1", port).get("/debug/pprof/");
            RawProfile goroutines = GoTool.raw("http://127.0.0.1:" + port + "/debug/pprof/goroutine");
            DiagCli.Result moved = DiagCli.run(jdk, "attach", pid, "http=" + (port + 1));
            Files.createFile(go);
            int exit = target.waitForExit(EXIT);

            assertThat(attached.exitCode()).as(attached.toString()).isZero();
            assertThat(index.status()).as(index.toString()).isEqualTo(200);
            assertThat(index.text()).contains("<title>/debug/pprof/</title>").contains("goroutine");
            assertThat(goroutines.sum("goroutine/count", s -> s.hasFrame("AttachTarget.main")))
                    .as("the main thread, running since before the attach").isEqualTo(1);
            assertThat(moved.exitCode()).as(moved.toString()).isEqualTo(2);
            assertThat(moved.stdout()).startsWith("http is already serving (http=0)");
            assertThat(exit).isEqualTo(AttachTarget.EXIT_CODE);
            assertThat(target.stdout()).isEqualTo(APP_OUTPUT);
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
        }
    }

    /**
     * An application that ships diag's API (its annotations, {@code Trace}) on its own class path and used it before
     * the attach: its copy of the API links to the hooks diag brings, rather than staying a no-op or, worse, mixing
     * its classes with diag's (which threw IllegalAccessError into the application).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void givenAppWithTheApiOnItsClassPathUsingItBeforeAttach_whenAttachedAndTraced_thenItsTasksRegionsLabelsAndAnnotatedMethodsAreTraced(
            Jdk jdk, @TempDir Path dir) throws Exception {
        String api = System.getProperty("diag.api.jar");
        assertThat(Path.of(api)).as("the API jar, built before the tests").exists();
        try (AgentJvm target = AgentJvm.of(dev.diag.it.workloads.TraceWorkload.class).jdk(jdk).classPath(api)
                .args("loop").start()) {
            target.awaitStdout("serving", EXIT);
            Thread.sleep(500); // a few rounds of the workload through the class path's API copy, diag absent
            String pid = Long.toString(target.pid());

            DiagCli.Result attached = DiagCli.run(jdk, "attach", pid, "http=0");
            HttpProbe http = new HttpProbe("127.0.0.1", listeningPort(attached.stdout()));
            HttpProbe.Response trace = http.send("GET", "/debug/pprof/trace?seconds=2&format=json", java.util.Map.of(),
                    null, Duration.ofSeconds(60));
            // The charge step is about a tenth of the workload's CPU: a few 2 s profiles until one has a sample of it.
            // JFR samples only while a window runs, and on a loaded machine a window can hold a handful of samples.
            RawProfile cpu = null;
            for (int attempt = 0; attempt < 8 && (cpu == null || cpu.samples.stream().noneMatch(AttachIT::chargeStep));
                 attempt++) {
                cpu = GoTool.raw("http://127.0.0.1:" + listeningPort(attached.stdout()) + "/debug/pprof/profile?seconds=2");
            }

            assertThat(attached.exitCode()).as(attached.toString()).isZero();
            assertThat(trace.status()).as(trace.toString()).isEqualTo(200);
            Set<String> names = new TreeSet<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(trace.body()).get("traceEvents")
                    .forEach(e -> names.add(e.get("name").asText()));
            assertThat(names).as("Trace.newTask, Trace.region, Trace.log, @Traced and @WithSpan after the attach")
                    .contains("checkout", "prepare", "validate", "order=validated", "Billing.computeTotals", "sendReceipt");
            assertThat(cpu.samples).as("CPU samples of the charge step carry its Labels.with label")
                    .anyMatch(AttachIT::chargeStep);
            // The same copy's task and annotated methods are requests on /debug/requests now.
            String requests = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> http.get("/debug/requests").text(), page -> page.contains(">checkout<")
                            && page.contains(">Billing.computeTotals<") && page.contains(">sendReceipt<"));
            assertThat(requests).as("a finished checkout task").containsPattern(
                    "<td class=\"family\">checkout</td><td[^>]*>(<a[^>]*>)?\\[\\d+ active\\](</a>)?</td><td><a[^>]*>\\[[1-9]");
            assertThat(target.isAlive()).as("the application runs on; stderr:\n%s", target.stderr()).isTrue();
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
        }
    }

    private static boolean chargeStep(RawProfile.Sample s) {
        return s.hasFrame("TraceWorkload.charge") && s.labels().contains("step:[charge]");
    }

    /** The same application API copy, with a custom profile created and filled before the attach. */
    @Test
    void givenAppWithTheApiOnItsClassPathAndACustomProfileBeforeAttach_whenAttached_thenDiagServesItWithStacksFromThen(
            @TempDir Path dir) throws Exception {
        Path signal = dir.resolve("open-more");
        try (AgentJvm target = AgentJvm.of(dev.diag.it.workloads.OpenFilesWorkload.class).jdk(Jdk.current())
                .classPath(System.getProperty("diag.api.jar")).args("60000", signal.toString()).start()) {
            target.awaitStdout("truth", EXIT);
            String pid = Long.toString(target.pid());

            DiagCli.Result attached = DiagCli.run(Jdk.current(), "attach", pid, "http=0");
            Files.createFile(signal);
            target.awaitStdout("after", EXIT);
            HttpProbe http = new HttpProbe("127.0.0.1", listeningPort(attached.stdout()));
            HttpProbe.Response index = http.get("/debug/pprof/");
            HttpProbe.Response proto = http.get("/debug/pprof/example.com/openfiles");
            Path file = dir.resolve("openfiles.pb.gz");
            Files.write(file, proto.body());
            RawProfile p = GoTool.raw(file);

            assertThat(attached.exitCode()).as(attached.toString()).isZero();
            assertThat(index.text()).contains("example.com/openfiles");
            assertThat(p.total("example.com/openfiles/count")).as("6 open before the attach, 2 after").isEqualTo(8);
            assertThat(p.sum("example.com/openfiles/count", s -> s.hasFrame("OpenFilesWorkload.openAfterSignal")))
                    .as("the values added after the attach, at their stack").isEqualTo(2);
            assertThat(p.sum("example.com/openfiles/count", s -> s.stack().equals(List.of("diag.addedBeforeAttach"))))
                    .as("the values added before, when no stack could be kept").isEqualTo(6);
            assertThat(target.isAlive()).as("the application runs on; stderr:\n%s", target.stderr()).isTrue();
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenLockWorkloadWithoutAgent_whenAttachedWithHttpThenBlockRate_thenPprofSeesCpuAndEveryWaitAfter(Jdk jdk,
            @TempDir Path dir) throws Exception {
        try (AgentJvm target = AgentJvm.of(LockTarget.class).jdk(jdk)
                .args(dir.resolve("go").toString(), dir.resolve("exit").toString()).start()) {
            target.awaitStdout("ready", EXIT);
            String pid = Long.toString(target.pid());

            DiagCli.Result withHttp = DiagCli.run(jdk, "attach", pid, "http=0");
            String url = "http://127.0.0.1:" + listeningPort(withHttp.stdout()) + "/debug/pprof/";
            HttpProbe.Response index = new HttpProbe("127.0.0.1", listeningPort(withHttp.stdout())).get("/debug/pprof/");
            RawProfile cpu = GoTool.raw(url + "profile?seconds=2");
            DiagCli.Result withBlock = DiagCli.run(jdk, "attach", pid, "block.rate=1");
            Files.createFile(dir.resolve("go"));
            target.awaitStdout("rounds=", EXIT);
            RawProfile block = GoTool.raw(url + "block");
            Files.createFile(dir.resolve("exit"));
            int exit = target.waitForExit(EXIT);

            assertThat(withHttp.exitCode()).as(withHttp.toString()).isZero();
            assertThat(index.status()).as(index.toString()).isEqualTo(200);
            assertThat(cpu.sampleTypes).containsExactly("samples/count", "cpu/nanoseconds");
            assertThat(cpu.sum("samples/count", s -> s.hasFrame("LockTarget.burnCpu")))
                    .as("a thread spinning since before the attach").isPositive();
            assertThat(withBlock.exitCode()).as(withBlock.toString()).isZero();
            assertThat(withBlock.stdout()).isEqualTo("block.rate: 0 -> 1\n");
            long waited = waitedNanos(target.stdout());
            assertThat(block.sum("delay/nanoseconds", s -> s.hasFrame("LockTarget.contendAfter")))
                    .as("block delay of the waits after the attach; the workload measured %d ns", waited)
                    .isBetween(waited * 3 / 4, waited * 11 / 10);
            assertThat(exit).isEqualTo(LockTarget.EXIT_CODE);
            assertThat(target.stdout()).matches("ready\nwaited_ns=\\d+\nrounds=" + LockTarget.ROUNDS + "\n");
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenLockWorkloadWithoutAgent_whenAttachedWithIntervalThenIntervalZero_thenReadableWindowsAppearThenNoMore(
            Jdk jdk, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("prof");
        try (AgentJvm target = AgentJvm.of(LockTarget.class).jdk(jdk)
                .args(dir.resolve("go").toString(), dir.resolve("exit").toString()).start()) {
            target.awaitStdout("ready", EXIT);
            String pid = Long.toString(target.pid());
            Instant attachedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            DiagCli.Result started = DiagCli.run(jdk, "attach", pid, "out=" + out + ",interval=2s,profiles=cpu,block");
            assertThat(started.exitCode()).as(started.toString()).isZero();
            // Two whole windows (both files of a stamp): 2 s each, given a minute on a loaded machine.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> completeWindows(out).size() >= 2);
            DiagCli.Result stopped = DiagCli.run(jdk, "attach", pid, "interval=0");
            Set<String> filesAtStop = windowFiles(out);
            // Not a speed check: for three intervals after the answer, out= must not change at all.
            await().during(NO_NEW_WINDOW).atMost(NO_NEW_WINDOW.multipliedBy(2))
                    .until(() -> windowFiles(out).equals(filesAtStop));
            Instant watchedUntil = Instant.now();
            Files.createFile(dir.resolve("go"));
            target.awaitStdout("rounds=", EXIT);
            Files.createFile(dir.resolve("exit"));
            int exit = target.waitForExit(EXIT);

            assertThat(started.stdout()).matches("diag \\S+ started with out=" + Pattern.quote(out.toString())
                    + ",profiles=cpu,block,interval=2s in \\d+ ms\n");
            assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
            assertThat(stopped.stdout()).isEqualTo("interval: 2s -> 0\n");
            TreeMap<String, Set<String>> windows = windowsByStamp(filesAtStop);
            assertThat(windows).as("windows on disk when interval=0 answered: each has all its profiles")
                    .hasSizeGreaterThanOrEqualTo(2).allSatisfy((stamp, names) ->
                            assertThat(names).as(stamp).containsExactlyInAnyOrder("cpu", "block"));
            for (String stamp : windows.keySet()) {
                assertThat(Instant.from(WINDOW_STAMP.parse(stamp))).as("window start, UTC")
                        .isBetween(attachedAt, watchedUntil);
                RawProfile cpu = GoTool.raw(out.resolve("cpu-" + stamp + ".pb.gz"));
                assertThat(cpu.sampleTypes).containsExactly("samples/count", "cpu/nanoseconds");
                assertThat(cpu.sum("samples/count", s -> s.hasFrame("LockTarget.burnCpu")))
                        .as("cpu window %s: the thread spinning all along", stamp).isPositive();
                RawProfile block = GoTool.raw(out.resolve("block-" + stamp + ".pb.gz"));
                assertThat(block.sampleTypes).containsExactly("contentions/count", "delay/nanoseconds");
                assertThat(block.sum("contentions/count", s -> s.hasFrame("LockTarget.contendBefore")))
                        .as("block window %s: the waiter blocks on every 5 ms hold", stamp).isPositive();
            }
            assertThat(exit).isEqualTo(LockTarget.EXIT_CODE);
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenLockWorkloadWithoutAgent_whenMutexFractionAttachedFrom0To1_thenMutexProfileShowsTheHoldersMethod(
            Jdk jdk, @TempDir Path dir) throws Exception {
        try (AgentJvm target = AgentJvm.of(LockTarget.class).jdk(jdk)
                .args(dir.resolve("go").toString(), dir.resolve("exit").toString()).start()) {
            target.awaitStdout("ready", EXIT);
            String pid = Long.toString(target.pid());

            DiagCli.Result withHttp = DiagCli.run(jdk, "attach", pid, "http=0");
            String url = "http://127.0.0.1:" + listeningPort(withHttp.stdout()) + "/debug/pprof/mutex";
            RawProfile atFraction0 = GoTool.raw(url);
            long changedAt = System.nanoTime();
            DiagCli.Result withMutex = DiagCli.run(jdk, "attach", pid, "mutex.fraction=1");
            Files.createFile(dir.resolve("go"));
            long goAt = System.nanoTime();
            target.awaitStdout("rounds=", EXIT);
            RawProfile mutex = GoTool.raw(url);
            Files.createFile(dir.resolve("exit"));
            int exit = target.waitForExit(EXIT);

            assertThat(withHttp.exitCode()).as(withHttp.toString()).isZero();
            assertThat(atFraction0.sampleTypes).containsExactly("contentions/count", "delay/nanoseconds");
            assertThat(atFraction0.total("delay/nanoseconds")).as("mutex.fraction=0 tracks no wait").isZero();
            assertThat(withMutex.exitCode()).as(withMutex.toString()).isZero();
            assertThat(withMutex.stdout()).isEqualTo("mutex.fraction: 0 -> 1\n");
            long waited = waitedNanos(target.stdout());
            long atHolder = mutex.sum("delay/nanoseconds", s -> s.hasFrame("LockTarget.holdOneRound"));
            // The 20 ms rounds' waits (the waiter measured them) are all the holder's; the 5 ms rounds between the
            // change and "go" add at most the wall time they had, as one waiter cannot wait longer than that.
            assertThat(atHolder).as("delay charged to the holder's method; the workload measured %d ns", waited)
                    .isBetween(waited * 3 / 4, waited * 11 / 10 + (goAt - changedAt) + 100_000_000L);
            assertThat(atHolder).as("share of all mutex delay at the holder's method")
                    .isGreaterThanOrEqualTo(mutex.total("delay/nanoseconds") * 8 / 10);
            assertThat(mutex.samples).filteredOn(s -> s.hasFrame("LockTarget.holdOneRound"))
                    .allSatisfy(s -> assertThat(s.stack().get(0)).isEqualTo("java.util.concurrent.locks.ReentrantLock.unlock"));
            assertThat(exit).isEqualTo(LockTarget.EXIT_CODE);
            assertThat(target.stdout()).matches("ready\nwaited_ns=\\d+\nrounds=" + LockTarget.ROUNDS + "\n");
            assertThat(target.stderrWithoutJvmWarnings()).as("the mutex profile read at fraction 0 said why, once")
                    .isEqualTo("diag: mutex profile is off (mutex.fraction=0), so it records nothing: turn it on with "
                            + "-javaagent:diag.jar=mutex.fraction=1, or in the running JVM with java -jar diag.jar attach "
                            + pid + " mutex.fraction=1\n");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenJvmStartedWithAgentAndBlockRate_whenAttached_thenBlockDelayIsNotDoubled(Jdk jdk, @TempDir Path dir)
            throws Exception {
        try (AgentJvm target = AgentJvm.of(LockTarget.class).jdk(jdk).agent("block.rate=1")
                .args(dir.resolve("go").toString(), dir.resolve("exit").toString()).start()) {
            target.awaitStdout("ready", EXIT);
            String pid = Long.toString(target.pid());

            DiagCli.Result attached = DiagCli.run(jdk, "attach", pid, "http=0,block.rate=1");
            int port = listeningPort(attached.stdout());
            Files.createFile(dir.resolve("go"));
            target.awaitStdout("rounds=", EXIT);
            RawProfile block = GoTool.raw("http://127.0.0.1:" + port + "/debug/pprof/block");
            Files.createFile(dir.resolve("exit"));
            int exit = target.waitForExit(EXIT);

            assertThat(attached.exitCode()).as(attached.toString()).isZero();
            assertThat(attached.stdout()).startsWith("http: off -> 0\n");
            long waited = waitedNanos(target.stdout());
            assertThat(block.sum("delay/nanoseconds", s -> s.hasFrame("LockTarget.contendAfter")))
                    .as("one park hook, not two (that would be twice); the workload measured %d ns", waited)
                    .isBetween(waited * 3 / 4, waited * 11 / 10);
            assertThat(exit).isEqualTo(LockTarget.EXIT_CODE);
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenJvmStartedWithAgent_whenAttached_thenReconfiguresWithoutHookingTwice(Jdk jdk, @TempDir Path dir)
            throws Exception {
        Path go = dir.resolve("go");
        Path out = dir.resolve("prof");
        try (AgentJvm target = AgentJvm.of(AttachTarget.class).jdk(jdk).agent("profiles=threadcreate")
                .args(go.toString()).start()) {
            target.awaitStdout("ready", EXIT);
            String pid = Long.toString(target.pid());

            DiagCli.Result attached = DiagCli.run(jdk, "attach", pid, "out=" + out);
            DiagCli.Result unchangeable = DiagCli.run(jdk, "attach", pid, "out=" + dir, "cpu.hz=7");
            DiagCli.Result typo = DiagCli.run(jdk, "attach", pid, "cpu.hz=x");
            DiagCli.Result status = DiagCli.run(jdk, "status", pid);
            Files.createFile(go);
            int exit = target.waitForExit(EXIT);

            assertThat(attached.exitCode()).as(attached.toString()).isZero();
            assertThat(attached.stdout()).isEqualTo("out: off -> " + out + "\n");
            assertThat(unchangeable.exitCode()).as(unchangeable.toString()).isEqualTo(2);
            assertThat(unchangeable.stdout()).startsWith("cpu.hz cannot change while diag runs (it is 1000)")
                    .endsWith("configuration unchanged: out=" + out + ",profiles=threadcreate\n");
            assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(2);
            assertThat(typo.stderr()).isEqualTo("diag: bad value for cpu.hz: \"x\" (a whole number of Hz from 1 to 1000); nothing sent to pid " + pid + "\n");
            assertThat(status.stdout()).contains("options:  out=" + out + ",profiles=threadcreate\n");
            assertThat(exit).isEqualTo(AttachTarget.EXIT_CODE);
            assertThat(target.stdout()).isEqualTo(APP_OUTPUT);
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
            RawProfile tc = GoTool.raw(out.resolve("threadcreate.pb.gz"));
            assertThat(tc.sum("threadcreate/count", s -> s.hasFrame("AttachTarget.spawnAfterAttach")))
                    .as("one hook per Thread.start even after an attach into a -javaagent JVM")
                    .isEqualTo(AttachTarget.THREADS);
        }
    }

    @Test
    void givenBadTargets_whenAttach_thenEachCauseIsNamedWithItsExitCodeAndTheTargetRunsOn(@TempDir Path dir)
            throws Exception {
        Jdk jdk = Jdk.current();
        Path go = dir.resolve("go");
        Process notJava = new ProcessBuilder("sleep", "60").start();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        try (AgentJvm target = AgentJvm.of(AttachTarget.class).jdk(jdk).args(go.toString()).start()) {
            target.awaitStdout("ready", EXIT);
            String pid = Long.toString(target.pid());

            DiagCli.Result noProcess = DiagCli.run(jdk, "attach", Long.toString(gone.pid()), "out=" + dir);
            DiagCli.Result notJvm = DiagCli.run(jdk, "attach", Long.toString(notJava.pid()), "out=" + dir);
            DiagCli.Result notLoaded = DiagCli.run(jdk, "status", pid);
            DiagCli.Result noAttachModule = DiagCli.runWith(List.of(jdk.java().toString()),
                    List.of("--limit-modules", "java.base,java.instrument,java.management"), "attach", pid, "out=" + dir);
            boolean notJvmAlive = notJava.isAlive();
            Files.createFile(go);
            int exit = target.waitForExit(EXIT);

            assertThat(noProcess.exitCode()).as(noProcess.toString()).isEqualTo(3);
            assertThat(noProcess.stderr()).isEqualTo("diag: no process with pid " + gone.pid() + "\n");
            assertThat(notJvm.exitCode()).as(notJvm.toString()).isEqualTo(4);
            assertThat(notJvm.stderr()).startsWith("diag: pid " + notJava.pid() + " is not a Java VM (");
            assertThat(notJvmAlive).as("the non-Java process got no signal").isTrue();
            assertThat(notLoaded.exitCode()).as(notLoaded.toString()).isEqualTo(8);
            assertThat(notLoaded.stderr()).startsWith("diag: diag is not loaded in pid " + pid);
            assertThat(noAttachModule.exitCode()).as(noAttachModule.toString()).isEqualTo(7);
            assertThat(noAttachModule.stderr()).contains("has no jdk.attach module");
            assertThat(exit).isEqualTo(AttachTarget.EXIT_CODE);
            assertThat(target.stdout()).isEqualTo(APP_OUTPUT);
            assertThat(target.stderrWithoutJvmWarnings()).isEmpty();
        } finally {
            notJava.destroy();
        }
    }

    @Test
    void givenJvmOfAnotherUser_whenAttach_thenRefusedNamingTheUser(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to run the CLI as another user");
        Jdk jdk = Jdk.current();
        Path go = dir.resolve("go");
        try (AgentJvm target = AgentJvm.of(AttachTarget.class).jdk(jdk).args(go.toString()).start()) {
            target.awaitStdout("ready", EXIT);
            String pid = Long.toString(target.pid());

            DiagCli.Result asNobody = DiagCli.runWith(List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
                    "--clear-groups", "--reset-env", jdk.java().toString()), List.of(), "attach", pid, "http=0");
            Files.createFile(go);
            int exit = target.waitForExit(EXIT);

            assertThat(asNobody.exitCode()).as(asNobody.toString()).isEqualTo(5);
            assertThat(asNobody.stderr()).startsWith("diag: pid " + pid + " runs as user root, and this command as nobody");
            assertThat(exit).isEqualTo(AttachTarget.EXIT_CODE);
            assertThat(target.stdout()).isEqualTo(APP_OUTPUT);
        }
    }

    @Test
    void givenJvmOlderThan17_whenAttach_thenRefusedNamingItsVersion(@TempDir Path dir) throws Exception {
        String old = System.getenv("DIAG_TEST_OLD_JDK");
        assumeTrue(old != null && Files.isExecutable(Path.of(old, "bin", "javac")),
                "set DIAG_TEST_OLD_JDK to a Java 8 or 11 JDK home to run this (the reference machine has none)");
        // The workloads are Java 17 class files: the old JVM runs a class compiled by its own javac.
        Files.writeString(dir.resolve("Old.java"), "public class Old { public static void main(String[] a) throws "
                + "Exception { System.out.println(\"ready\"); Thread.sleep(60000); } }");
        assertThat(new ProcessBuilder(Path.of(old, "bin", "javac").toString(), "-d", dir.toString(),
                dir.resolve("Old.java").toString()).inheritIO().start().waitFor()).isZero();
        Process target = new ProcessBuilder(Path.of(old, "bin", "java").toString(), "-cp", dir.toString(), "Old")
                .redirectErrorStream(true).start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(target.getInputStream())).readLine())
                    .isEqualTo("ready");
            String pid = Long.toString(target.pid());

            DiagCli.Result refused = DiagCli.run(Jdk.current(), "attach", pid, "http=0");
            boolean alive = target.isAlive();

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(6);
            assertThat(refused.stderr()).startsWith("diag: pid " + pid + " runs Java ")
                    .endsWith("; diag needs Java 17 or newer\n");
            assertThat(alive).as("the old JVM runs on").isTrue();
        } finally {
            target.destroy();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenAttachDisabled_whenAttach_thenRefusedAndTheTargetPrintsNothing(Jdk jdk, @TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        List<String> flags = jdk.feature() >= 21
                ? List.of("-XX:+DisableAttachMechanism", "-XX:-EnableDynamicAgentLoading")
                : List.of("-XX:+DisableAttachMechanism");
        for (String flag : flags) {
            Files.deleteIfExists(go);
            try (AgentJvm target = AgentJvm.of(AttachTarget.class).jdk(jdk).jvmArg(flag).args(go.toString()).start()) {
                target.awaitStdout("ready", EXIT);
                String pid = Long.toString(target.pid());

                DiagCli.Result refused = DiagCli.run(jdk, "attach", pid, "out=" + dir);
                Files.createFile(go);
                int exit = target.waitForExit(EXIT);

                assertThat(refused.exitCode()).as(flag + ": " + refused).isEqualTo(5);
                assertThat(refused.stderr()).as(flag).startsWith("diag: pid " + pid + " was started with "
                        + flag.replace("+DisableAttach", "+DisableAttach"));
                assertThat(exit).as(flag).isEqualTo(AttachTarget.EXIT_CODE);
                assertThat(target.stdout()).as(flag).isEqualTo(APP_OUTPUT);
                assertThat(target.stderrWithoutJvmWarnings()).as(flag).isEmpty();
            }
        }
    }

    /**
     * Returns the waits the workload measured around {@code lock()}: the park time the block profile holds plus the
     * lock's own work and the hook's stack walk, so the profile may show a little less, never more than ~10% above.
     */
    private static long waitedNanos(String stdout) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("waited_ns=(\\d+)").matcher(stdout);
        assertThat(m.find()).as(stdout).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Returns the names of the window files in {@code out} (none while it does not exist). */
    private static Set<String> windowFiles(Path out) throws Exception {
        if (!Files.isDirectory(out)) return Set.of();
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> WINDOW_FILE.matcher(n).matches())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Returns the profile names written for each window stamp. */
    private static TreeMap<String, Set<String>> windowsByStamp(Set<String> files) {
        TreeMap<String, Set<String>> byStamp = new TreeMap<>();
        for (String f : files) {
            Matcher m = WINDOW_FILE.matcher(f);
            if (m.matches()) byStamp.computeIfAbsent(m.group(2), k -> new TreeSet<>()).add(m.group(1));
        }
        return byStamp;
    }

    /** Returns the stamps of windows whose cpu and block files are both written. */
    private static List<String> completeWindows(Path out) throws Exception {
        return windowsByStamp(windowFiles(out)).entrySet().stream().filter(e -> e.getValue().size() == 2)
                .map(java.util.Map.Entry::getKey).toList();
    }

    /** Returns the port in the attach answer's "http listening on 127.0.0.1:PORT" line. */
    private static int listeningPort(String attachOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("http listening on 127\\.0\\.0\\.1:(\\d+)")
                .matcher(attachOutput);
        assertThat(m.find()).as("a listening line in\n" + attachOutput).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Returns the line of {@code list} for {@code pid}. */
    private static String listRow(Jdk jdk, String pid) throws Exception {
        DiagCli.Result list = DiagCli.run(jdk, "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        return list.stdout().lines().filter(l -> l.startsWith(pid + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + pid + " in\n" + list.stdout()));
    }
}
