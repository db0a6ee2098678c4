package dev.diag.api;

import dev.diag.requests.EventRecord;

/**
 * The log of one long-lived object, made by {@link Events#of} (x/net/trace's {@code EventLog}). Safe from any thread.
 * Every method is a no-op on the log returned while nothing records, and none throws.
 */
public final class EventLog implements AutoCloseable {
    static final EventLog NONE = new EventLog(null);

    /** A {@code dev.diag.requests.EventRecord}, held as Object so that this class links without diag (HookLink). */
    private final Object record;

    EventLog(Object record) {
        this.record = record;
    }

    /** Adds a line. */
    public void log(String line) {
        if (record != null) add(false, line);
    }

    /** Adds {@code String.format(format, args)}, as Go's {@code Printf}; formatted only while it records. */
    public void printf(String format, Object... args) {
        if (record != null) add(false, format(format, args));
    }

    /** Adds an error line, as Go's {@code Errorf}: the object counts among its family's recent errors. */
    public void errorf(String format, Object... args) {
        if (record != null) add(true, format(format, args));
    }

    private void add(boolean error, String line) {
        try {
            ((EventRecord) record).log(line, error);
        } catch (Throwable e) {
            // never into the application
        }
    }

    private static String format(String format, Object... args) {
        try {
            return String.format(format, args);
        } catch (RuntimeException e) {
            return format + " (bad format: " + e + ")"; // as Go's %!verb: the line is kept, the mistake shown
        }
    }

    /** Takes the object off {@code /debug/events}, as Go's {@code Finish}. */
    public void finish() {
        if (record == null) return;
        try {
            ((EventRecord) record).finish();
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
