package dev.diag.http;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request's connection while a diag thread serves it: how long reading the request may take, and whether the
 * client is still there.
 *
 * <p>Reading: the JDK's server reads a request's headers on the executor's thread, with no timeout of its own (its
 * {@code sun.net.httpserver.maxReqTime} is a JVM-wide property that would change the application's servers too). So
 * the headers get {@link #HEADER_TIMEOUT_MILLIS}, and a body {@link #BODY_TIMEOUT_MILLIS}: past it the thread is
 * interrupted, which closes the socket and frees the thread.
 *
 * <p>Presence: while a window runs, nothing is read, so a client that hangs up is seen only by reading. {@link
 * #peerClosed} reads for a millisecond: end of stream or an error means it is gone. Bytes that arrive instead (a
 * pipelined request, never sent by pprof clients) are lost, so the answer then closes the connection.
 */
final class ClientConnection {
    static final long HEADER_TIMEOUT_MILLIS = 5_000;
    static final long BODY_TIMEOUT_MILLIS = 10_000;

    private static final ThreadLocal<ClientConnection> CURRENT = new ThreadLocal<>();

    private final SocketChannel channel;
    private final ScheduledExecutorService timer;
    private Thread reader;
    private ScheduledFuture<?> deadline;
    private int generation;
    private boolean consumedInput;

    /** @param channel the socket, or null when unknown (presence is then never checked) */
    ClientConnection(SocketChannel channel, ScheduledExecutorService timer) {
        this.channel = channel;
        this.timer = timer;
    }

    /** Returns the connection the current thread serves, or one that knows nothing when none. */
    static ClientConnection current() {
        ClientConnection c = CURRENT.get();
        return c != null ? c : new ClientConnection(null, null);
    }

    /** Runs the JDK's exchange task on this thread, its headers read within {@link #HEADER_TIMEOUT_MILLIS}. */
    void serve(Runnable exchangeTask) {
        CURRENT.set(this);
        synchronized (this) {
            reader = Thread.currentThread();
        }
        readWithin(HEADER_TIMEOUT_MILLIS);
        try {
            exchangeTask.run();
        } finally {
            synchronized (this) {
                readDone();
                reader = null;
            }
            CURRENT.remove();
            Thread.interrupted(); // a deadline that struck as the task ended must not reach the next one
        }
    }

    /** Starts a deadline for reading: past it, the reading thread is interrupted (closing the socket). */
    synchronized void readWithin(long millis) {
        readDone();
        if (timer == null || reader == null) return;
        int armed = ++generation;
        try {
            deadline = timer.schedule(() -> expire(armed), millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the server is stopping: it closes every connection itself
        }
    }

    /** Ends the current read deadline (the headers or the body are in). */
    synchronized void readDone() {
        generation++;
        if (deadline != null) deadline.cancel(false);
        deadline = null;
    }

    private synchronized void expire(int armed) {
        if (armed == generation && reader != null) reader.interrupt();
    }

    /**
     * Returns true when the client has closed its side or the connection failed; false while it is open, or when
     * the socket is unknown. Call only while no one else reads the socket (after the request, before the answer).
     */
    synchronized boolean peerClosed() {
        if (channel == null) return false;
        if (!channel.isOpen()) return true;
        try {
            Socket s = channel.socket();
            int before = s.getSoTimeout();
            s.setSoTimeout(1);
            try {
                int n = s.getInputStream().read(new byte[1]);
                if (n > 0) consumedInput = true;
                return n < 0;
            } finally {
                s.setSoTimeout(before);
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } catch (RuntimeException e) {
            return false; // not in blocking mode: the JDK has the socket back, this request is over
        }
    }

    /** Returns whether a presence check read bytes of a next request (the answer must then close the connection). */
    synchronized boolean consumedInput() {
        return consumedInput;
    }
}
