package dev.diag.lockorder;

/**
 * The locks one thread holds, in the order it took them, with their hold counts (a re-entrant lock is one entry).
 * Only its own thread touches it. {@value #CAPACITY} entries; a thread that holds more has the extra ones untracked
 * (counted by the caller), which loses their edges but never misplaces the others.
 */
public final class HeldLocks {
    public static final int CAPACITY = 16;

    /** Strong references, but only while held: the thread holds these locks anyway, and a release clears its entry. */
    private final Object[] locks = new Object[CAPACITY];
    private final int[] holds = new int[CAPACITY];
    /** Node index + 1 in {@link LockOrderGraph}, 0 when not looked up yet (most locks are never nested). */
    private final int[] nodes = new int[CAPACITY];
    /** The stack this hold was taken at, when it was captured (the lock's node wanted its first site); else 0. */
    private final int[] sites = new int[CAPACITY];
    private int size;
    /** diag's own thread: its locks are not the application's. */
    final boolean ignored;

    public HeldLocks(boolean ignored) {
        this.ignored = ignored;
    }

    public boolean ignored() {
        return ignored;
    }

    public int size() {
        return size;
    }

    /** Returns the entry of {@code lock}, or -1. The newest first: a re-entered or released lock is usually the last. */
    public int indexOf(Object lock) {
        for (int i = size - 1; i >= 0; i--) {
            if (locks[i] == lock) return i;
        }
        return -1;
    }

    /** Adds one more hold of entry {@code i}. */
    public void reenter(int i) {
        holds[i]++;
    }

    /** Adds {@code lock} as held once; returns its entry, or -1 when the array is full. */
    public int push(Object lock) {
        if (size == CAPACITY) return -1;
        int i = size++;
        locks[i] = lock;
        holds[i] = 1;
        nodes[i] = 0;
        sites[i] = 0;
        return i;
    }

    /** Gives back one hold of {@code lock}; the last one removes its entry. Unknown locks are ignored. */
    public void release(Object lock) {
        int i = indexOf(lock);
        if (i < 0 || --holds[i] > 0) return;
        int last = --size;
        for (int j = i; j < last; j++) {
            locks[j] = locks[j + 1];
            holds[j] = holds[j + 1];
            nodes[j] = nodes[j + 1];
            sites[j] = sites[j + 1];
        }
        locks[last] = null;
    }

    public Object lock(int i) {
        return locks[i];
    }

    /**
     * Returns entry {@code i}'s node index, looking it up (without adding it) the first time; -1 when it has none,
     * {@link LockOrderGraph#FULL} when it has none and cannot have one.
     */
    public int node(int i) {
        int n = nodes[i];
        if (n != 0) return n - 1;
        int found = LockOrderGraph.find(locks[i]);
        if (found >= 0) nodes[i] = found + 1;
        return found;
    }

    /** Returns entry {@code i}'s node index, adding the node when absent; -1 when the graph is full. */
    public int nodeOrAdd(int i) {
        int n = node(i);
        if (n >= 0 || n == LockOrderGraph.FULL) return n;
        n = LockOrderGraph.findOrAdd(locks[i]);
        if (n >= 0) nodes[i] = n + 1;
        return n;
    }

    public int site(int i) {
        return sites[i];
    }

    public void setSite(int i, int stackId) {
        sites[i] = stackId;
    }
}
