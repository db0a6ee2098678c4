package dev.diag.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Decides whether a request may see anything: with a token ({@code http.token}/{@code http.token.file}) it must carry
 * {@code Authorization: Bearer TOKEN} (else 401); on a loopback bind its {@code Host} must be a loopback name (else
 * 403), so that a web page cannot reach the endpoint through a DNS name that later resolves to 127.0.0.1 (DNS
 * rebinding). The host check never resolves names: {@code localhost}, {@code *.localhost}, {@code 127.*.*.*} and
 * {@code ::1} pass as written.
 */
final class AccessFilter {
    private final byte[] expectedAuthorization;
    private final boolean loopbackOnly;

    /** @param token the bearer token, or null for none */
    AccessFilter(String token, boolean loopbackOnly) {
        this.expectedAuthorization = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.loopbackOnly = loopbackOnly;
    }

    /** Returns true when the request may proceed; otherwise it has been answered. */
    boolean admit(PprofExchange ex) throws IOException {
        if (loopbackOnly) {
            String host = ex.header("Host");
            if (host != null && !isLoopbackName(hostPart(host))) {
                ex.httpError(403, "Forbidden: Host \"" + host + "\" is not a loopback name; diag listens on loopback only");
                return false;
            }
        }
        if (expectedAuthorization != null) {
            String auth = ex.header("Authorization");
            byte[] given = auth == null ? new byte[0] : auth.getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, expectedAuthorization)) { // constant time
                ex.setHeader("WWW-Authenticate", "Bearer realm=\"diag\"");
                ex.httpError(401, "Unauthorized");
                return false;
            }
        }
        return true;
    }

    /** Returns the host of a Host header: {@code [::1]:6060} → {@code ::1}, {@code localhost:6060} → {@code localhost}. */
    static String hostPart(String hostHeader) {
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && colon == h.lastIndexOf(':')) return h.substring(0, colon);
        return h;
    }

    static boolean isLoopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.equals("localhost") || h.endsWith(".localhost")) return true;
        if (h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) return true;
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
