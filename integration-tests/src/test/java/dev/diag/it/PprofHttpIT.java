package dev.diag.it;

import dev.diag.it.workloads.AllocateOnSignal;
import dev.diag.it.workloads.CpuSplitWorkload;
import dev.diag.it.workloads.ParkedThreadsWorkload;
import dev.diag.it.workloads.SpawnOnSignal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The endpoint read by real clients: {@code go tool pprof} over HTTP, deltas, the CPU profile lock, junk. */
class PprofHttpIT {
    static List<Jdk> jdks() {
        return Jdk.all();
    }

    /** Go's sample types per profile name (GO_PPROF_CONTRACT.md, "Proto shapes"). */
    private static final Map<String, List<String>> GO_TYPES = Map.of(
            "goroutine", List.of("goroutine/count"),
            "threadcreate", List.of("threadcreate/count"),
            "heap", List.of("alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes"),
            "allocs", List.of("alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes"),
            "block", List.of("contentions/count", "delay/nanoseconds"),
            "mutex", List.of("contentions/count", "delay/nanoseconds"));

    @ParameterizedTest
    @MethodSource("jdks")
    void givenEveryIndexedProfile_whenGoToolPprofFetchesProtoAndText_thenNoErrorsAndGoTypes(Jdk jdk) throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "", "600000")) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(30));

            List<String> names = indexedProfiles(server);

            assertThat(names).contains("goroutine", "threadcreate");
            for (String name : names) {
                RawProfile proto = GoTool.raw(server.url(name));
                if (GO_TYPES.containsKey(name)) assertThat(proto.sampleTypes).as(name).isEqualTo(GO_TYPES.get(name));
                // Legacy text: pprof parses it and names every address through /symbol.
                String top = GoTool.pprof("-top", server.url(name + "?debug=1"));
                assertThat(top).as("%s?debug=1 through pprof", name).contains("Showing nodes");
            }
            RawProfile g = GoTool.raw(server.url("goroutine"));
            assertThat(g.sum("goroutine/count", s -> s.hasFrame("ParkedThreadsWorkload.parkedPlatform")))
                    .isEqualTo(ParkedThreadsWorkload.PLATFORM);
            String legacy = GoTool.pprof("-top", "-nodefraction=0", "-show=parkedPlatform", server.url("goroutine?debug=1"));
            assertThat(legacy).as("symbolized by /symbol").contains("ParkedThreadsWorkload.parkedPlatform");
            assertThat(legacy).containsPattern("(?m)^\\s+6\\s.*ParkedThreadsWorkload\\.parkedPlatform$");
            // block and mutex, read at rate 0, each say once why they are empty.
            assertThat(server.jvm.stderrWithoutJvmWarnings()).matches("diag: http listening on 127\\.0\\.0\\.1:\\d+\n"
                    + "(diag: (block|mutex) profile is off \\((block\\.rate|mutex\\.fraction)=0\\)[^\n]*\n){2}");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenThreadsStartedInsideTheWindow_whenDeltaRequested_thenOnlyThoseThreadsShow(Jdk jdk, @TempDir Path dir)
            throws Exception {
        // p0 is taken when the request arrives; the workload starts its 7 threads `margin` later and the window
        // closes 3 s after p0. A machine too slow for the margin gets a second try with a longer one.
        for (int margin : new int[] {1000, 3000}) {
            Path trigger = dir.resolve("go-" + margin);
            try (HttpJvm server = HttpJvm.start(jdk, SpawnOnSignal.class, "", trigger.toString())) {
                server.jvm.awaitStdout("ready", Duration.ofSeconds(30));
                String seconds = Integer.toString(3 + 2 * margin / 1000);

                CompletableFuture<HttpProbe.Response> tc = fetchAsync(server, "threadcreate?seconds=" + seconds);
                CompletableFuture<HttpProbe.Response> gr = fetchAsync(server, "goroutine?seconds=" + seconds);
                Thread.sleep(margin);
                Files.writeString(trigger, "go");
                server.jvm.awaitStdout("spawned", Duration.ofSeconds(30));
                HttpProbe.Response threadcreate = tc.get();
                HttpProbe.Response goroutine = gr.get();

                assertThat(threadcreate.header("Content-Disposition")).isEqualTo("attachment; filename=\"threadcreate-delta\"");
                RawProfile t = GoTool.raw(save(dir, "tc-" + margin, threadcreate));
                RawProfile g = GoTool.raw(save(dir, "g-" + margin, goroutine));
                long during = t.sum("threadcreate/count", s -> s.hasFrame("SpawnOnSignal.spawnDuring"));
                long added = g.sum("goroutine/count", s -> s.hasFrame("SpawnOnSignal.parked"));
                // Either request may reach the server after the spawn on a loaded machine: then retry longer.
                if ((during != SpawnOnSignal.DURING || added != SpawnOnSignal.DURING) && margin < 3000) continue;
                assertThat(during).as("threads started inside the window").isEqualTo(SpawnOnSignal.DURING);
                assertThat(t.sum("threadcreate/count", s -> s.hasFrame("SpawnOnSignal.spawnBefore")))
                        .as("threads started before the window").isZero();
                assertThat(added).as("goroutines added during the window").isEqualTo(SpawnOnSignal.DURING);
                assertThat(t.header.get("Duration")).as("duration_nanos is set").isNotNull();
                return;
            }
        }
    }

    @Test
    void givenAllocationsInsideTheWindow_whenAllocsDeltaRequested_thenOnlyThatWindowsBytes(@TempDir Path dir)
            throws Exception {
        for (int margin : new int[] {1000, 3000}) {
            Path trigger = dir.resolve("go-" + margin);
            try (HttpJvm server = HttpJvm.start(Jdk.current(), AllocateOnSignal.class, "", trigger.toString())) {
                server.jvm.awaitStdout("ready", Duration.ofSeconds(30));
                Assumptions.assumeTrue(indexedProfiles(server).contains("allocs"), "allocs is not registered in this build");

                // JFR hands events over about a second late: let allocateBefore's reach the profile before p0.
                Thread.sleep(margin);
                CompletableFuture<HttpProbe.Response> delta = fetchAsync(server, "allocs?seconds=" + (2 + 2 * margin / 1000));
                Thread.sleep(margin);
                Files.writeString(trigger, "go");
                server.jvm.awaitStdout("during=", Duration.ofSeconds(30));
                HttpProbe.Response r = delta.get();

                assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"allocs-delta\"");
                RawProfile p = GoTool.raw(save(dir, "allocs-" + margin, r));
                long truth = Long.parseLong(server.jvm.stdout().replaceAll("(?s).*during=(\\d+).*", "$1"));
                long during = p.sum("alloc_space/bytes", s -> s.hasFrame("AllocateOnSignal.allocateDuring"));
                long before = p.sum("alloc_space/bytes", s -> s.hasFrame("AllocateOnSignal.allocateBefore"));
                boolean windowed = during >= truth / 2 && during <= truth * 2 && before < truth / 20;
                if (!windowed && margin < 3000) continue; // JFR delivers about once a second: retry with more slack
                assertThat(during).as("bytes allocated in the window (JVM says %d)", truth)
                        .isBetween(truth / 2, truth * 2);
                assertThat(before).as("bytes of allocateBefore, which ran before the window").isLessThan(truth / 20);
                assertThat(p.header.get("Duration")).isNotNull();
                return;
            }
        }
    }

    @Test
    void givenACpuWindow_whenRequested_thenHeadersComeAsItStarts_soGoToolPprofsHeaderTimeoutCannotCutALateProfile()
            throws Exception {
        // go tool pprof waits for headers only 1.5 x the window + 5 s; turning samples into a profile can take longer on
        // a loaded machine. The answer's headers go out once the window is admitted, its body when it ends: so while
        // the headers are in hand, the window still records (a second request is refused), and the body is whole.
        try (HttpJvm server = HttpJvm.start(Jdk.current(), CpuSplitWorkload.class, "", "600000")) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<InputStream> window = client.send(
                    HttpRequest.newBuilder(URI.create(server.url("profile?seconds=20"))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(window.statusCode()).isEqualTo(200);
            assertThat(window.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"profile\"");

            HttpProbe.Response meanwhile = server.http.get("/debug/pprof/profile?seconds=1");
            assertThat(meanwhile.status()).as("a second window while the first records").isEqualTo(500);
            Path file = Files.createTempFile("window", ".pb.gz");
            try (InputStream body = window.body()) {
                Files.copy(body, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            RawProfile p = GoTool.raw(file.toString());
            assertThat(Double.parseDouble(p.header.get("Duration"))).as("seconds").isBetween(20.0, 20.1);
            assertThat(p.sum("samples/count", s -> s.hasFrame("CpuSplitWorkload.burn"))).isPositive();
            Files.delete(file);
        }
    }

    @Test
    void givenTwoConcurrentCpuProfiles_whenRequested_thenOne200AndOneGo500_andProfilingWorksAfter(@TempDir Path dir)
            throws Exception {
        // The workload burns one core in burnSix/burnThree/burnOne (about 6:3:1) for as long as the test runs.
        try (HttpJvm server = HttpJvm.start(Jdk.current(), CpuSplitWorkload.class, "", "600000")) {
            HttpProbe.Response probe = server.http.get("/debug/pprof/profile?seconds=9223372036854775807");
            Assumptions.assumeFalse(probe.status() == 501, "CPU profiling is not in this build: " + probe.text());

            CompletableFuture<HttpProbe.Response> a = fetchAsync(server, "profile?seconds=2");
            CompletableFuture<HttpProbe.Response> b = fetchAsync(server, "profile?seconds=2");
            List<HttpProbe.Response> both = List.of(a.get(), b.get());

            assertThat(both).extracting(HttpProbe.Response::status).containsExactlyInAnyOrder(200, 500);
            HttpProbe.Response refused = both.get(0).status() == 500 ? both.get(0) : both.get(1);
            HttpProbe.Response served = both.get(0).status() == 500 ? both.get(1) : both.get(0);
            assertThat(refused.text()).isEqualTo("Could not enable CPU profiling: cpu profiling already in use\n");
            assertThat(refused.header("X-Go-Pprof")).isEqualTo("1");
            assertThat(burning(GoTool.raw(save(dir, "served", served)))).as("cpu ns on the burning methods, first profile")
                    .isPositive();
            // After the refusal the profiler must record again, and what it records must be the burning thread. A
            // loaded machine may starve the workload for a while: one more try with a longer window.
            RawProfile after = null;
            for (int seconds : new int[] {2, 5}) {
                after = GoTool.raw(server.url("profile?seconds=" + seconds));
                if (2 * burning(after) > after.total("cpu/nanoseconds")) break;
            }
            assertThat(after.sampleTypes).containsExactly("samples/count", "cpu/nanoseconds");
            assertThat(after.sum("samples/count", s -> s.hasFrame("CpuSplitWorkload.burn"))).isPositive();
            assertThat(burning(after)).as("cpu ns on the burning methods, of %d in all", after.total("cpu/nanoseconds"))
                    .isGreaterThan(after.total("cpu/nanoseconds") / 2);
            assertThat(after.sum("cpu/nanoseconds", s -> s.hasFrame("CpuSplitWorkload.burnSix")))
                    .as("burnSix gets 6 times burnOne's work")
                    .isGreaterThan(after.sum("cpu/nanoseconds", s -> s.hasFrame("CpuSplitWorkload.burnOne")));
        }
    }

    private static long burning(RawProfile cpu) {
        return cpu.sum("cpu/nanoseconds", s -> s.hasFrame("CpuSplitWorkload.burn"));
    }

    @Test
    void givenJunkRequests_whenSent_thenGoAnswersAndServerKeepsServingWithBoundedThreads() throws Exception {
        try (HttpJvm server = HttpJvm.start(Jdk.current(), ParkedThreadsWorkload.class, "", "600000")) {
            String longName = "x".repeat(60_000);
            Object[][] junk = {
                    {"GET", "/debug/pprof/goroutine?seconds=-5", 400, "invalid value for \"seconds\" - must be a positive integer\n"},
                    {"GET", "/debug/pprof/goroutine?seconds=1e3", 400, "invalid value for \"seconds\" - must be a positive integer\n"},
                    {"GET", "/debug/pprof/goroutine?seconds=%00", 400, "invalid value for \"seconds\" - must be a positive integer\n"},
                    // Go drops a pair with a bad escape; the JDK server refuses the whole URI first.
                    {"GET", "/debug/pprof/goroutine?seconds=%zz", 400, "<h1>400 Bad Request</h1>"},
                    {"GET", "/debug/pprof/threadcreate?seconds=9223372036854775807", 200, null},
                    {"GET", "/debug/pprof/goroutine?seconds=1", 200, null},
                    {"GET", "/debug/pprof/goroutine?debug=99999999999999999999", 200, "goroutine "},
                    {"GET", "/debug/pprof/" + longName, 404, "Unknown profile\n"},
                    {"GET", "/debug/pprof/goroutine?" + "debug=1&".repeat(5000), 200, "goroutine profile: total "},
                    {"DELETE", "/debug/pprof/nonexistent", 404, "Unknown profile\n"},
                    {"PUT", "/debug/pprof/goroutine?seconds=x", 400, "invalid value for \"seconds\" - must be a positive integer\n"},
                    {"OPTIONS", "/debug/pprof/symbol", 200, "num_symbols: 1\n"},
                    {"POST", "/debug/pprof/symbol", 200, "num_symbols: 1\n"},
                    {"GET", "/debug/pprof/../../etc/passwd", 301, null},
                    {"GET", "/etc/passwd", 404, "404 page not found\n"},
                    {"GET", "/debug/pprof/..%2F..%2Fetc%2Fpasswd", 301, null},
                    {"GET", "/debug/pprof/%2Fetc%2Fpasswd", 301, null},
            };
            for (int round = 0; round < 3; round++) {
                for (Object[] j : junk) {
                    byte[] body = j[0].equals("POST") ? "0x1+junk+0xffffffffffffffffff".getBytes() : null;

                    HttpProbe.Response r = server.http.send((String) j[0], (String) j[1], Map.of(), body);

                    String what = j[0] + " " + shorten((String) j[1]);
                    assertThat(r.status()).as("%s: got %s", what, r).isEqualTo(j[2]);
                    if (j[3] != null) assertThat(r.text()).as(what).startsWith((String) j[3]);
                }
            }
            // No memory kept per request: the heap in use after a full GC is about the same before and after a
            // stream of junk much larger than any bound below. The rounds above loaded every class this path needs.
            long heapBefore = heapInUseAfterGc(server);
            long junkBytes = 0;
            for (int i = 0; i < 200; i++) {
                for (String target : List.of("/debug/pprof/" + longName, "/debug/pprof/goroutine?" + "debug=1&".repeat(5000),
                        "/debug/pprof/threadcreate?seconds=9223372036854775807", "/debug/pprof/goroutine?seconds=%00")) {
                    HttpProbe.Response r = server.http.get(target);
                    assertThat(r.status()).as("%s: %s", shorten(target), r).isIn(200, 400, 404);
                    junkBytes += target.length();
                }
            }
            long heapAfter = heapInUseAfterGc(server);
            assertThat(heapAfter - heapBefore).as("heap in use after GC grew from %d to %d over %d bytes of junk requests",
                    heapBefore, heapAfter, junkBytes).isLessThan(4L * 1024 * 1024);
            assertThat(junkBytes).isGreaterThan(16L * 1024 * 1024);
            HttpProbe.Response redirect = server.http.get("/debug/pprof/../../etc/passwd");
            assertThat(redirect.header("Location")).as("cleaned, never a file").isEqualTo("/etc/passwd");

            String dump = server.http.get("/debug/pprof/goroutine?debug=2").text();
            Matcher m = Pattern.compile("\"(diag-http[^\"]*)\"").matcher(dump);
            List<String> httpThreads = new ArrayList<>();
            while (m.find()) httpThreads.add(m.group(1));
            // the worker answering is [running] without a name; at most 16 workers, the timer, the dispatcher and the
            // idle-connection timer
            assertThat(httpThreads.size() + 1).as("diag-http threads: %s", httpThreads).isLessThanOrEqualTo(19);
            assertThat(server.http.get("/debug/pprof/").status()).isEqualTo(200);
            // A worker counts itself idle only after its response has gone out, so the one that answered the request
            // before may still count as busy for a moment: no worker may stay busy, none need be idle at once.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                String now = server.http.get("/debug/vars").text();
                assertThat(number(now, "http.workers.busy")).as("workers busy besides this one").isLessThanOrEqualTo(1);
            });
            String vars = server.http.get("/debug/vars").text();
            assertThat(number(vars, "http.deltas.pending")).as("delta profiles still held").isZero();
            assertThat(number(vars, "http.requests")).isGreaterThanOrEqualTo(3L * junk.length);
            assertThat(server.jvm.isAlive()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenHeapWithGc1_whenFetched_thenAForcedGcRanDuringTheRequestAndTheProfileIsGos(Jdk jdk, @TempDir Path dir)
            throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "", "600000")) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(30));
            long numGc = number(server.http.get("/debug/vars").text(), "NumGC");
            long forced = number(server.http.get("/debug/vars").text(), "NumForcedGC");

            long start = System.currentTimeMillis();
            HttpProbe.Response heap = server.http.get("/debug/pprof/heap?gc=1");
            long end = System.currentTimeMillis();

            assertThat(number(server.http.get("/debug/vars").text(), "NumGC")).as("NumGC, which counts synchronously")
                    .isGreaterThan(numGc);
            // The workload never calls System.gc(): a collection with that cause can only be gc=1's. Its
            // notification, which NumForcedGC and LastGC count, comes on the JVM's own thread a moment later.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                    number(server.http.get("/debug/vars").text(), "NumForcedGC") > forced);
            String vars = server.http.get("/debug/vars").text();
            assertThat(number(vars, "NumForcedGC")).isEqualTo(forced + 1);
            // PauseEnd holds the end of each recent GC (unix ns): one of them ended while the request ran. An end is
            // the JVM's start time plus the GC's end in uptime, both truncated to ms: up to 2 ms early.
            List<Long> pauseEnds = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(vars).path("memstats").path("PauseEnd")
                    .forEach(n -> pauseEnds.add(n.asLong()));
            assertThat(pauseEnds).as("PauseEnd").anySatisfy(t ->
                    assertThat(t).isBetween((start - 2) * 1_000_000L, (end + 1) * 1_000_000L));
            assertThat(heap.header("Content-Disposition")).isEqualTo("attachment; filename=\"heap\"");
            RawProfile p = GoTool.raw(save(dir, "heap-gc", heap));
            assertThat(p.sampleTypes).isEqualTo(GO_TYPES.get("heap"));
            assertThat(p.header.get("PeriodType")).isEqualTo("space bytes");
        }
    }

    @Test
    void givenJvmStartedThroughASymlinkWithSpacesAndCommasInArguments_whenCmdline_thenItsArgvNulSeparated(
            @TempDir Path dir) throws Exception {
        Path launcher = Files.createSymbolicLink(dir.resolve("java"), Jdk.current().java());
        AgentJvm jvm = AgentJvm.of(ParkedThreadsWorkload.class).launcher(launcher).agent("http=127.0.0.1:0")
                .jvmArg("-Ddiag.it.note=two words, a comma=and equals").args("600000");
        try (HttpJvm server = HttpJvm.serve(jvm)) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(30));

            HttpProbe.Response r = server.http.get("/debug/pprof/cmdline");

            byte[] argv = Files.readAllBytes(Path.of("/proc", Long.toString(server.jvm.pid()), "cmdline"));
            assertThat(argv[argv.length - 1]).as("the kernel ends each argument with NUL").isZero();
            // Go's handler writes strings.Join(os.Args, "\x00"): argv as the kernel holds it, without the last NUL.
            assertThat(r.text()).isEqualTo(new String(argv, 0, argv.length - 1, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(r.text().split("\0", -1)).containsExactlyElementsOf(server.jvm.command());
            assertThat(r.text().split("\0", -1)[0]).as("argv[0] as typed, not the resolved executable")
                    .isEqualTo(launcher.toString());
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenPlatformThreadsParkedAndSleeping_whenGoroutineDebug2_thenGoPanicLayoutWithTheirFramesLinesAndStates(Jdk jdk)
            throws Exception {
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "", "600000")) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(30));
            Matcher ids = Pattern.compile("parked=([\\d,]+) main=(\\d+)").matcher(server.jvm.stdout());
            assertThat(ids.find()).as(server.jvm.stdout()).isTrue();

            HttpProbe.Response r = server.http.get("/debug/pprof/goroutine?debug=2");

            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            GoroutineDump dump = GoroutineDump.parse(r.text()); // fails on any line outside Go's layout
            assertThat(dump.first().running()).as("Go's first goroutine is the one answering").isTrue();
            assertThat(dump.first().hasFrame("dev.diag.http.ProfileHandler.serve")).isTrue();
            Path source = Path.of("src/test/java/dev/diag/it/workloads/ParkedThreadsWorkload.java");
            int awaitLine = lineOf(source, "NEVER.await();", null);
            int callLine = lineOf(source, "awaitForever();", "static void parkedPlatform()");
            int sleepLine = lineOf(source, "Thread.sleep(millis);", null);
            List<String> parkedNames = new ArrayList<>();
            for (String id : ids.group(1).split(",")) {
                GoroutineDump.Goroutine g = dump.goroutines.get(Long.parseLong(id));
                assertThat(g).as("goroutine %s (a parked thread's Java id) in:\n%s", id, r.text()).isNotNull();
                parkedNames.add(g.name());
                assertThat(g.state()).as("goroutine %s", id).isEqualTo("waiting");
                assertThat(g.lock()).as("what it waits on").startsWith("java.util.concurrent.CountDownLatch$Sync@");
                List<String> frames = g.frames().stream().map(GoroutineDump.Frame::toString).collect(Collectors.toList());
                assertThat(frames).as("goroutine %s", id).containsSubsequence(
                        "java.util.concurrent.CountDownLatch.await java/util/concurrent/CountDownLatch.java:" + g.frames().stream()
                                .filter(f -> f.function().equals("java.util.concurrent.CountDownLatch.await"))
                                .findFirst().map(GoroutineDump.Frame::line).orElse(-1),
                        "dev.diag.it.workloads.ParkedThreadsWorkload.awaitForever dev/diag/it/workloads/ParkedThreadsWorkload.java:" + awaitLine,
                        "dev.diag.it.workloads.ParkedThreadsWorkload.parkedPlatform dev/diag/it/workloads/ParkedThreadsWorkload.java:" + callLine);
                assertThat(g.frames().get(g.frames().size() - 1).function()).isEqualTo("java.lang.Thread.run");
                assertThat(g.frames().get(0).function()).as("the leaf: where the JVM parks")
                        .isEqualTo("jdk.internal.misc.Unsafe.park");
            }
            assertThat(parkedNames).containsExactlyInAnyOrder("parked-0", "parked-1", "parked-2", "parked-3", "parked-4",
                    "parked-5");
            GoroutineDump.Goroutine main = dump.goroutines.get(Long.parseLong(ids.group(2)));
            assertThat(main.name()).isEqualTo("main");
            assertThat(main.state()).as("Thread.sleep is Go's sleep").isEqualTo("sleep");
            assertThat(main.frames().get(0).function()).as("Thread.sleep, or its native sleep0 on JDK 21+")
                    .startsWith("java.lang.Thread.sleep");
            assertThat(main.frames()).contains(new GoroutineDump.Frame("dev.diag.it.workloads.ParkedThreadsWorkload.main",
                    "dev/diag/it/workloads/ParkedThreadsWorkload.java", sleepLine));
        }
    }

    @Test
    void givenVirtualThreads_whenGoroutineProfileAndDump_thenTheyAreGoroutines() throws Exception {
        Jdk jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk != null, "virtual threads need JDK 21+; none found");
        try (HttpJvm server = HttpJvm.start(jdk, ParkedThreadsWorkload.class, "", "600000", "25")) {
            server.jvm.awaitStdout("ready", Duration.ofSeconds(30));

            String dump = server.http.get("/debug/pprof/goroutine?debug=2").text();
            RawProfile g = GoTool.raw(server.url("goroutine"));

            assertThat(dump).startsWith("goroutine ").contains(" [running]:\n");
            assertThat(count(dump, "(?m)^goroutine \\d+ \\[waiting[^\\]]*, virtual\\]:$")).isEqualTo(25);
            assertThat(dump).contains("dev.diag.it.workloads.ParkedThreadsWorkload.parkedVirtual(...)\n\tdev/diag/it/workloads/ParkedThreadsWorkload.java:");
            assertThat(g.sum("goroutine/count", s -> s.hasFrame("ParkedThreadsWorkload.parkedVirtual"))).isEqualTo(25);
            assertThat(g.sum("goroutine/count", s -> s.hasFrame("ParkedThreadsWorkload.parkedPlatform")))
                    .isEqualTo(ParkedThreadsWorkload.PLATFORM);
        }
    }

    @Test
    void givenVarsPage_whenFetched_thenExpvarLayoutGoKeysAndJvmValues() throws Exception {
        try (HttpJvm server = HttpJvm.start(Jdk.current(), ParkedThreadsWorkload.class, "", "600000")) {
            server.http.get("/debug/pprof/");

            HttpProbe.Response r = server.http.get("/debug/vars");

            assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
            String body = r.text();
            assertThat(body).startsWith("{\n\"cmdline\": [").endsWith("\n}\n").contains(",\n\"memstats\": {");
            for (String key : List.of("Alloc", "TotalAlloc", "Sys", "Lookups", "Mallocs", "Frees", "HeapAlloc",
                    "HeapSys", "HeapIdle", "HeapInuse", "HeapReleased", "HeapObjects", "StackInuse", "StackSys",
                    "MSpanInuse", "MSpanSys", "MCacheInuse", "MCacheSys", "BuckHashSys", "GCSys", "OtherSys", "NextGC",
                    "LastGC", "PauseTotalNs", "PauseNs", "PauseEnd", "NumGC", "NumForcedGC", "GCCPUFraction",
                    "EnableGC", "DebugGC", "BySize")) {
                assertThat(body).as("memstats.%s", key).contains("\"" + key + "\":");
            }
            assertThat(number(body, "HeapAlloc")).isPositive();
            assertThat(number(body, "HeapSys")).isGreaterThanOrEqualTo(number(body, "HeapAlloc"));
            assertThat(number(body, "http.requests")).as("diag's own counters").isGreaterThanOrEqualTo(2);
            assertThat(number(body, "Threads")).isGreaterThanOrEqualTo(ParkedThreadsWorkload.PLATFORM + 1);
            assertThat(body).contains("\"dev.diag.it.workloads.ParkedThreadsWorkload\"");
        }
    }

    /**
     * Returns the smallest HeapAlloc of three reads, each right after a full GC run by {@code jcmd PID GC.run}: a GC
     * through heap?gc=1 would be followed by the heap profile's own allocations, a few MiB of noise.
     */
    private static long heapInUseAfterGc(HttpJvm server) throws Exception {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            Process jcmd = new ProcessBuilder(Jdk.current().home().resolve("bin/jcmd").toString(),
                    Long.toString(server.jvm.pid()), "GC.run").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(jcmd.waitFor()).as("jcmd GC.run: %s", out).isZero();
            min = Math.min(min, number(server.http.get("/debug/vars").text(), "HeapAlloc"));
        }
        return min;
    }

    /** Returns the 1-based line of the first {@code text} in {@code file} after the first line holding {@code after}. */
    private static int lineOf(Path file, String text, String after) throws Exception {
        List<String> lines = Files.readAllLines(file);
        boolean past = after == null;
        for (int i = 0; i < lines.size(); i++) {
            if (!past) {
                past = lines.get(i).contains(after);
                continue;
            }
            if (lines.get(i).contains(text)) return i + 1;
        }
        throw new AssertionError("no \"" + text + "\" in " + file);
    }

    private static List<String> indexedProfiles(HttpJvm server) throws Exception {
        String index = server.http.get("/debug/pprof/").text();
        Matcher m = Pattern.compile("<a href='([^'?]+)\\?debug=1'>").matcher(index);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            if (!List.of("cmdline", "profile", "trace").contains(m.group(1))) out.add(m.group(1));
        }
        return out;
    }

    private static CompletableFuture<HttpProbe.Response> fetchAsync(HttpJvm server, String pprofPath) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.http.get("/debug/pprof/" + pprofPath);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static Path save(Path dir, String name, HttpProbe.Response r) throws Exception {
        assertThat(r.status()).as("%s: %s", name, r).isEqualTo(200);
        return Files.write(dir.resolve(name + ".pb.gz"), r.body());
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?\\d+)").matcher(json);
        assertThat(m.find()).as("%s in %s", key, json.length() > 400 ? json.substring(0, 400) : json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + ")" : s;
    }
}
