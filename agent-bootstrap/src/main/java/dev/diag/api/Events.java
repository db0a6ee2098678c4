package dev.diag.api;

import dev.diag.requests.EventFamilies;

/**
 * Logs of long-lived objects (connections, pools, caches) as Go's {@code golang.org/x/net/trace} shows them on
 * {@code /debug/events}: per family, how many objects are live and how many logged an error in the last 10 s, 1 m,
 * 10 m, 1 h, 10 h or ever, and each object's last 100 lines.
 *
 * <pre>{@code
 * EventLog log = Events.of("db.Pool", "primary 10.0.0.5:5432");
 * log.printf("opened %d connections", n);
 * log.errorf("connection %d reset: %s", id, e);
 * log.finish();                                   // when the pool is closed: off the page
 * }</pre>
 *
 * Recorded while diag serves its HTTP endpoint; otherwise, and without diag, a shared no-op log. Never throws.
 */
public final class Events {
    // Loaded with this class, by its loader (see HookLink and Trace).
    private static final EventLog NONE = EventLog.NONE;

    static {
        HookLink.load();
    }

    private Events() {}

    /** Makes the event log of one object, as Go's {@code trace.NewEventLog(family, title)}. */
    public static EventLog of(String family, String title) {
        try {
            if (!HookLink.linked) return NONE;
            Object r = EventFamilies.create(family, title);
            return r == null ? NONE : new EventLog(r);
        } catch (Throwable e) {
            return NONE;
        }
    }
}
