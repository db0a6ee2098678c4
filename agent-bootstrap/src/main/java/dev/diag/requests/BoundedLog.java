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

    BoundedLog(int max, int discardAt) {
        this.max = max;
        this.discardAt = discardAt;
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
            what[size] = line;
            nanos[size] = now;
            errors[size] = error;
            size++;
            return 0;
        }
        // The first time, the marker takes the place of one line and the next one goes: two lost (x/net/trace
        // starts its count at two); after that one per line.
        int lost = discarded == 0 ? 2 : 1;
        discarded += lost;
        int d = discardAt;
        what[d] = null; // the marker; its text is made when read
        nanos[d] = nanos[d + 1];
        errors[d] = errors[d] || errors[d + 1];
        System.arraycopy(what, d + 2, what, d + 1, max - d - 2);
        System.arraycopy(nanos, d + 2, nanos, d + 1, max - d - 2);
        System.arraycopy(errors, d + 2, errors, d + 1, max - d - 2);
        what[max - 1] = line;
        nanos[max - 1] = now;
        errors[max - 1] = error;
        return lost;
    }

    /** Returns a copy of the lines, oldest first. */
    synchronized List<LogLine> lines() {
        List<LogLine> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String text = what[i] != null ? what[i] : "(" + discarded + " events discarded)";
            out.add(new LogLine(nanos[i], text, errors[i]));
        }
        return out;
    }
}
