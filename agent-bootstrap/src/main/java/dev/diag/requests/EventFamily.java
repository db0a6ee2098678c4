package dev.diag.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live event objects of one family, at most {@link #MAX_OBJECTS}: objects are made rarely (a connection, a
 * pool), so adding and removing take a lock; logging to one takes none of the family's.
 */
public final class EventFamily {
    public static final int MAX_OBJECTS = 1000;

    private final String name;
    private final Set<EventRecord> live = ConcurrentHashMap.newKeySet();

    EventFamily(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    EventRecord add(String title) {
        synchronized (live) {
            if (live.size() >= MAX_OBJECTS) {
                Counters.eventObjectsDropped.increment();
                return null;
            }
            EventRecord e = new EventRecord(this, title, System.nanoTime());
            live.add(e);
            return e;
        }
    }

    void remove(EventRecord e) {
        synchronized (live) {
            live.remove(e);
        }
    }

    /** Returns the live objects, the most recently made first. */
    public List<EventRecord> objects() {
        List<EventRecord> out = new ArrayList<>(live);
        out.sort((a, b) -> Long.compare(b.startNanos(), a.startNanos()));
        return out;
    }
}
