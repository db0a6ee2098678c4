package dev.diag.jfr;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one subscriber needs from a JFR event type: the event name and the settings it must at least have.
 *
 * <p>Several features may ask for the same event (the tracer and the cpu profile both want samples). JFR keeps one
 * value per setting per recording, so {@link JfrSession} merges requests the way JFR merges recordings: the shortest
 * period and threshold win, a stack trace is taken when anyone wants it, and other settings ({@code throttle}) are
 * taken from the latest request. Immutable.
 */
public final class EventRequest {
    private final String eventName;
    private final Duration period;
    private final Duration threshold;
    private final boolean stackTrace;
    private final Map<String, String> other;

    private EventRequest(String eventName, Duration period, Duration threshold, boolean stackTrace,
                         Map<String, String> other) {
        this.eventName = eventName;
        this.period = period;
        this.threshold = threshold;
        this.stackTrace = stackTrace;
        this.other = other;
    }

    /** Returns a request for {@code eventName} (such as {@code jdk.JavaMonitorEnter}) with JFR's defaults. */
    public static EventRequest of(String eventName) {
        return new EventRequest(eventName, null, null, false, Map.of());
    }

    /** Returns this request with a sampling period (periodic and sampled events). */
    public EventRequest period(Duration p) {
        return new EventRequest(eventName, p, threshold, stackTrace, other);
    }

    /** Returns this request with a duration threshold; {@link Duration#ZERO} records every event. */
    public EventRequest threshold(Duration t) {
        return new EventRequest(eventName, period, t, stackTrace, other);
    }

    /** Returns this request with stack traces recorded. */
    public EventRequest withStackTrace() {
        return new EventRequest(eventName, period, threshold, true, other);
    }

    /** Returns this request with any other setting, e.g. {@code with("throttle", "1000/s")}. */
    public EventRequest with(String setting, String value) {
        Map<String, String> m = new TreeMap<>(other);
        m.put(setting, value);
        return new EventRequest(eventName, period, threshold, stackTrace, m);
    }

    public String eventName() { return eventName; }

    /** Returns the requested period, or null for JFR's default. */
    public Duration period() { return period; }

    /** Returns the requested threshold, or null for JFR's default. */
    public Duration threshold() { return threshold; }

    public boolean stackTrace() { return stackTrace; }

    /** Returns the other settings, by name. */
    public Map<String, String> other() { return other; }

    /** Returns the request that satisfies both this and {@code later} (same event), as described in the class doc. */
    EventRequest merge(EventRequest later) {
        Map<String, String> m = new TreeMap<>(other);
        m.putAll(later.other);
        return new EventRequest(eventName, min(period, later.period), min(threshold, later.threshold),
                stackTrace || later.stackTrace, m);
    }

    private static Duration min(Duration a, Duration b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return eventName + "{period=" + period + ", threshold=" + threshold + ", stackTrace=" + stackTrace
                + ", " + other + "}";
    }
}
