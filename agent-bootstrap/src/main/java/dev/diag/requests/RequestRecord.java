package dev.diag.requests;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One request, as x/net/trace's {@code trace.Trace}: its family and title, start, log, error mark, and its elapsed
 * time once finished. Finishing twice counts once.
 */
public final class RequestRecord {
    /** Lines kept per request, as x/net/trace's {@code maxEventsPerTrace}; more discard from the middle. */
    public static final int MAX_LINES = 10;
    private static final AtomicIntegerFieldUpdater<RequestRecord> FINISHED =
            AtomicIntegerFieldUpdater.newUpdater(RequestRecord.class, "finished");

    final RequestFamily family;
    private final String title;
    private final long startNanos;
    private final BoundedLog log = new BoundedLog(MAX_LINES, (MAX_LINES - 1) / 2);
    private volatile boolean error;
    private volatile long elapsedNanos = -1;
    private volatile int finished;
    /** Its slot in the family's table of active requests, or -1 when it found none free. */
    int activeSlot = -1;

    RequestRecord(RequestFamily family, String title, long startNanos) {
        this.family = family;
        this.title = title == null ? "" : title;
        this.startNanos = startNanos;
    }

    public void log(String line, boolean isError) {
        if (finished != 0) return; // x/net/trace panics; a finished request's log is frozen here
        int lost = log.add(line, System.nanoTime(), isError);
        if (lost > 0) Counters.linesDiscarded.add(lost);
    }

    public void setError() {
        error = true;
    }

    /** Ends the request: counts it in its family's buckets and keeps it among their recent ones. */
    public void finish() {
        if (!FINISHED.compareAndSet(this, 0, 1)) return;
        long now = System.nanoTime();
        elapsedNanos = Math.max(0, now - startNanos);
        family.finished(this, now);
    }

    public String family() {
        return family.name();
    }

    public String title() {
        return title;
    }

    public long startNanos() {
        return startNanos;
    }

    public boolean isError() {
        return error;
    }

    public boolean isActive() {
        return elapsedNanos < 0;
    }

    /** Returns its duration, or the time since its start while it is active. */
    public long elapsedNanos() {
        long e = elapsedNanos;
        return e >= 0 ? e : Math.max(0, System.nanoTime() - startNanos);
    }

    public List<LogLine> lines() {
        return log.lines();
    }
}
