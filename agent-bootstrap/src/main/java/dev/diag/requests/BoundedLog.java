package dev.diag.requests;

import java.util.ArrayList;
import java.util.List;

/**
 * The log lines of one request or one event object, at most {@code max} of them, as x/net/trace keeps them: once full,
 * each new line pushes out the one after {@code discardAt}, which becomes a single "(N events discarded)" line
 * stamped with the newest time it stands for. A request discards from its middle (its first and last lines are the
 * telling ones), an event object from its start (it lives long; its latest lines matter). Lines longer than
 * {@link #MAX_LINE} characters are cut there.
 *
 * <p>Guarded by the object's own monitor: a request is logged by the thread serving it, so the lock is uncontended;
 * its arrays are allocated with the first line.
 */
final class BoundedLog {
    /** The longest line kept; the rest of a longer one is cut and counted in {@link Counters#linesCut}. */
    static final int MAX_LINE = 1024;

    private final int max;
    private final int discardAt;
    private String[] what;
    private long[] nanos;
    private boolean[] errors;
    private int size;
    private long discarded;
    private long markerNanos;
    /**
     * Once lines are discarded, slots {@code discardAt+1 .. max-1} are a ring of the latest lines and this is the slot
     * of the oldest of them: a line then costs O(1), not a shift of the whole log.
     */
    private int oldest;

    BoundedLog(int max, int discardAt) {
        if (discardAt < 0 || discardAt > max - 2) throw new IllegalArgumentException("discardAt " + discardAt);
        this.max = max;
        this.discardAt = discardAt;
        this.oldest = discardAt + 1;
    }

    /** Appends one line taken at {@code now} (System.nanoTime); returns how many older lines it pushed out. */
    synchronized int add(String line, long now, boolean error) {
        if (line == null) line = "null";
        if (line.length() > MAX_LINE) {
            line = line.substring(0, MAX_LINE) + "…";
            Counters.linesCut.increment();
        }
        if (what == null) {
            what = new String[max];
            nanos = new long[max];
            errors = new boolean[max];
        }
        if (size < max) {
            put(size++, line, now, error);
            return 0;
        }
        // The first time, the marker takes the place of the line at discardAt and the oldest of the rest goes too:
        // two lost (x/net/trace starts its count at two); after that one per line. The marker is stamped with the
        // newest line it stands for.
        int lost = discarded == 0 ? 2 : 1;
        discarded += lost;
        markerNanos = nanos[oldest];
        put(oldest, line, now, error);
        oldest = oldest + 1 == max ? discardAt + 1 : oldest + 1;
        return lost;
    }

    private void put(int slot, String line, long now, boolean error) {
        what[slot] = line;
        nanos[slot] = now;
        errors[slot] = error;
    }

    /** Returns a copy of the lines, oldest first. */
    synchronized List<LogLine> lines() {
        List<LogLine> out = new ArrayList<>(size);
        if (discarded == 0) {
            for (int i = 0; i < size; i++) out.add(new LogLine(nanos[i], what[i], errors[i]));
            return out;
        }
        for (int i = 0; i < discardAt; i++) out.add(new LogLine(nanos[i], what[i], errors[i]));
        out.add(new LogLine(markerNanos, "(" + discarded + " events discarded)", false));
        for (int n = 0, i = oldest; n < max - discardAt - 1; n++, i = i + 1 == max ? discardAt + 1 : i + 1) {
            out.add(new LogLine(nanos[i], what[i], errors[i]));
        }
        return out;
    }
}
