package dev.diag.api;

import dev.diag.requests.RequestRecord;

/**
 * One request started by {@link Requests#start} (x/net/trace's {@code Trace}): log lines with their times, an error
 * mark, and its end. Use it from one thread at a time, as Go's. Every method is a no-op on the handle returned while
 * nothing records, and none throws.
 */
public final class Request implements AutoCloseable {
    static final Request NONE = new Request(null);

    /** A {@code dev.diag.requests.RequestRecord}, held as Object so that this class links without diag (HookLink). */
    private final Object record;

    Request(Object record) {
        this.record = record;
    }

    /** Adds a line to the request's log (the first and last of at most ten are kept; longer lines are cut). */
    public void log(String line) {
        if (record == null) return;
        try {
            ((RequestRecord) record).log(line, false);
        } catch (Throwable e) {
            // never into the application
        }
    }

    /** Adds {@code String.format(format, args)} to the log; formatted only while the request records. */
    public void printf(String format, Object... args) {
        if (record == null) return;
        try {
            ((RequestRecord) record).log(String.format(format, args), false);
        } catch (Throwable e) {
            // never into the application (a bad format included)
        }
    }

    /** Marks the request as failed: it is counted in its family's errors bucket too. */
    public void setError() {
        if (record == null) return;
        try {
            ((RequestRecord) record).setError();
        } catch (Throwable e) {
            // never into the application
        }
    }

    /** Ends the request and files it in its latency buckets; a second call does nothing. */
    public void finish() {
        if (record == null) return;
        try {
            ((RequestRecord) record).finish();
        } catch (Throwable e) {
            // never into the application
        }
    }

    /** Same as {@link #finish()}, for try-with-resources. */
    @Override
    public void close() {
        finish();
    }
}
