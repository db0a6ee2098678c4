package dev.diag.trace;

import dev.diag.hook.TraceEventLog;
import dev.diag.ring.RecordHandler;
import dev.diag.ring.RecordType;
import dev.diag.ring.RingRecord;

/**
 * Copies the parks and wake-ups the hooks wrote into the shared event ring into the log of the trace being recorded.
 * Subscribed once to {@code diag-drainer} (which calls it for every record, on its own thread); does nothing while no
 * trace records.
 *
 * <p>Parks come as {@link RecordType#BLOCK} (sampled for the block profile too) or {@link RecordType#PARK} (recorded
 * for the trace alone); the park hook writes one or the other, never both, so each park is copied once.
 */
final class RingFeed implements RecordHandler {
    private volatile TraceEventLog target;

    /** Copies records into {@code log} from now on, or into nothing when null. */
    void target(TraceEventLog log) {
        target = log;
    }

    @Override
    public void onRecord(RingRecord r) {
        TraceEventLog log = target;
        if (log == null) return;
        switch (r.type()) {
            case RecordType.BLOCK, RecordType.PARK -> log.appendAt(r.timestamp(), TraceEventLog.TYPE_PARK, r.threadId(),
                    r.duration(), (r.extra2() << 32) | (r.stackId() & 0xffffffffL), null, null);
            case RecordType.UNPARK ->
                    log.appendAt(r.timestamp(), TraceEventLog.TYPE_UNPARK, r.threadId(), r.extra1(), 0, null, null);
            default -> { }
        }
    }
}
