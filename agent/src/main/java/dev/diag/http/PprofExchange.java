package dev.diag.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One request and its answer, with Go's reading rules (form values, raw query, a bounded body) and Go's ways of
 * answering: {@link #send}, {@link #serveError} (the one error path), {@link #redirect}. Every answer carries
 * {@code X-Content-Type-Options: nosniff} unless said otherwise, as each {@code net/http/pprof} handler sets it.
 */
final class PprofExchange {
    /** Bodies are read up to this size (POSTed forms and symbol lists); the rest is ignored. */
    static final int MAX_BODY = 1 << 20;

    /** A client that hung up is noticed within this time while a window runs (each check reads for 1 ms). */
    static final long PRESENCE_CHECK_NANOS = 250_000_000L;

    private final HttpExchange exchange;
    private final ClientConnection connection;
    private long checkedPresenceAt = System.nanoTime();
    private boolean gone;
    private byte[] body;
    private Form form;
    private boolean answered;
    private boolean noSniffOff;
    private int committedStatus; // the status whose headers went out early, or 0
    private ProfileAnswer profileAnswer;

    /** Answers a profile some other way than as Go's bytes: diag's viewer page of it. */
    interface ProfileAnswer {
        void send(PprofExchange ex, byte[] profile) throws IOException;
    }

    PprofExchange(HttpExchange exchange, ClientConnection connection) {
        this.exchange = exchange;
        this.connection = connection;
    }

    /** Returns the client's address, without port (null when unknown). */
    InetAddress clientAddress() {
        InetSocketAddress a = exchange.getRemoteAddress();
        return a == null ? null : a.getAddress();
    }

    /**
     * Returns true once the client has hung up, as Go's {@code r.Context().Done()}: checked at most every
     * {@link #PRESENCE_CHECK_NANOS}, so a window may poll it freely. Only between reading the request and answering.
     */
    synchronized boolean clientGone() {
        long now = System.nanoTime();
        if (!gone && now - checkedPresenceAt >= PRESENCE_CHECK_NANOS) {
            checkedPresenceAt = now;
            gone = connection.peerClosed();
        }
        return gone;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    /** Returns the decoded path ({@code %3C} is {@code <}), as Go's {@code r.URL.Path}. */
    String path() {
        String p = exchange.getRequestURI().getPath();
        return p == null ? "" : p;
    }

    /** Returns the query exactly as sent, or "" (Go's {@code r.URL.RawQuery}). */
    String rawQuery() {
        String q = exchange.getRequestURI().getRawQuery();
        return q == null ? "" : q;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /**
     * Returns the request body, at most {@link #MAX_BODY} bytes, read once within
     * {@link ClientConnection#BODY_TIMEOUT_MILLIS}. @throws UnreadableBody when it is malformed, cut short or late
     */
    byte[] body() throws IOException {
        if (body == null) {
            connection.readWithin(ClientConnection.BODY_TIMEOUT_MILLIS);
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY);
            } catch (IOException e) {
                throw new UnreadableBody(e);
            } finally {
                connection.readDone();
            }
        }
        return body;
    }

    /** The request body could not be read: bad chunked encoding, fewer bytes than its length, too slow. */
    static final class UnreadableBody extends IOException {
        UnreadableBody(IOException cause) {
            super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
        }
    }

    /** Returns Go's {@code r.FormValue(key)}: a urlencoded POST/PUT/PATCH body first, then the query. */
    String formValue(String key) throws IOException {
        if (form == null) {
            String bodyForm = null;
            String m = method();
            String type = header("Content-Type");
            if ((m.equals("POST") || m.equals("PUT") || m.equals("PATCH")) && type != null
                    && type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded")) {
                bodyForm = new String(body(), StandardCharsets.UTF_8);
            }
            form = Form.parse(bodyForm, rawQuery());
        }
        return form.value(key);
    }

    /** Returns whether an answer has been sent (or the exchange closed). */
    boolean answered() {
        return answered;
    }

    /**
     * Sends the status and headers of a long answer now, its body (chunked) at {@link #send}: Go's pprof client waits
     * for headers only the window plus half of it plus 5 s, which turning a window's samples into a profile can
     * outlast on a loaded machine. An error after this can no longer change the status: it closes the connection,
     * so the client sees a cut answer, never a wrong one. Nothing is committed for HEAD.
     */
    void commitHeaders(int status, String contentType, String disposition) throws IOException {
        // A profile answered as a page goes out whole: what it becomes is known only from the profile.
        if (method().equals("HEAD") || committedStatus != 0 || profileAnswer != null) return;
        setAnswerHeaders(contentType, disposition);
        if (connection.consumedInput()) exchange.getResponseHeaders().set("Connection", "close");
        try {
            exchange.sendResponseHeaders(status, 0);
            exchange.getResponseBody().flush(); // JDK 25's server keeps chunked headers buffered until the body
        } catch (IOException e) {
            synchronized (this) {
                gone = true; // a window running for this client ends at its next check
            }
            throw e;
        }
        committedStatus = status;
    }

    /**
     * Has the profile this exchange's handler answers with (200, {@code application/octet-stream}) go to
     * {@code answer} instead; any other answer (an error, a text profile) goes out as it is. For diag's viewer,
     * which reuses Go's handlers, windows and deltas included, without changing what they serve.
     */
    void answerProfileWith(ProfileAnswer answer) {
        profileAnswer = answer;
    }

    /** Sends a complete answer with {@code nosniff}; {@code disposition} may be null. */
    void send(int status, String contentType, String disposition, byte[] bytes) throws IOException {
        if (profileAnswer != null && status == 200 && GoPprof.OCTET_STREAM.equals(contentType)) {
            ProfileAnswer answer = profileAnswer;
            profileAnswer = null;
            answer.send(this, bytes);
            return;
        }
        if (committedStatus != 0) {
            answered = true;
            if (status != committedStatus) {
                exchange.close();
                return;
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        setAnswerHeaders(contentType, disposition);
        write(status, bytes);
    }

    private void setAnswerHeaders(String contentType, String disposition) {
        var h = exchange.getResponseHeaders();
        if (!noSniffOff) h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Type", contentType);
        if (disposition != null) h.set("Content-Disposition", disposition);
    }

    /** Sends a file's bytes as the answer, streamed (a heap dump can be larger than the heap); {@code nosniff}. */
    void sendFile(int status, String contentType, String disposition, java.nio.file.Path file) throws IOException {
        setAnswerHeaders(contentType, disposition);
        answered = true;
        if (connection.consumedInput()) exchange.getResponseHeaders().set("Connection", "close");
        boolean head = method().equals("HEAD");
        long size = java.nio.file.Files.size(file);
        exchange.sendResponseHeaders(status, head || size == 0 ? -1 : size);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) java.nio.file.Files.copy(file, out);
        }
    }

    void send(int status, String contentType, String disposition, String text) throws IOException {
        send(status, contentType, disposition, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Go's serveError: text/plain, {@code X-Go-Pprof: 1}, no disposition, the message and a newline. */
    void serveError(int status, String message) throws IOException {
        var h = exchange.getResponseHeaders();
        h.remove("Content-Disposition");
        h.set("X-Go-Pprof", "1");
        send(status, GoPprof.TEXT_PLAIN, null, message + "\n");
    }

    /** Go's http.Error: text/plain, {@code nosniff}, the message and a newline (no {@code X-Go-Pprof}). */
    void httpError(int status, String message) throws IOException {
        send(status, GoPprof.TEXT_PLAIN, null, message + "\n");
    }

    /** Go's http.Redirect with 301: Location, and for GET/HEAD a small HTML body. */
    void redirect(String location) throws IOException {
        var h = exchange.getResponseHeaders();
        h.set("Location", location);
        byte[] bytes = new byte[0];
        if (method().equals("GET") || method().equals("HEAD")) {
            h.set("Content-Type", GoPprof.TEXT_HTML);
            bytes = ("<a href=\"" + htmlEscape(location) + "\">Moved Permanently</a>.\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        write(301, bytes);
    }

    /** Leaves out {@code X-Content-Type-Options} (expvar's answers do not carry it). */
    void withoutNoSniff() {
        noSniffOff = true;
    }

    void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    private void write(int status, byte[] bytes) throws IOException {
        answered = true;
        if (connection.consumedInput()) exchange.getResponseHeaders().set("Connection", "close");
        boolean head = method().equals("HEAD");
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) out.write(bytes);
        }
    }

    /** Closes without an answer (the client went away, or answering failed half-way). */
    void close() {
        answered = true;
        exchange.close();
    }

    /** Go's html.EscapeString. */
    static String htmlEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '&': sb.append("&amp;"); break;
                case '\'': sb.append("&#39;"); break;
                case '"': sb.append("&#34;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }
}
