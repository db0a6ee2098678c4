package dev.diag.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event families by name: what {@code /debug/events} shows. As {@link RequestFamilies}: on only while diag serves
 * the page, at most {@link #MAX_FAMILIES} families, an object of a further family counted in
 * {@link Counters#eventObjectsDropped} instead of kept.
 */
public final class EventFamilies {
    public static final int MAX_FAMILIES = 256;

    private static final ConcurrentHashMap<String, EventFamily> FAMILIES = new ConcurrentHashMap<>();
    private static volatile boolean enabled;

    private EventFamilies() {}

    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Makes an event object; returns null while recording is off or when it cannot be kept. */
    public static EventRecord create(String family, String title) {
        if (!enabled) return null;
        if (family == null) family = "";
        EventFamily f = FAMILIES.get(family);
        if (f == null) {
            synchronized (FAMILIES) {
                f = FAMILIES.get(family);
                if (f == null && FAMILIES.size() < MAX_FAMILIES) {
                    f = new EventFamily(family);
                    FAMILIES.put(family, f);
                }
            }
        }
        if (f == null) {
            Counters.eventObjectsDropped.increment();
            return null;
        }
        return f.add(title);
    }

    /** Returns the families, sorted by name. */
    public static List<EventFamily> all() {
        List<EventFamily> out = new ArrayList<>(FAMILIES.values());
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    public static EventFamily get(String name) {
        return name == null ? null : FAMILIES.get(name);
    }
}
