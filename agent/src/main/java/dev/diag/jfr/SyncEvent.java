package dev.diag.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A marker diag commits to learn when the stream has caught up: every event committed before it, on any thread, is in
 * the same or an earlier flush, so once the stream has flushed past the marker nothing older is still pending.
 */
@Name(SyncEvent.NAME)
@Label("diag sync")
@Category("diag")
@Description("Marks a point in time diag waits for the event stream to reach")
@StackTrace(false)
final class SyncEvent extends jdk.jfr.Event {
    static final String NAME = "dev.diag.Sync";

    @Label("Sequence")
    long sequence;
}
