package dev.diag.ring;

/**
 * Codes of the record types in diag's rings. Consumers skip codes they do not know, so producers may add types
 * (the execution tracer adds its own) without breaking the block and mutex profiles.
 */
public final class RecordType {
    /** A thread waited (park, monitor enter, wait); duration = the wait; extra 1 = the block rate it was sampled at. */
    public static final int BLOCK = 1;
    /**
     * A lock was released while others waited for it; the record is on the releasing thread with its stack;
     * duration = the waiters' delay charged to this release, already scaled by the mutex fraction; extra 1 = the
     * contentions charged, scaled likewise.
     */
    public static final int MUTEX = 2;
    /**
     * A park recorded only because an execution trace records (it was not sampled for the block profile); fields as
     * {@link #BLOCK} with extra 1 = 0. The tracer reads both: together they are every park while a trace records.
     * BLOCK and PARK carry {@link #HINT_CONDITION} in extra 2.
     */
    public static final int PARK = 3;
    /** While a trace records: the record's thread unparked another; extra 1 = the unparked thread's id. No stack. */
    public static final int UNPARK = 4;
    /**
     * With {@code lockorder=1}: the record's thread took a lock in the order opposite to one seen before (a potential
     * deadlock); the stack is where; extra 1 and 2 = the two locks' nodes in {@code dev.diag.lockorder.LockOrderGraph}.
     */
    public static final int LOCK_ORDER = 5;

    /** Extra 2 of BLOCK and PARK: the park's blocker is a {@code Condition} (an await, not a lock acquire). */
    public static final long HINT_CONDITION = 1;

    private RecordType() {}
}
