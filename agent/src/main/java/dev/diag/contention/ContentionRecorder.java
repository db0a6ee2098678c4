package dev.diag.contention;

import dev.diag.hook.LabelSet;
import dev.diag.labels.ThreadLabels;
import dev.diag.pprof.Label;
import dev.diag.ring.RecordHandler;
import dev.diag.ring.RecordType;
import dev.diag.ring.RingRecord;
import dev.diag.stack.StackTable;

import java.util.List;

/**
 * Adds the hooks' block and mutex records, as the drainer hands them over, to the block and mutex tables; counts
 * them, since each one paid for a stack. A record carries the labels of the thread that recorded it: the waiter's for
 * block, the releasing holder's for mutex (whose stack the mutex profile shows).
 */
final class ContentionRecorder implements RecordHandler {
    private final StackTable stacks;
    private final ContentionTable block;
    private final ContentionTable mutex;
    private volatile long blockRecords;
    private volatile long mutexRecords;
    /** On the drainer's thread only. */
    private LabelSet lastSet;
    private List<Label> lastLabels = List.of();

    ContentionRecorder(StackTable stacks, ContentionTable block, ContentionTable mutex) {
        this.stacks = stacks;
        this.block = block;
        this.mutex = mutex;
    }

    /** Returns how many block records (sampled parks, each with its stack) were added so far. */
    long blockRecords() {
        return blockRecords;
    }

    /** Returns how many mutex records (releases that charged a sampled waiter, each with its stack) so far. */
    long mutexRecords() {
        return mutexRecords;
    }

    @Override
    public void onRecord(RingRecord r) {
        switch (r.type()) {
            case RecordType.BLOCK:
                if (stacks.stack(r.stackId()) != null) {
                    block.addBlockEvent(r.stackId(), labels(r.attachment()), r.duration(), r.extra1());
                }
                blockRecords++;
                break;
            case RecordType.MUTEX:
                if (stacks.stack(r.stackId()) != null) {
                    mutex.add(r.stackId(), null, labels(r.attachment()), r.extra1(), r.duration());
                }
                mutexRecords++;
                break;
            default:
                break;
        }
    }

    /** The pprof labels of a record's label set; a thread keeps one set for many records, so the last is reused. */
    private List<Label> labels(Object attachment) {
        if (!(attachment instanceof LabelSet set)) return List.of();
        if (set != lastSet) {
            lastLabels = ThreadLabels.toPprof(set);
            lastSet = set;
        }
        return lastLabels;
    }
}
