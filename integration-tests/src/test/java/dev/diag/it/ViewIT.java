package dev.diag.it;

import dev.diag.it.workloads.ViewWorkload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a person sees of diag's viewer in a real browser (headless Chromium, no network beyond 127.0.0.1):
 * {@code /debug/pprof/ui/} and the profiles it opens in speedscope, and the HTML file {@code java -jar diag.jar view}
 * writes, opened from {@code file://}. speedscope draws flame graphs on a canvas, so the views are opened in its
 * sandwich mode ({@code #view=sandwich}), whose table lists the functions as DOM text after a successful import.
 * Screenshots go to {@code target/view-it/} for a look. The pages and files do not depend on the JDK, so one JDK
 * runs most tests; what depends on the profiles the JDK gives (sample types, labels, windows) runs on every JDK.
 */
class ViewIT {
    private static final Path SHOTS = Path.of("target", "view-it");
    private static final Pattern LINK = Pattern.compile("<a href=\"([^\"]*)\">([^<]*)</a>");
    private static final String WORKLOAD = "dev.diag.it.workloads.ViewWorkload.";
    private static final Map<Integer, HttpJvm> SERVERS = new java.util.HashMap<>();
    private static HttpJvm server;

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @BeforeAll
    static void startWorkload() throws Exception {
        server = server(Jdk.current());
    }

    /** The workload on {@code jdk}, started on first use and kept for the class. */
    private static synchronized HttpJvm server(Jdk jdk) throws Exception {
        HttpJvm s = SERVERS.get(jdk.feature());
        if (s == null) {
            s = HttpJvm.start(jdk, ViewWorkload.class, "");
            SERVERS.put(jdk.feature(), s);
            s.jvm.awaitStdout("ready", Duration.ofSeconds(60));
        }
        return s;
    }

    @AfterAll
    static void stopWorkload() {
        SERVERS.values().forEach(HttpJvm::close);
    }

    private static void assumeChromium() {
        String why = HeadlessChromium.unavailable();
        assumeTrue(why == null, "headless Chromium cannot run here, so nothing can be rendered: " + why);
    }

    @Test
    void givenServingJvm_whenUiPageOpens_thenEveryServedProfileHasAViewerLink() throws Exception {
        assumeChromium();

        String text = HeadlessChromium.text(server.url("ui/"), t -> t.contains("Profiles"));
        HeadlessChromium.screenshot(server.url("ui/"), SHOTS.resolve("ui.png"));

        assertThat(text).contains("Profiles", "speedscope");
        String page = server.http.get("/debug/pprof/ui/").text();
        for (String name : List.of("profile", "allocs", "block", "goroutine", "heap", "mutex", "threadcreate")) {
            assertThat(text).as("got %s; want the row of %s", text, name).contains(name);
            assertThat(viewerLinks(page)).as("viewer links on the page").anyMatch(l -> l.equals(
                    "view/" + name + (name.equals("profile") ? "?seconds=10" : "")));
        }
    }

    @Test
    void givenBurnerMethod_whenCpuLinkOpens_thenSpeedscopeListsIt() throws Exception {
        assumeChromium();
        String cpuLink = viewerLinks(server.http.get("/debug/pprof/ui/").text()).stream()
                .filter(l -> l.equals("view/profile?seconds=10")).findFirst().orElseThrow();
        // The page offers 10 s and 30 s; 3 s is enough for the burner and keeps the test short.
        String url = server.url("ui/") + cpuLink.replace("seconds=10", "seconds=3");

        String text = HeadlessChromium.text(url + "#view=sandwich", t -> t.contains("viewBurner"));
        HeadlessChromium.screenshot(url + "#view=left-heavy", SHOTS.resolve("cpu-left-heavy.png"));

        assertImported(text, "profile");
        assertThat(text).contains("dev.diag.it.workloads.ViewWorkload.viewBurner");
    }

    @Test
    void givenHoardingMethod_whenHeapLinkOpens_thenSpeedscopeListsIt() throws Exception {
        assumeChromium();
        String heapLink = viewerLinks(server.http.get("/debug/pprof/ui/").text()).stream()
                .filter(l -> l.equals("view/heap")).findFirst().orElseThrow();
        String url = server.url("ui/") + heapLink;

        String text = HeadlessChromium.text(url + "#view=sandwich", t -> t.contains("viewHoarder"));
        HeadlessChromium.screenshot(url + "#view=left-heavy", SHOTS.resolve("heap-left-heavy.png"));

        assertImported(text, "heap");
        assertThat(text).contains("dev.diag.it.workloads.ViewWorkload.viewHoarder");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenHeapView_whenAllocSpacePicked_thenTheAllocatorShowsAndNotTheBurner(Jdk jdk) throws Exception {
        assumeChromium();
        String url = server(jdk).url("ui/view/heap");

        String inuse = HeadlessChromium.text(url + "#view=sandwich", t -> t.contains("viewHoarder"));
        String allocated = HeadlessChromium.text(url + "#view=sandwich&sample_type=alloc_space",
                t -> t.contains("viewAllocator"));
        HeadlessChromium.screenshot(url + "#view=left-heavy&sample_type=alloc_space",
                SHOTS.resolve("heap-alloc-space-jdk" + jdk.feature() + ".png"));

        assertImported(inuse, "heap");
        assertThat(inuse).contains("Sample type: alloc_objects (count) alloc_space (bytes) inuse_objects (count)"
                + " inuse_space (bytes)", "Showing inuse_space", WORKLOAD + "viewHoarder");
        assertImported(allocated, "heap");
        assertThat(allocated).contains("Showing alloc_space", WORKLOAD + "viewAllocator")
                .doesNotContain("viewBurner");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenCpuWindowWithSampleType_whenOneLabelValueFocused_thenOnlyItsMethodShows(Jdk jdk) throws Exception {
        assumeChromium();
        String url = server(jdk).url("ui/view/profile?seconds=3&sample_type=cpu&tagfocus=worker%3Dbeta");

        String beta = HeadlessChromium.text(url + "#view=sandwich", t -> t.contains("betaWork"));
        HeadlessChromium.screenshot(url + "#view=left-heavy", SHOTS.resolve("cpu-beta-jdk" + jdk.feature() + ".png"));

        assertImported(beta, "profile (3 s)");
        assertThat(beta).contains("Sample type: samples (count) cpu (nanoseconds)",
                "Label focus: all samples | worker: alpha beta", "Showing cpu of samples with worker=beta",
                WORKLOAD + "betaWork").doesNotContain("viewBurner");
        assertOnlyStray(beta, "alphaWork");
    }

    @Test
    void givenChoiceTheProfileLacks_whenViewAsked_then400NamesWhatItHas() throws Exception {
        HttpProbe.Response type = server.http.get("/debug/pprof/ui/view/heap?sample_type=bogus");
        HttpProbe.Response focus = server.http.get("/debug/pprof/ui/view/heap?tagfocus=worker");
        HttpProbe.Response value = server.http.get("/debug/pprof/ui/view/profile?seconds=1&tagfocus=worker%3Dgamma");
        HttpProbe.Response page = server.http.get("/debug/pprof/ui/view/heap?sample_type=alloc_space");
        HttpProbe.Response goHeap = server.http.get("/debug/pprof/heap?sample_type=bogus&tagfocus=worker");

        assertThat(type.status()).as("%s", type).isEqualTo(400);
        assertThat(type.text()).isEqualTo("unknown sample_type \"bogus\": this profile has alloc_objects, alloc_space,"
                + " inuse_objects, inuse_space\n");
        assertThat(focus.status()).as("%s", focus).isEqualTo(400);
        assertThat(focus.text()).startsWith("tagfocus must be KEY=VALUE, not \"worker\"");
        assertThat(value.status()).as("%s", value).isEqualTo(400);
        assertThat(value.text()).isEqualTo("no sample has label worker=gamma; worker's values: alpha, beta\n");
        assertThat(page.status()).as("%s", page).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.text()).contains("Sample type:", "loadFileFromBase64");
        // Go's endpoints know no such parameters: the profile is served whole, as Go serves it.
        assertThat(goHeap.status()).as("%s", goHeap).isEqualTo(200);
        assertThat(goHeap.header("Content-Type")).isEqualTo("application/octet-stream");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenHeapFile_whenViewWritesHtml_thenItSwitchesSampleTypeOffline(Jdk jdk, @TempDir Path dir)
            throws Exception {
        assumeChromium();
        Path heap = dir.resolve("heap.pb.gz");
        Files.write(heap, server(jdk).http.get("/debug/pprof/heap").body());
        Path html = dir.resolve("heap.html");

        DiagCli.Result r = DiagCli.run(jdk, "view", heap.toString(), "-o", html.toString());
        DiagCli.Result bad = DiagCli.run(jdk, "view", heap.toString(), "-sample_type", "cpu");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertSelfContained(html);
        String inuse = HeadlessChromium.text(html.toUri() + "#view=sandwich", t -> t.contains("viewHoarder"));
        String allocated = HeadlessChromium.text(html.toUri() + "#view=sandwich&sample_type=alloc_space",
                t -> t.contains("viewAllocator"));
        HeadlessChromium.screenshot(html.toUri() + "#view=left-heavy&sample_type=alloc_space",
                SHOTS.resolve("view-heap-alloc-space-jdk" + jdk.feature() + ".png"));
        assertImported(inuse, "heap.pb.gz");
        assertThat(inuse).contains("Showing inuse_space", WORKLOAD + "viewHoarder");
        assertImported(allocated, "heap.pb.gz");
        assertThat(allocated).contains("Showing alloc_space", WORKLOAD + "viewAllocator").doesNotContain("viewBurner");
        assertThat(bad.exitCode()).as("%s", bad).isEqualTo(1);
        assertThat(bad.stderr()).isEqualTo("diag: view: " + heap + ": unknown sample_type \"cpu\": this profile has"
                + " alloc_objects, alloc_space, inuse_objects, inuse_space\n");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void givenCpuFile_whenViewWritesHtmlWithTagfocus_thenItOpensOnThatWorkerAndSwitchesOffline(Jdk jdk,
            @TempDir Path dir) throws Exception {
        assumeChromium();
        Path cpu = dir.resolve("cpu.pb.gz");
        Files.write(cpu, server(jdk).http.get("/debug/pprof/profile?seconds=3").body());

        DiagCli.Result r = DiagCli.run(jdk, "view", cpu.toString(), "-tagfocus", "worker=beta");

        assertThat(r.exitCode()).as("%s", r).isZero();
        Path html = dir.resolve("cpu.html");
        String beta = HeadlessChromium.text(html.toUri() + "#view=sandwich", t -> t.contains("betaWork"));
        String alpha = HeadlessChromium.text(html.toUri() + "#view=sandwich&tagfocus=worker%3Dalpha",
                t -> t.contains("alphaWork"));
        String all = HeadlessChromium.text(html.toUri() + "#view=sandwich&tagfocus=", t -> t.contains("viewBurner"));
        assertThat(beta).contains("Showing cpu of samples with worker=beta", WORKLOAD + "betaWork")
                .doesNotContain("viewBurner");
        assertOnlyStray(beta, "alphaWork");
        assertThat(alpha).contains("Showing cpu of samples with worker=alpha", WORKLOAD + "alphaWork")
                .doesNotContain("viewBurner");
        assertOnlyStray(alpha, "betaWork");
        // speedscope's table draws only the rows in sight: both workers' shared leaf stands for them here.
        assertThat(all).contains("Showing cpu ", WORKLOAD + "viewSpin", WORKLOAD + "viewBurner")
                .doesNotContain("Showing cpu of samples with");
    }

    @Test
    void givenViewerFiles_whenRequested_thenOnlyPackedNamesAnswerWithTheirTypes() throws Exception {
        String index = server.http.get("/debug/pprof/ui/speedscope/index.html").text();
        Matcher script = Pattern.compile("src=\"(speedscope-[A-Z0-9]+\\.js)\"").matcher(index);
        assertThat(script.find()).as("speedscope's index.html names its script: %s", index).isTrue();

        HttpProbe.Response js = server.http.get("/debug/pprof/ui/speedscope/" + script.group(1));
        HttpProbe.Response license = server.http.get("/debug/pprof/ui/speedscope/LICENSE");
        HttpProbe.Response list = server.http.get("/debug/pprof/ui/speedscope/files.txt");
        HttpProbe.Response nested = server.http.get("/debug/pprof/ui/speedscope/index.html/x");
        HttpProbe.Response other = server.http.get("/debug/pprof/ui/index.html");
        HttpProbe.Response profileNamedUi = server.http.get("/debug/pprof/ui");

        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.header("Cache-Control")).isEqualTo("max-age=31536000, immutable");
        assertThat(js.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(license.text()).contains("MIT License", "Jamie Wong");
        assertThat(license.header("Cache-Control")).isEqualTo("no-cache");
        for (HttpProbe.Response r : List.of(list, nested, other)) {
            assertThat(r.status()).as("got %s", r).isEqualTo(404);
            assertThat(r.text()).isEqualTo("404 page not found\n");
        }
        // Without the slash it is still a profile name, as in Go.
        assertThat(profileNamedUi.status()).isEqualTo(404);
        assertThat(profileNamedUi.text()).isEqualTo("Unknown profile\n");
    }

    @Test
    void givenToken_whenUiRequestedWithoutIt_thenRefusedAsEveryOtherPath() throws Exception {
        try (HttpJvm guarded = HttpJvm.start(Jdk.current(), ViewWorkload.class, "http.token=s3cret")) {
            HttpProbe.Response bare = guarded.http.get("/debug/pprof/ui/");
            HttpProbe.Response bareFile = guarded.http.get("/debug/pprof/ui/speedscope/index.html");
            HttpProbe.Response bareView = guarded.http.get("/debug/pprof/ui/view/heap");
            HttpProbe.Response bearer = guarded.http.send("GET", "/debug/pprof/ui/",
                    Map.of("Authorization", "Bearer s3cret"), null);

            assertThat(bare.status()).isEqualTo(401);
            assertThat(bareFile.status()).isEqualTo(401);
            assertThat(bareView.status()).isEqualTo(401);
            assertThat(bearer.status()).isEqualTo(200);
            assertThat(bearer.text()).contains("Profiles");
            DiagCli.Result view = DiagCli.run(Jdk.current(), "view", guarded.url("heap"));
            assertThat(view.exitCode()).as("%s", view).isEqualTo(1);
            assertThat(view.stderr()).startsWith("diag: view: cannot read " + guarded.url("heap")
                    + ": the server answered 401: Unauthorized (the endpoint has a token: curl -H");
        }
    }

    @Test
    void givenHeapUrl_whenViewWritesHtml_thenItOpensOfflineWithTheHoarder(@TempDir Path dir) throws Exception {
        assumeChromium();
        Path html = dir.resolve("heap.html");

        DiagCli.Result r = DiagCli.run(Jdk.current(), "view", server.url("heap"), "-o", html.toString());

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertSelfContained(html);
        String text = HeadlessChromium.text(html.toUri() + "#view=sandwich", t -> t.contains("viewHoarder"));
        assertImported(text, "heap");
        assertThat(text).contains("dev.diag.it.workloads.ViewWorkload.viewHoarder");
    }

    @Test
    void givenDiagCpuFile_whenViewWritesHtml_thenItOpensOfflineFromFileWithTheBurner(@TempDir Path dir)
            throws Exception {
        assumeChromium();
        Path profile = dir.resolve("cpu.pb.gz");
        Files.write(profile, server.http.get("/debug/pprof/profile?seconds=3").body());

        DiagCli.Result r = DiagCli.run(Jdk.current(), "view", profile.toString());

        assertThat(r.exitCode()).as("%s", r).isZero();
        Path html = dir.resolve("cpu.html");
        assertThat(r.stdout()).contains("diag: wrote " + html);
        assertSelfContained(html);
        String text = HeadlessChromium.text(html.toUri() + "#view=sandwich", t -> t.contains("viewBurner"));
        HeadlessChromium.screenshot(html.toUri() + "#view=left-heavy", SHOTS.resolve("view-cpu-left-heavy.png"));
        assertImported(text, "cpu.pb.gz");
        assertThat(text).contains("dev.diag.it.workloads.ViewWorkload.viewBurner");
    }

    @Test
    void givenGoWrittenProfile_whenViewWritesHtmlWithO_thenItOpensWithTheBurner(@TempDir Path dir) throws Exception {
        assumeChromium();
        Path diagFile = dir.resolve("cpu.pb.gz");
        Files.write(diagFile, server.http.get("/debug/pprof/profile?seconds=3").body());
        Path goFile = dir.resolve("go-written.pb.gz");
        // Go's own encoder (github.com/google/pprof's profile package) rewrites it: a pprof file diag did not write.
        GoTool.Result go = GoTool.run(List.of("go", "tool", "pprof", "-proto", "-output", goFile.toString(),
                diagFile.toString()), 120);
        assertThat(go.exitCode()).as("go tool pprof -proto: %s", go.stderr()).isZero();
        Path html = dir.resolve("for-the-ticket.html");

        DiagCli.Result r = DiagCli.run(Jdk.current(), "view", goFile.toString(), "-o", html.toString());

        assertThat(r.exitCode()).as("%s", r).isZero();
        String text = HeadlessChromium.text(html.toUri() + "#view=sandwich", t -> t.contains("viewBurner"));
        assertImported(text, "go-written.pb.gz");
        assertThat(text).contains("dev.diag.it.workloads.ViewWorkload.viewBurner");
    }

    @Test
    void givenBadInputs_whenView_thenDiagErrorsAndNoHtml(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.pb.gz");
        Files.writeString(text, "this is not a profile\n");

        DiagCli.Result missing = DiagCli.run(Jdk.current(), "view", dir.resolve("absent.pb.gz").toString());
        DiagCli.Result notPprof = DiagCli.run(Jdk.current(), "view", text.toString());
        DiagCli.Result folder = DiagCli.run(Jdk.current(), "view", dir.toString());
        DiagCli.Result none = DiagCli.run(Jdk.current(), "view");

        assertThat(missing.exitCode()).as("%s", missing).isEqualTo(1);
        assertThat(missing.stderr()).isEqualTo("diag: view: cannot read " + dir.resolve("absent.pb.gz") + ": not found\n");
        assertThat(notPprof.exitCode()).as("%s", notPprof).isEqualTo(1);
        assertThat(notPprof.stderr()).startsWith("diag: view: " + text + " is not a pprof profile: ");
        assertThat(folder.exitCode()).as("%s", folder).isEqualTo(1);
        assertThat(folder.stderr()).startsWith("diag: view: cannot read " + dir + ": ");
        assertThat(none.exitCode()).as("%s", none).isEqualTo(2);
        assertThat(none.stderr()).contains("usage: java -jar diag.jar view FILE|URL [-o OUT.html] [-sample_type NAME]"
                + " [-tagfocus KEY=VALUE]");
        assertThat(dir.resolve("notes.html")).doesNotExist();
    }

    /**
     * The other worker's method is absent from a focused view, or a stray sample at most: the profiler stamps a CPU
     * sample with the labels of its moment, and one taken as the thread switches from one worker's scope to the
     * other's can carry the new label with the old frame (seen: 1 sample of 157 in a 3 s window). The sandwich row is
     * "TOTAL (P%) SELF (Q%) NAME"; a worker's own method has nearly all of its focused view.
     */
    private static void assertOnlyStray(String text, String method) {
        Matcher row = Pattern.compile("\\S+ \\(([0-9.]+)%\\) \\S+ \\([^)]*\\) " + Pattern.quote(WORKLOAD + method))
                .matcher(text);
        if (row.find()) {
            assertThat(Double.parseDouble(row.group(1))).as("%s's share of the other worker's view: %s", method, text)
                    .isLessThan(5.0);
        }
    }

    /** speedscope shows the title in its toolbar once an import succeeded, and a banner when it failed. */
    private static void assertImported(String text, String title) {
        assertThat(text).as("got %s", text).contains("Sandwich", title)
                .doesNotContain("Something went wrong", "Unrecognized format", "Welcome to");
    }

    /** Nothing in the file points outside it: no script, style, font or image from a URL. */
    private static void assertSelfContained(Path html) throws IOException {
        String s = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(s).doesNotContainPattern("(?i)<(script|link|img)[^>]*(src|href)=\"(https?:)?//")
                .doesNotContainPattern("(?i)url\\(\"?(https?:)?//")
                .contains("data:font/woff2;base64,");
    }

    private static List<String> viewerLinks(String page) {
        List<String> links = new java.util.ArrayList<>();
        Matcher m = LINK.matcher(page);
        while (m.find()) {
            String href = m.group(1).replace("&amp;", "&");
            if (href.startsWith("view/")) links.add(href);
        }
        return links;
    }
}
