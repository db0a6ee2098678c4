package dev.diag.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code go tool trace -http=127.0.0.1:PORT FILE} and fetches its pages, as a user's browser would.
 * The viewer is killed on close.
 */
public final class GoTraceViewer implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private GoTraceViewer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Starts the viewer on {@code trace} and waits until it listens; fails with its output if it exits first. */
    public static GoTraceViewer open(Path trace) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("go-trace", ".log");
        ProcessBuilder pb = new ProcessBuilder("go", "tool", "trace", "-http=127.0.0.1:" + port, trace.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("BROWSER", "true"); // no browser to open
        GoTraceViewer v = new GoTraceViewer(pb.start(), log, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("Trace viewer is listening")) {
            if (!v.process.isAlive() || System.nanoTime() > deadline) {
                v.close();
                throw new AssertionError("go tool trace did not start:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return v;
    }

    /** Returns the body of {@code path}; fails unless the status is 200. */
    public String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("GET " + path + ": got " + r.statusCode() + "; want 200\n" + r.body());
        return r.body();
    }

    /** Saves the body of {@code path} (a profile download such as {@code /block?raw=1}) to {@code file}, replacing it. */
    public Path download(String path, Path file) throws IOException, InterruptedException {
        // ofFile(file) alone opens without TRUNCATE_EXISTING: a shorter second download would keep the first's tail.
        HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofFile(file,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
        if (r.statusCode() != 200) throw new AssertionError("GET " + path + ": got " + r.statusCode() + "; want 200");
        return file;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
