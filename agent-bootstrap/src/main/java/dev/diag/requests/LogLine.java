package dev.diag.requests;

/** One line of a request's or an event object's log, as the pages show it. */
public final class LogLine {
    private final long nanos;
    private final String text;
    private final boolean error;

    LogLine(long nanos, String text, boolean error) {
        this.nanos = nanos;
        this.text = text;
        this.error = error;
    }

    /** When it was logged, on {@link System#nanoTime()}'s scale (see {@link Clock#epochNanos}). */
    public long nanos() {
        return nanos;
    }

    public String text() {
        return text;
    }

    /** Whether it was logged with {@code errorf}. */
    public boolean isError() {
        return error;
    }
}
