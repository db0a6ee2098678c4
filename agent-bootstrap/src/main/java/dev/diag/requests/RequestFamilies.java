package dev.diag.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request families by name: what {@code /debug/requests} shows, as x/net/trace's {@code completedTraces} and
 * {@code activeTraces}. Recording is on only while diag serves the page ({@link #setEnabled}); at most
 * {@link #MAX_FAMILIES} families are kept, and a request of a further family is counted in
 * {@link Counters#requestsDropped} instead of recorded.
 */
public final class RequestFamilies {
    public static final int MAX_FAMILIES = 256;

    private static final ConcurrentHashMap<String, RequestFamily> FAMILIES = new ConcurrentHashMap<>();
    private static volatile boolean enabled;

    private RequestFamilies() {}

    /** Called by diag when it starts serving {@code /debug/requests}. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    /** Starts a request; returns null while recording is off or when its family cannot be kept. */
    public static RequestRecord start(String family, String title) {
        if (!enabled) return null;
        if (family == null) family = "";
        RequestFamily f = FAMILIES.get(family);
        if (f == null) f = newFamily(family);
        return f == null ? null : f.start(title);
    }

    private static RequestFamily newFamily(String name) {
        synchronized (FAMILIES) {
            RequestFamily f = FAMILIES.get(name);
            if (f != null) return f;
            if (FAMILIES.size() >= MAX_FAMILIES) {
                Counters.requestsDropped.increment();
                return null;
            }
            f = new RequestFamily(name);
            FAMILIES.put(name, f);
            return f;
        }
    }

    /** Returns the families, sorted by name. */
    public static List<RequestFamily> all() {
        List<RequestFamily> out = new ArrayList<>(FAMILIES.values());
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    public static RequestFamily get(String name) {
        return name == null ? null : FAMILIES.get(name);
    }
}
