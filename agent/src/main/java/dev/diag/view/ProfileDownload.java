package dev.diag.view;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Fetches a profile for {@code diag.jar view URL}, e.g. {@code http://127.0.0.1:6060/debug/pprof/heap}, as
 * {@code go tool pprof URL} does: one GET, the body as it comes (gzipped proto). It sends no credentials: an endpoint
 * with a token answers 401, and the message says how to fetch with the header instead.
 */
final class ProfileDownload {
    /** Long enough for {@code profile?seconds=N} with the N a person would type into a shell. */
    private static final int READ_TIMEOUT_MS = 15 * 60 * 1000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private ProfileDownload() {}

    static boolean isUrl(String input) {
        return input.startsWith("http://") || input.startsWith("https://");
    }

    /** Returns the body of a 200 answer; otherwise throws with the status and the server's first line. */
    static byte[] fetch(String url) throws IOException {
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        } catch (IllegalArgumentException e) {
            throw new IOException("not a valid URL (" + e.getMessage() + ")");
        }
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(READ_TIMEOUT_MS);
        c.setInstanceFollowRedirects(true);
        try {
            int status = c.getResponseCode();
            if (status == 200) {
                try (InputStream in = c.getInputStream()) {
                    return in.readAllBytes();
                }
            }
            String body = "";
            try (InputStream err = c.getErrorStream()) {
                if (err != null) body = new String(err.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            String line = body.isEmpty() ? "" : ": " + body.lines().findFirst().orElse("");
            String hint = status == 401
                    ? " (the endpoint has a token: curl -H \"Authorization: Bearer ...\" -o FILE URL, then view FILE)"
                    : "";
            throw new IOException("the server answered " + status + line + hint);
        } finally {
            c.disconnect();
        }
    }

    /** Returns the name to show and to write next to: the URL's last path segment ({@code heap}, {@code profile}). */
    static String name(String url) {
        String path = URI.create(url).getPath();
        if (path == null) return "profile";
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? "profile" : last;
    }
}
