package dev.diag.requests;

import java.util.concurrent.atomic.LongAdder;

/** What the request and event pages dropped to stay bounded; diag shows them in {@code /debug/vars}. */
public final class Counters {
    /** Requests whose family was not kept: {@link RequestFamilies#MAX_FAMILIES} families existed already. */
    public static final LongAdder requestsDropped = new LongAdder();
    /** Event objects not kept: their family was new past the cap, or held {@link EventFamily#MAX_OBJECTS}. */
    public static final LongAdder eventObjectsDropped = new LongAdder();
    /** Log lines pushed out of a full request or event log (shown there as "(N events discarded)"). */
    public static final LongAdder linesDiscarded = new LongAdder();
    /** Log lines cut at {@link BoundedLog#MAX_LINE} characters. */
    public static final LongAdder linesCut = new LongAdder();

    private Counters() {}
}
