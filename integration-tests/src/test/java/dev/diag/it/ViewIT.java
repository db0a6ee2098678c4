package dev.diag.it;

import dev.diag.it.workloads.ViewWorkload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Screenshots go to {@code target/view-it/} for a look. The viewer does not depend on the JDK, so one JDK runs it.
 */
class ViewIT {
    private static final Path SHOTS = Path.of("target", "view-it");
    private static final Pattern LINK = Pattern.compile("<a href=\"([^\"]*)\">([^<]*)</a>");
    private static HttpJvm server;

    @BeforeAll
    static void startWorkload() throws Exception {
        server = HttpJvm.start(Jdk.current(), ViewWorkload.class, "");
        server.jvm.awaitStdout("ready", Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopWorkload() {
        if (server != null) server.close();
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
            assertThat(viewerLinks(page)).as("viewer links on the page").anyMatch(l -> l.contains(
                    "profileURL=..%2F..%2F" + name + (name.equals("profile") ? "%3Fseconds%3D" : "")));
        }
    }

    @Test
    void givenBurnerMethod_whenCpuLinkOpens_thenSpeedscopeListsIt() throws Exception {
        assumeChromium();
        String cpuLink = viewerLinks(server.http.get("/debug/pprof/ui/").text()).stream()
                .filter(l -> l.contains("profileURL=..%2F..%2Fprofile%3Fseconds%3D10")).findFirst().orElseThrow();
        // The page offers 10 s and 30 s; 3 s is enough for the burner and keeps the test short.
        String url = server.url("ui/") + cpuLink.replace("seconds%3D10", "seconds%3D3");

        String text = HeadlessChromium.text(url + "&view=sandwich", t -> t.contains("viewBurner"));
        HeadlessChromium.screenshot(url + "&view=left-heavy", SHOTS.resolve("cpu-left-heavy.png"));

        assertImported(text, "profile");
        assertThat(text).contains("dev.diag.it.workloads.ViewWorkload.viewBurner");
    }

    @Test
    void givenHoardingMethod_whenHeapLinkOpens_thenSpeedscopeListsIt() throws Exception {
        assumeChromium();
        String heapLink = viewerLinks(server.http.get("/debug/pprof/ui/").text()).stream()
                .filter(l -> l.endsWith("profileURL=..%2F..%2Fheap&title=heap")).findFirst().orElseThrow();
        String url = server.url("ui/") + heapLink;

        String text = HeadlessChromium.text(url + "&view=sandwich", t -> t.contains("viewHoarder"));
        HeadlessChromium.screenshot(url + "&view=left-heavy", SHOTS.resolve("heap-left-heavy.png"));

        assertImported(text, "heap");
        assertThat(text).contains("dev.diag.it.workloads.ViewWorkload.viewHoarder");
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
            HttpProbe.Response bearer = guarded.http.send("GET", "/debug/pprof/ui/",
                    Map.of("Authorization", "Bearer s3cret"), null);

            assertThat(bare.status()).isEqualTo(401);
            assertThat(bareFile.status()).isEqualTo(401);
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
        assertThat(none.stderr()).contains("usage: java -jar diag.jar view FILE|URL [-o OUT.html]");
        assertThat(dir.resolve("notes.html")).doesNotExist();
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
            if (href.startsWith("speedscope/index.html#")) links.add(href);
        }
        return links;
    }
}
