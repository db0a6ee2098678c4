package dev.diag.ring;

/**
 * Layout of one ring record: eight longs (64 bytes, one cache line) in a {@code long[]}, the first of them the slot's
 * sequence word that publishes it.
 *
 * <pre>
 *   0               1               2               3               4  (long index; bytes = index × 8)
 *   +---------------+-------+-------+---------------+---------------+
 *   | sequence      | type  | stack | thread id     | timestamp ns  |
 *   +---------------+-------+-------+---------------+---------------+
 *   | duration ns   | object id     | extra 1       | extra 2       |
 *   +---------------+---------------+---------------+---------------+
 *   4               5               6               7               8
 * </pre>
 *
 * <ul>
 * <li>sequence: the slot's publication word (see {@link MpscRing}, ordering (1)–(4)); never seen by handlers.</li>
 * <li>type (high 32 bits) and stack id (low 32 bits): a {@link RecordType} code and an id of
 *     {@link dev.diag.stack.StackTable} (0: no stack).</li>
 * <li>thread id: {@code Thread.getId()} of the thread the event happened on (virtual threads included).</li>
 * <li>timestamp: {@code System.nanoTime()} at the end of the event; duration: its length in ns (0: an instant).</li>
 * <li>object id: identity of the object waited on ({@code System.identityHashCode}), or 0.</li>
 * <li>extra 1 and 2: per type (block: the sampling rate in force; mutex: the weighted contention count).</li>
 * </ul>
 */
public final class RingDescriptor {
    /** Longs per record: a power of two, so a record never straddles two cache lines when the array is aligned. */
    public static final int RECORD_LONGS = 8;
    public static final int SEQUENCE = 0;
    public static final int TYPE_AND_STACK = 1;
    public static final int THREAD = 2;
    public static final int TIME = 3;
    public static final int DURATION = 4;
    public static final int OBJECT = 5;
    public static final int EXTRA1 = 6;
    public static final int EXTRA2 = 7;

    private RingDescriptor() {}

    /** Returns the index of a record's first long in the buffer, for a ring index under {@code mask}. */
    static int offset(long index, int mask) {
        return ((int) index & mask) * RECORD_LONGS;
    }

    static long typeAndStack(int type, int stackId) {
        return ((long) type << 32) | (stackId & 0xffffffffL);
    }
}
