package dev.diag.requests;

import java.util.List;

/**
 * The log of one long-lived object (a connection, a pool, a cache), as x/net/trace's {@code EventLog}: its family and
 * title, when it was made, its last {@link #MAX_LINES} lines (older ones discarded from the start) and when it last
 * logged an error. {@link #finish()} takes it off {@code /debug/events}.
 */
public final class EventRecord {
    /** Lines kept per object, as x/net/trace's {@code maxEventsPerLog}. */
    public static final int MAX_LINES = 100;

    final EventFamily family;
    private final String title;
    private final long startNanos;
    private final BoundedLog log = new BoundedLog(MAX_LINES, 0);
    private volatile long lastErrorNanos;
    private volatile boolean hasError;

    EventRecord(EventFamily family, String title, long startNanos) {
        this.family = family;
        this.title = title == null ? "" : title;
        this.startNanos = startNanos;
    }

    public void log(String line, boolean isError) {
        long now = System.nanoTime();
        int lost = log.add(line, now, isError);
        if (lost > 0) Counters.linesDiscarded.add(lost);
        if (isError) {
            lastErrorNanos = now;
            hasError = true;
        }
    }

    public void finish() {
        family.remove(this);
    }

    public String title() {
        return title;
    }

    public long startNanos() {
        return startNanos;
    }

    /** Returns whether it logged an error less than {@code maxAgeNanos} before {@code now} (Long.MAX_VALUE: ever). */
    public boolean hasErrorWithin(long now, long maxAgeNanos) {
        return hasError && now - lastErrorNanos < maxAgeNanos;
    }

    public List<LogLine> lines() {
        return log.lines();
    }
}
