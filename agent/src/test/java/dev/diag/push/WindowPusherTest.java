package dev.diag.push;

import com.sun.net.httpserver.HttpServer;
import dev.diag.base.Log;
import dev.diag.base.Options;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The pusher's queue, refusals and exit flush, driven without its thread (no timing involved). */
class WindowPusherTest {
    @Test
    void givenQueueFull_whenMoreWindowsCome_thenTheOldestAreDroppedCountedAndSaidOnce() throws Exception {
        WindowPusher pusher = new WindowPusher(target("http://127.0.0.1:9"));
        long droppedBefore = WindowPusher.dropped();

        Log.startCapture();
        for (int i = 0; i < WindowPusher.QUEUE_WINDOWS + 2; i++) pusher.offer(window(i));
        List<String> lines = Log.endCapture().lines();

        assertThat(WindowPusher.dropped() - droppedBefore).isEqualTo(2);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("push: queue full (64 windows or 32 MiB) while http://127.0.0.1:9 ");
    }

    @Test
    void givenServerDown_whenStopAndFlush_thenOneAttemptAndOneLineEachForTheFailureAndWhatIsLeft() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections are refused
        }
        WindowPusher pusher = new WindowPusher(target("http://127.0.0.1:" + port));
        for (int i = 0; i < 3; i++) pusher.offer(window(i));

        Log.startCapture();
        int left = pusher.stopAndFlush(System.nanoTime() + 5_000_000_000L);
        List<String> lines = Log.endCapture().lines();

        assertThat(left).isEqualTo(3);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("push: cannot send to http://127.0.0.1:" + port + ": ConnectException");
        assertThat(lines.get(1)).isEqualTo("push: stopped with 3 window(s) not sent to http://127.0.0.1:" + port);
    }

    @Test
    void givenServerRefusesWith400_whenFlushed_thenWindowsAreDroppedAsErrorsWithoutRetryAndOneLineSaysSo() throws Exception {
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(400, -1);
            ex.close();
        });
        server.start();
        try {
            WindowPusher pusher = new WindowPusher(target("http://127.0.0.1:" + server.getAddress().getPort()));
            pusher.offer(window(1));
            pusher.offer(window(2));
            long errorsBefore = WindowPusher.errors();

            Log.startCapture();
            int left = pusher.stopAndFlush(System.nanoTime() + 5_000_000_000L);
            List<String> lines = Log.endCapture().lines();

            assertThat(left).isZero();
            assertThat(paths).containsExactly("/ingest", "/ingest");
            assertThat(WindowPusher.errors() - errorsBefore).isEqualTo(2);
            assertThat(lines).containsExactly("push: http://127.0.0.1:" + server.getAddress().getPort()
                    + " refuses windows: it answers 400; dropping them (counted in push.errors), not retrying");
        } finally {
            server.stop(0);
        }
    }

    private static PushTarget target(String url) throws Exception {
        return PushTarget.from(Options.parse("push=" + url + ",push.app=t"), null);
    }

    private static Window window(long from) {
        return new Window("cpu", from, from + 1, new byte[16], 100);
    }
}
