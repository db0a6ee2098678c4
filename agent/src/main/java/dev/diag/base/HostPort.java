package dev.diag.base;

import java.net.InetSocketAddress;

/** The {@code http} option: {@code PORT} (meaning 127.0.0.1), {@code HOST:PORT}, {@code [::1]:PORT} or {@code :PORT}. */
public final class HostPort {
    private HostPort() {}

    /** Returns the unresolved address to bind. @throws IllegalArgumentException when the value is not HOST:PORT or PORT */
    public static InetSocketAddress parse(String value) {
        String host = "127.0.0.1";
        String port = value;
        int colon = value.lastIndexOf(':');
        if (colon >= 0) {
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) host = "0.0.0.0"; // ":6060" binds all interfaces, as Go's net.Listen does
        }
        int p = Integer.parseInt(port);
        if (p < 0 || p > 65535) throw new IllegalArgumentException("port out of range");
        return InetSocketAddress.createUnresolved(host, p);
    }
}
