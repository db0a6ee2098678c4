package dev.diag.api;

import dev.diag.hook.TraceHook;

/**
 * An open trace region (Go's {@code *trace.Region}), closed by {@link #close()} on the thread that opened it. Shared
 * and stateless: closing ends the innermost open region of the calling thread, so opening one allocates nothing.
 */
public final class Region implements AutoCloseable {
    static final Region NONE = new Region(false);
    static final Region OPEN = new Region(true);

    private final boolean open;

    private Region(boolean open) {
        this.open = open;
    }

    /** Ends the region, as Go's {@code Region.End}. */
    @Override
    public void close() {
        if (!open) return;
        try {
            TraceHook.regionEnd(); // an open region was opened through the hooks: they are linked
        } catch (Throwable e) {
            // never into the application
        }
    }
}
