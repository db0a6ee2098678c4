package dev.diag.http;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code Host} values a request may carry, so that a web page cannot reach the endpoint through a DNS name of its
 * own that later resolves to this machine (DNS rebinding). Loopback names ({@code localhost}, {@code *.localhost},
 * {@code 127.*.*.*}, {@code ::1}) always pass. A non-loopback bind also lets through the names this machine knows for
 * itself, fixed at start-up: the bound address (for a wildcard bind, every interface's address) and the host name
 * with its canonical form. Requests never resolve names.
 */
final class AllowedHosts {
    private final Set<String> names;

    private AllowedHosts(Set<String> names) {
        this.names = names;
    }

    /** Loopback names only: for a loopback bind. */
    static AllowedHosts loopbackOnly() {
        return new AllowedHosts(Set.of());
    }

    /** Loopback names and this machine's own names and addresses: for a bind to {@code bound}. */
    static AllowedHosts forBind(InetAddress bound) {
        Set<String> names = new HashSet<>();
        if (bound.isAnyLocalAddress()) {
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(nic.getInetAddresses())) names.add(normalize(a.getHostAddress()));
                }
            } catch (SocketException | RuntimeException e) {
                // no interface list: the host names and loopback still pass
            }
        } else {
            names.add(normalize(bound.getHostAddress()));
        }
        try {
            InetAddress self = InetAddress.getLocalHost();
            names.add(normalize(self.getHostName()));
            names.add(normalize(self.getCanonicalHostName()));
        } catch (java.io.IOException | RuntimeException e) {
            // the machine has no resolvable name: addresses and loopback still pass
        }
        return new AllowedHosts(Set.copyOf(names));
    }

    /** Returns whether a {@code Host} header's host part (no port, no brackets) may reach the endpoint. */
    boolean allows(String host) {
        return isLoopbackName(host) || names.contains(normalize(host));
    }

    /** Lower case, no trailing dot, no IPv6 zone ({@code fe80::1%eth0} → {@code fe80::1}). */
    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        int zone = h.indexOf('%');
        if (zone >= 0) h = h.substring(0, zone);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    static boolean isLoopbackName(String host) {
        String h = normalize(host);
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
