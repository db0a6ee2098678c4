package dev.diag.bench.http;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency of one {@code /debug/pprof} request, end to end (client, HTTP, snapshot, encoding), against a separate JVM
 * running {@link ThousandThreads} with {@code -javaagent:diag.jar=http=127.0.0.1:0}. The client is this JMH fork.
 *
 * <pre>
 * java -Ddiag.jar=agent/target/diag.jar -jar benchmarks/target/benchmarks.jar HttpEndpointBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpEndpointBenchmark {
    private static final Pattern LISTENING = Pattern.compile("diag: http listening on ([0-9.]+):(\\d+)");

    @Param({"goroutine?debug=0", "goroutine?debug=2", "heap?debug=0"})
    public String path;

    @Param("1000")
    public int threads;

    private Process app;
    private URI uri;
    private final byte[] buffer = new byte[1 << 16];

    @Setup(Level.Trial)
    public void startApp() throws Exception {
        String jar = Path.of(System.getProperty("diag.jar", "agent/target/diag.jar")).toAbsolutePath().toString();
        String classpath = Path.of(ThousandThreads.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(List.of(java, "-javaagent:" + jar + "=http=127.0.0.1:0", "-cp", classpath,
                ThousandThreads.class.getName(), Integer.toString(threads))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader err = new BufferedReader(new InputStreamReader(app.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = err.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                uri = URI.create("http://127.0.0.1:" + m.group(2) + "/debug/pprof/" + path);
                break;
            }
        }
        if (uri == null) throw new IllegalStateException("the agent did not report its port");
        Thread.sleep(2000); // let the 1,000 threads park
        int status = ((HttpURLConnection) uri.toURL().openConnection()).getResponseCode();
        if (status != 200) throw new IllegalStateException(uri + " answers " + status + " in this build");
    }

    @TearDown(Level.Trial)
    public void stopApp() {
        if (app != null) app.destroyForcibly();
    }

    /** Returns the body size so the JIT cannot drop the read. */
    @Benchmark
    public long request() throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        long n = 0;
        try (InputStream in = c.getInputStream()) {
            int r;
            while ((r = in.read(buffer)) > 0) n += r;
        }
        return n;
    }
}
