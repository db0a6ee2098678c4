package dev.diag.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over a socket, so that tests control every byte a client could send (any method, any
 * {@code Host}, huge URLs) and see every header the server answers. One request per connection.
 */
public final class HttpProbe {
    /** An answer: status, headers (lower-case names), body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean isGzip() {
            return body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + headers + " " + (isGzip() ? "<gzip " + body.length + " bytes>"
                    : t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
    }

    private final String host;
    private final int port;

    public HttpProbe(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public Response get(String target) throws IOException {
        return send("GET", target, Map.of(), null);
    }

    /** Sends one request; {@code headers} may override Host; {@code body} may be null. */
    public Response send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        return send(method, target, headers, body, Duration.ofSeconds(60));
    }

    public Response send(String method, String target, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout((int) timeout.toMillis());
            StringBuilder req = new StringBuilder();
            req.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Host", host + ":" + port);
            h.put("Connection", "close");
            if (body != null) h.put("Content-Length", Integer.toString(body.length));
            h.putAll(headers);
            h.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            out.flush();
            return parse(s.getInputStream().readAllBytes());
        }
    }

    /** Parses a whole answer as read from the socket. */
    static Response parse(byte[] all) throws IOException {
        int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) throw new IOException("no complete response: " + new String(all, StandardCharsets.ISO_8859_1));
        String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            String k = lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT);
            String v = lines[i].substring(c + 1).trim();
            headers.merge(k, v, (a, b) -> a + ", " + b);
        }
        byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) rest = dechunk(rest);
        return new Response(status, headers, rest);
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < b.length) {
            int eol = indexOf(java.util.Arrays.copyOfRange(b, i, b.length), new byte[] {'\r', '\n'});
            int size = Integer.parseInt(new String(b, i, eol, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) break;
            out.write(b, i + eol + 2, size);
            i += eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] a, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= a.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (a[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
