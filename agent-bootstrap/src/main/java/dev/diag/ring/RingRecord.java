package dev.diag.ring;

/**
 * A view of one record during {@link StripedRing#drain}: valid only inside {@link RecordHandler#onRecord}, because
 * the slot is recycled when the handler returns. Copy what you keep. The field meanings are in {@link RingDescriptor}.
 */
public final class RingRecord {
    private int type;
    private int stackId;
    private long threadId;
    private long timestamp;
    private long duration;
    private long objectId;
    private long extra1;
    private long extra2;
    private Object attachment;

    void load(long[] buffer, int offset, Object attachment) {
        this.attachment = attachment;
        long ts = buffer[offset + RingDescriptor.TYPE_AND_STACK];
        type = (int) (ts >>> 32);
        stackId = (int) ts;
        threadId = buffer[offset + RingDescriptor.THREAD];
        timestamp = buffer[offset + RingDescriptor.TIME];
        duration = buffer[offset + RingDescriptor.DURATION];
        objectId = buffer[offset + RingDescriptor.OBJECT];
        extra1 = buffer[offset + RingDescriptor.EXTRA1];
        extra2 = buffer[offset + RingDescriptor.EXTRA2];
    }

    /** Returns the {@link RecordType} code. */
    public int type() { return type; }

    /** Returns the {@link dev.diag.stack.StackTable} id of the event's stack, or 0. */
    public int stackId() { return stackId; }

    public long threadId() { return threadId; }

    /** Returns {@code System.nanoTime()} at the end of the event. */
    public long timestamp() { return timestamp; }

    public long duration() { return duration; }

    public long objectId() { return objectId; }

    public long extra1() { return extra1; }

    public long extra2() { return extra2; }

    /** Returns the object offered with the record (the labels of its thread for block and mutex records), or null. */
    public Object attachment() { return attachment; }
}
