package dev.diag.push;

import dev.diag.base.DiagThreads;
import dev.diag.base.Log;
import dev.diag.pprof.ProfileData;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends queued windows to the push target, in its {@link PushFormat} (Pyroscope's ingest or OTLP profiles), on one
 * {@code diag-push} thread, so that no application thread ever waits for the network: {@link #offer} only queues. A
 * window that fails (no connection, a timeout, an answer the format calls retryable) is retried with {@link Backoff}
 * until it is sent or dropped from a full queue; a window the server refuses otherwise is dropped at once (it would be
 * refused again) and counted in {@code push.errors}.
 *
 * <p>Lines: one when the server stops answering, one when it starts refusing windows, one when it takes them again,
 * one when the queue first overflows — never one per failure, so a server down for a day does not flood stderr.
 */
public final class WindowPusher {
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int READ_TIMEOUT_MS = 10_000;
    private static final long FIRST_RETRY_MS = 500;
    private static final long MAX_RETRY_MS = 30_000;
    /** Queue bounds: about an hour of 1-minute windows of a few profiles, and never more than this much memory. */
    static final int QUEUE_WINDOWS = 64;
    static final long QUEUE_BYTES = 32L << 20;

    /** Counters over every pusher of this JVM (a re-attach makes a new one), as Go's expvar counts. */
    private static final AtomicLong SENT = new AtomicLong();
    private static final AtomicLong DROPPED = new AtomicLong();
    private static final AtomicLong ERRORS = new AtomicLong();

    private final PushTarget target;
    private final WindowQueue queue = new WindowQueue(QUEUE_WINDOWS, QUEUE_BYTES);
    private final Backoff backoff = new Backoff(FIRST_RETRY_MS, MAX_RETRY_MS, () -> ThreadLocalRandom.current().nextDouble());
    private volatile boolean stopped;
    private Thread thread;
    /** What the server was last said to do; each change is one line. */
    private enum ServerState { TAKES, DOWN, REFUSES }

    /** Guarded by this: the server's state as last said, and whether the queue overflowed. */
    private ServerState state = ServerState.TAKES;
    private boolean overflowSaid;

    public WindowPusher(PushTarget target) {
        this.target = target;
    }

    public static long sent() { return SENT.get(); }

    public static long dropped() { return DROPPED.get(); }

    public static long errors() { return ERRORS.get(); }

    /** Starts {@code diag-push}. */
    public void start() {
        thread = DiagThreads.start("push", this::run);
    }

    /**
     * Encodes one profile's window in the target's format and queues it; never blocks. Called on the recording
     * thread. {@code sampleRateHz}: samples per second of a clock-sampled profile, else 0.
     */
    public void offer(String profile, long fromSeconds, long untilSeconds, ProfileData data, long sampleRateHz) {
        offer(new Window(profile, fromSeconds, untilSeconds, target.encode(profile, data, fromSeconds, untilSeconds),
                sampleRateHz));
    }

    /** Queues an encoded window; never blocks. */
    void offer(Window w) {
        int dropped = queue.offer(w);
        if (dropped == 0) return;
        DROPPED.addAndGet(dropped);
        synchronized (this) {
            if (overflowSaid) return;
            overflowSaid = true;
        }
        Log.error("push: queue full (" + QUEUE_WINDOWS + " windows or " + (QUEUE_BYTES >> 20) + " MiB) while "
                + target + " does not take them; dropping the oldest, counted in push.windows_dropped");
    }

    private void run() {
        while (!stopped) {
            Window w;
            try {
                w = queue.peek(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (w == null) continue;
            Outcome o = send(w, READ_TIMEOUT_MS);
            if (o != Outcome.RETRY) {
                queue.remove(w);
                backoff.reset();
                continue;
            }
            try {
                Thread.sleep(backoff.nextDelayMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Stops the thread and sends what is queued, one attempt each, until {@code deadlineNanos} ({@link System#nanoTime}):
     * the final flush at exit, inside the agent's exit bound. Returns the number of windows left unsent.
     */
    public int stopAndFlush(long deadlineNanos) {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return queue.size();
            }
        }
        while (true) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) break;
            Window w;
            try {
                w = queue.peek(0);
            } catch (InterruptedException e) {
                break;
            }
            if (w == null) break;
            if (send(w, (int) Math.min(READ_TIMEOUT_MS, left)) == Outcome.RETRY) break;
            queue.remove(w);
        }
        int left = queue.size();
        if (left > 0) Log.error("push: stopped with " + left + " window(s) not sent to " + target);
        return left;
    }

    private enum Outcome { SENT, REFUSED, RETRY }

    private Outcome send(Window w, int readTimeoutMs) {
        int status;
        try {
            status = post(w, Math.min(CONNECT_TIMEOUT_MS, readTimeoutMs), readTimeoutMs);
        } catch (IOException | RuntimeException e) {
            failed(describe(e));
            return Outcome.RETRY;
        }
        if (status / 100 == 2) {
            SENT.incrementAndGet();
            recovered();
            return Outcome.SENT;
        }
        if (target.format().retryable(status)) {
            failed("it answers " + status);
            return Outcome.RETRY;
        }
        ERRORS.incrementAndGet();
        refused(status);
        Log.debug("push: " + target + " refused the " + w.profile() + " window with " + status + "; dropped");
        return Outcome.REFUSED;
    }

    /** POSTs one window; returns the HTTP status. The body is read and discarded so the connection can be reused. */
    private int post(Window w, int connectTimeoutMs, int readTimeoutMs) throws IOException {
        HttpURLConnection c = (HttpURLConnection) target.uri(w).toURL().openConnection();
        try {
            c.setConnectTimeout(connectTimeoutMs);
            c.setReadTimeout(readTimeoutMs);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setInstanceFollowRedirects(false);
            c.setFixedLengthStreamingMode(w.body().length);
            c.setRequestProperty("Content-Type", target.format().contentType());
            if (target.format().contentEncoding() != null) {
                c.setRequestProperty("Content-Encoding", target.format().contentEncoding());
            }
            c.setRequestProperty("User-Agent", "diag");
            if (target.authorization() != null) c.setRequestProperty("Authorization", target.authorization());
            if (target.tenant() != null) c.setRequestProperty("X-Scope-OrgID", target.tenant());
            try (OutputStream out = c.getOutputStream()) {
                out.write(w.body());
            }
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                if (in != null) in.transferTo(OutputStream.nullOutputStream());
            }
            return status;
        } finally {
            // Interrupted means stopping: close the socket rather than leave it to the keep-alive cache.
            if (Thread.currentThread().isInterrupted()) c.disconnect();
        }
    }

    private void failed(String why) {
        ERRORS.incrementAndGet();
        synchronized (this) {
            if (state == ServerState.DOWN) return;
            state = ServerState.DOWN;
        }
        Log.error("push: cannot send to " + target + ": " + why + "; retrying with backoff up to "
                + MAX_RETRY_MS / 1000 + " s, windows wait in memory (counted in push.errors)");
    }

    /**
     * A refusal is not retried, so without a line a wrong token or a receiver that rejects the format would drop every
     * window with nothing said but a counter.
     */
    private void refused(int status) {
        synchronized (this) {
            if (state == ServerState.REFUSES) return;
            state = ServerState.REFUSES;
        }
        Log.error("push: " + target + " refuses windows: it answers " + status
                + "; dropping them (counted in push.errors), not retrying");
    }

    private void recovered() {
        synchronized (this) {
            if (state == ServerState.TAKES) return;
            state = ServerState.TAKES;
            overflowSaid = false; // a later outage that overflows again is a new state change, said again
        }
        Log.info("push: " + target + " takes windows again");
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return m == null ? kind : kind + ": " + Log.abbreviate(m);
    }
}
