package dev.diag.bench.attach;

import dev.diag.bench.Medians;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures dynamic attach end to end, per round on a fresh {@link TickingApp} JVM: the time from starting
 * {@code java -jar diag.jar attach PID http=0} until the command returns and until {@code /debug/pprof/} answers
 * 200, the part of it the target itself reports in the attach answer ({@code started ... in N ms}: diag's start-up
 * there, without the CLI JVM's own start), and the largest gap the application's 1 ms ticker saw while that happened,
 * next to the largest gap in the 2 s before (the machine's own noise).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.diag.bench.attach.AttachLatency agent/target/diag.jar [ROUNDS] [JAVA]
 * </pre>
 */
public final class AttachLatency {
    private static final Pattern SAFEPOINT_TOTAL = Pattern.compile("Total: (\\d+) ns");
    private static final Pattern LISTENING = Pattern.compile("http listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern STARTED_IN = Pattern.compile(" started with .* in (\\d+) ms");

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String java = args.length > 2 ? args[2] : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Path.of(AttachLatency.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        List<Long> commandMs = new ArrayList<>();
        List<Long> endpointMs = new ArrayList<>();
        List<Long> gapMs = new ArrayList<>();
        List<Long> baselineMs = new ArrayList<>();
        List<Long> redefineUs = new ArrayList<>();
        List<Long> safepointUs = new ArrayList<>();
        List<Long> targetMs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long[] m = round(java, classpath, jar);
            commandMs.add(m[0]);
            endpointMs.add(m[1]);
            gapMs.add(m[2]);
            baselineMs.add(m[3]);
            redefineUs.add(m[4]);
            safepointUs.add(m[5]);
            targetMs.add(m[6]);
            System.out.printf("round %d: attach command %d ms (target's own start-up %d ms), endpoint answering %d ms, "
                    + "max tick gap during %d ms (before: %d ms), RedefineClasses pause %d us, all safepoints %d us%n",
                    r + 1, m[0], m[6], m[1], m[2], m[3], m[4], m[5]);
        }
        System.out.printf("median of %d: attach command %d ms (target's own start-up %d ms), endpoint answering %d ms, "
                + "max tick gap during %d ms (before: %d ms), RedefineClasses pause %d us, all safepoints %d us%n",
                rounds, Medians.of(commandMs), Medians.of(targetMs), Medians.of(endpointMs), Medians.of(gapMs),
                Medians.of(baselineMs),
                Medians.of(redefineUs), Medians.of(safepointUs));
    }

    /**
     * Returns {command ms, endpoint ms, max gap during attach ms, max gap in the 2 s before ms, RedefineClasses
     * pause us, all safepoints us, the target's own start-up ms}.
     */
    private static long[] round(String java, String classpath, Path jar) throws Exception {
        Path safepoints = Files.createTempFile("diag-attach-safepoints", ".log");
        Process app = new ProcessBuilder(java, "-Xlog:safepoint:file=" + safepoints, "-cp", classpath,
                TickingApp.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<long[]> gaps = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> readGaps(app, gaps));
        reader.setDaemon(true);
        reader.start();
        try {
            while (gaps.isEmpty()) Thread.sleep(10);
            Thread.sleep(2000);
            long startWall = System.currentTimeMillis();
            long start = System.nanoTime();
            Process cli = new ProcessBuilder(java, "-jar", jar.toString(), "attach", Long.toString(app.pid()), "http=0")
                    .redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) throw new IllegalStateException(out);
            long command = System.nanoTime() - start;
            Matcher m = LISTENING.matcher(out);
            if (!m.find()) throw new IllegalStateException("no port in: " + out);
            Matcher startedIn = STARTED_IN.matcher(out);
            if (!startedIn.find()) throw new IllegalStateException("no start-up time in: " + out);
            URI index = URI.create("http://127.0.0.1:" + m.group(1) + "/debug/pprof/");
            while (status(index) != 200) Thread.sleep(1);
            long endpoint = System.nanoTime() - start;
            long endWall = System.currentTimeMillis();
            Thread.sleep(1000);
            long during = 0;
            long before = 0;
            synchronized (gaps) {
                for (long[] g : gaps) {
                    // A window's line is printed at its end; it covers the 100 ms before.
                    if (g[0] >= startWall && g[0] - 100 <= endWall + 200) during = Math.max(during, g[1]);
                    if (g[0] < startWall && g[0] >= startWall - 2000) before = Math.max(before, g[1]);
                }
            }
            app.destroy();
            app.waitFor(10, TimeUnit.SECONDS);
            long[] vm = safepointMicros(safepoints);
            return new long[] {command / 1_000_000, endpoint / 1_000_000, during / 1000, before / 1000, vm[0], vm[1],
                    Long.parseLong(startedIn.group(1))};
        } finally {
            app.destroyForcibly();
            Files.deleteIfExists(safepoints);
        }
    }

    /**
     * Returns {longest RedefineClasses safepoint, all safepoints} in microseconds from a {@code -Xlog:safepoint} file:
     * the stop-the-world time the JVM itself reports (the ticking app alone causes only microsecond cleanups).
     */
    private static long[] safepointMicros(Path log) throws IOException {
        long redefine = 0;
        long total = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = SAFEPOINT_TOTAL.matcher(line);
            if (!m.find()) continue;
            long us = Long.parseLong(m.group(1)) / 1000;
            total += us;
            if (line.contains("\"RedefineClasses\"")) redefine = Math.max(redefine, us);
        }
        return new long[] {redefine, total};
    }

    private static void readGaps(Process app, List<long[]> gaps) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f.length == 3 && f[0].equals("gap")) gaps.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        } catch (IOException e) {
            // The app is gone.
        }
    }

    private static int status(URI uri) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            int s = c.getResponseCode();
            c.getInputStream().readAllBytes();
            c.disconnect();
            return s;
        } catch (IOException e) {
            return -1;
        }
    }

}
