package dev.diag.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, as a person's browser: loads a URL, lets its scripts run, and returns the text
 * the page shows (the rendered DOM without script and style elements) or a screenshot. Every host but 127.0.0.1
 * resolves to nothing, so a page that needed the network would show it. {@code .ci/run} installs the package.
 */
public final class HeadlessChromium {
    private static final String BINARY = "chromium";
    private static String unavailable;
    private static boolean probed;

    private HeadlessChromium() {}

    /** Returns why chromium cannot run here, or null when it can; asked once per test JVM. */
    public static synchronized String unavailable() {
        if (!probed) {
            probed = true;
            try {
                Run r = run(List.of("--dump-dom", "data:text/html,<p>ok</p>"), Duration.ofSeconds(60));
                if (r.exit != 0 || !r.stdout.contains("<p>ok</p>")) {
                    unavailable = BINARY + " --headless did not render a page (exit " + r.exit + "): " + tail(r.stderr);
                }
            } catch (IOException e) {
                unavailable = "cannot start " + BINARY + " (Debian: apt-get install chromium; .ci/run does): " + e.getMessage();
            }
        }
        return unavailable;
    }

    /**
     * Returns the text {@code url} shows once {@code shows} accepts it, rendering again with a doubled time budget
     * (from 10 s, three tries) while it does not: speedscope fetches and imports asynchronously. The window is tall
     * because speedscope's sandwich table puts only the rows in sight into the page, sorted by self time, and a
     * profile sampled by perf_events carries kernel frames with a little self time each that would otherwise push a
     * method whose time is all in its callees out of the text.
     */
    public static String text(String url, Predicate<String> shows) throws IOException {
        String text = "";
        for (int budget = 10_000; budget <= 40_000; budget *= 2) {
            Run r = run(List.of("--virtual-time-budget=" + budget, "--window-size=1400,4000", "--dump-dom", url),
                    Duration.ofSeconds(120));
            text = visibleText(r.stdout);
            if (shows.test(text)) return text;
        }
        return text;
    }

    /** Saves a 1400x900 screenshot of {@code url} to {@code png} (for a person to look at; nothing asserts on it). */
    public static void screenshot(String url, Path png) throws IOException {
        Files.createDirectories(png.getParent());
        run(List.of("--virtual-time-budget=15000", "--window-size=1400,900", "--screenshot=" + png.toAbsolutePath(),
                url), Duration.ofSeconds(120));
    }

    /** The page's text as a person reads it: script and style bodies dropped, tags removed, spaces collapsed. */
    static String visibleText(String dom) {
        String s = dom.replaceAll("(?is)<script\\b.*?</script>", " ").replaceAll("(?is)<style\\b.*?</style>", " ");
        s = s.replaceAll("<[^>]*>", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        return s.replaceAll("\\s+", " ").trim();
    }

    private record Run(int exit, String stdout, String stderr) {}

    private static Run run(List<String> args, Duration timeout) throws IOException {
        Path profile = Files.createTempDirectory("diag-chromium");
        Path out = Files.createTempFile("diag-chromium-out", ".html");
        Path err = Files.createTempFile("diag-chromium-err", ".txt");
        List<String> cmd = new ArrayList<>(List.of(BINARY, "--headless", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--user-data-dir=" + profile));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new IOException(BINARY + " did not finish in " + timeout.toSeconds() + " s: " + cmd);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String tail(String s) {
        return s.length() <= 600 ? s : "..." + s.substring(s.length() - 600);
    }
}
