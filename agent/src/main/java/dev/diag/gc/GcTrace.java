package dev.diag.gc;

import dev.diag.base.OptionKey;
import dev.diag.base.Options;
import dev.diag.feature.Feature;
import dev.diag.feature.FeatureContext;

import java.io.PrintStream;
import java.util.Set;

/**
 * {@code gctrace=1}, Go's {@code GODEBUG=gctrace=1}: one line per collection on stderr in Go's layout
 * ({@link GcTraceLine}). Lines are written on the JDK's notification thread as each collection is reported, so no
 * application thread ever waits for them. Started on the thread that starts diag (premain: before {@code main}), as
 * Go prints from the first collection; a re-attach turns it on or off. A stop-the-world collection that the JVM ran
 * before premain could listen (a small young generation fills while the JVM and diag start) is printed from the JVM's
 * record of it, once, when listening starts ({@link GcNotifications#listen}).
 */
public final class GcTrace implements Feature {
    /** Captured once: Go writes to the process's stderr, whatever the application later does with System.err. */
    private final PrintStream err = System.err;
    private final int processors = Runtime.getRuntime().availableProcessors();
    private GcNotifications listening; // guarded by this
    /** Set while the collections before listening are the JVM's first (premain), until the first listen. */
    private boolean catchUpFirstCollections; // guarded by this

    /** @param fromJvmStart whether diag starts with the JVM (premain), not attached later */
    public GcTrace(boolean fromJvmStart) {
        this.catchUpFirstCollections = fromJvmStart;
    }

    @Override
    public String name() {
        return "gctrace";
    }

    @Override
    public void start(FeatureContext context) {
        context.onOptionChange(name(), Set.of(OptionKey.GCTRACE), (before, after) -> apply(after));
        apply(context.options());
    }

    private synchronized void apply(Options options) {
        boolean on = options.getLong(OptionKey.GCTRACE) == 1;
        if (on && listening == null) {
            listening = GcNotifications.listen(this::print, catchUpFirstCollections);
            catchUpFirstCollections = false;
        } else if (!on && listening != null) {
            listening.close();
            listening = null;
        }
    }

    private void print(GcEvent e) {
        err.println(GcTraceLine.format(e, processors));
    }
}
