package dev.diag.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Decides whether a request may see anything: its {@code Host} must be one {@link AllowedHosts} allows (else 403), and
 * with a token ({@code http.token}/{@code http.token.file}) it must carry {@code Authorization: Bearer TOKEN} (else
 * 401; the scheme in any case, as RFC 7235 says). The token is compared in constant time.
 */
final class AccessFilter {
    private static final String BEARER = "Bearer";

    private final byte[] expectedToken;
    private final AllowedHosts hosts;

    /** @param token the bearer token, or null for none */
    AccessFilter(String token, AllowedHosts hosts) {
        this.expectedToken = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.hosts = hosts;
    }

    /** Returns true when the request may proceed; otherwise it has been answered. */
    boolean admit(PprofExchange ex) throws IOException {
        String host = ex.header("Host");
        if (host != null && !hosts.allows(hostPart(host))) {
            ex.httpError(403, "Forbidden: Host \"" + host + "\" is not a name of this machine diag accepts "
                    + "(loopback names, and for a non-loopback bind this machine's addresses and host name)");
            return false;
        }
        if (expectedToken != null && !MessageDigest.isEqual(bearerToken(ex.header("Authorization")), expectedToken)) {
            ex.setHeader("WWW-Authenticate", "Bearer realm=\"diag\"");
            ex.httpError(401, "Unauthorized");
            return false;
        }
        return true;
    }

    /** Returns the credentials of {@code Bearer CREDENTIALS} (scheme in any case), or no bytes. */
    static byte[] bearerToken(String authorization) {
        if (authorization == null) return new byte[0];
        String a = authorization.trim();
        if (a.length() <= BEARER.length() || !a.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || a.charAt(BEARER.length()) != ' ') {
            return new byte[0];
        }
        return a.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
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
}
