package dev.diag.it;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started with {@code http=127.0.0.1:0} (a free port the agent picks and prints), and the way to talk to it.
 * Port 0 keeps parallel test runs from racing for a port.
 */
public final class HttpJvm implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("diag: http listening on ([0-9.]+):(\\d+)");

    public final AgentJvm jvm;
    public final int port;
    public final HttpProbe http;

    private HttpJvm(AgentJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
        this.http = new HttpProbe("127.0.0.1", port);
    }

    /** Starts {@code workload} with {@code http=127.0.0.1:0} plus {@code moreOptions} and waits until it serves. */
    public static HttpJvm start(Jdk jdk, Class<?> workload, String moreOptions, String... args)
            throws IOException, InterruptedException {
        String options = "http=127.0.0.1:0" + (moreOptions.isEmpty() ? "" : "," + moreOptions);
        return serve(AgentJvm.of(workload).jdk(jdk).agent(options).args(args));
    }

    /** Starts {@code configured}, whose agent options must hold {@code http=127.0.0.1:0}, and waits until it serves. */
    public static HttpJvm serve(AgentJvm configured) throws IOException, InterruptedException {
        AgentJvm jvm = configured.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(jvm.stderr());
            if (m.find()) return new HttpJvm(jvm, Integer.parseInt(m.group(2)));
            if (!jvm.isAlive()) break;
            Thread.sleep(20);
        }
        jvm.close();
        throw new AssertionError("the agent did not report its HTTP port\nstdout:\n" + jvm.stdout()
                + "\nstderr:\n" + jvm.stderr());
    }

    /** Returns the URL of a pprof path, e.g. {@code url("heap?debug=1")}. */
    public String url(String pprofPath) {
        return "http://127.0.0.1:" + port + "/debug/pprof/" + pprofPath;
    }

    @Override
    public void close() {
        jvm.close();
    }
}
