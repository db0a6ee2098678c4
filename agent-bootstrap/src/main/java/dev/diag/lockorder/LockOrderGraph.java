package dev.diag.lockorder;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The lock-order graph: every lock ever taken while another was held is a node, and each "took B while holding A" an
 * edge A→B with the stacks and thread of its first occurrence. Two locks with edges both ways were taken in opposite
 * orders: a potential deadlock, whether or not one ever happened.
 *
 * <p>Bounded: {@value #NODES} nodes and {@value #EDGES} edges in open-addressed tables of fixed size, found by the
 * lock's identity hash (nodes) or the pair of node indexes (edges) within {@value #PROBES} probes; what does not fit is
 * counted ({@link #nodesDropped()}, {@link #edgesDropped()}) and not tracked. A node holds its lock by a weak reference,
 * so the graph never keeps an application's lock alive; a node whose lock was collected keeps its slot (and its edges,
 * which still name the code that took it), so indexes never change meaning.
 *
 * <p>Concurrency: a slot is claimed by one CAS (the node's reference, the edge's key); the fields filled after it are
 * atomic and read as "not yet known" (0, null) until set, so a reader never sees another lock's facts. Nothing here
 * blocks. Lookups allocate nothing; only a new node allocates (its weak reference), once per lock.
 */
public final class LockOrderGraph {
    public static final int NODES = 4096;
    public static final int EDGES = 8192;
    static final int PROBES = 16;
    /** What a lookup returns for an absent lock or order whose probes are all taken: it could not be added either. */
    public static final int FULL = -2;
    /**
     * Acquisitions of a known lock whose stack is kept for the hold, so that an order found later names where that
     * thread took it: the first few per lock, then none (a hot lock must not walk its stack on every acquisition).
     */
    public static final int SITES_PER_LOCK = 8;

    private static final AtomicReferenceArray<WeakReference<Object>> NODE_LOCK = new AtomicReferenceArray<>(NODES);
    /** Where the lock was first seen taken (a {@code StackTable.SHARED} id), 0 until one is captured. */
    private static final AtomicIntegerArray NODE_SITE = new AtomicIntegerArray(NODES);
    private static final AtomicReferenceArray<String> NODE_NAME = new AtomicReferenceArray<>(NODES);
    private static final AtomicIntegerArray NODE_SITES_TAKEN = new AtomicIntegerArray(NODES);

    /** An edge's key: {@code (from + 1) << 32 | (to + 1)}, 0 for a free slot. */
    private static final AtomicLongArray EDGE_KEY = new AtomicLongArray(EDGES);
    /** The stack that took the edge's second lock while holding the first (first occurrence). */
    private static final AtomicIntegerArray EDGE_INNER_SITE = new AtomicIntegerArray(EDGES);
    /** The stack that took the first lock, when it was captured for that hold; else the node's site stands for it. */
    private static final AtomicIntegerArray EDGE_OUTER_SITE = new AtomicIntegerArray(EDGES);
    private static final AtomicLongArray EDGE_THREAD_ID = new AtomicLongArray(EDGES);
    private static final AtomicReferenceArray<String> EDGE_THREAD_NAME = new AtomicReferenceArray<>(EDGES);

    private static final AtomicLong NODES_DROPPED = new AtomicLong();
    private static final AtomicLong EDGES_DROPPED = new AtomicLong();
    private static final AtomicLong INVERSIONS = new AtomicLong();

    private LockOrderGraph() {}

    /**
     * Returns the node index of {@code lock}, or -1 when it has none, or {@link #FULL} when it has none and there is
     * no room for it. Allocates nothing.
     */
    public static int find(Object lock) {
        int h = System.identityHashCode(lock);
        for (int p = 0; p < PROBES; p++) {
            int i = (h + p) & (NODES - 1);
            WeakReference<Object> ref = NODE_LOCK.get(i);
            if (ref == null) return -1;
            if (ref.get() == lock) return i;
        }
        return FULL;
    }

    /** Returns the node index of {@code lock}, adding it when absent, or -1 (counted) when its probes are full. */
    public static int findOrAdd(Object lock) {
        int h = System.identityHashCode(lock);
        WeakReference<Object> mine = null;
        for (int p = 0; p < PROBES; p++) {
            int i = (h + p) & (NODES - 1);
            WeakReference<Object> ref = NODE_LOCK.get(i);
            if (ref == null) {
                if (mine == null) mine = new WeakReference<>(lock);
                if (NODE_LOCK.compareAndSet(i, null, mine)) {
                    NODE_NAME.set(i, lock.getClass().getName());
                    return i;
                }
                ref = NODE_LOCK.get(i); // another thread took the slot: perhaps for this very lock
            }
            if (ref.get() == lock) return i;
        }
        NODES_DROPPED.incrementAndGet();
        return -1;
    }

    /**
     * Returns whether this acquisition of node {@code node}'s lock should keep its stack ({@link #SITES_PER_LOCK});
     * a true answer is counted against the lock's allowance. One read once the allowance is spent.
     */
    public static boolean takesSite(int node) {
        return NODE_SITES_TAKEN.get(node) < SITES_PER_LOCK && NODE_SITES_TAKEN.getAndIncrement(node) < SITES_PER_LOCK;
    }

    /** Keeps {@code stackId} as where the node's lock was first seen taken, unless one is kept already. */
    public static void offerSite(int node, int stackId) {
        NODE_SITE.compareAndSet(node, 0, stackId);
    }

    /**
     * Returns the edge index of {@code from}→{@code to}, or -1 when there is none, or {@link #FULL} when there is none
     * and no room for it. Allocates nothing.
     */
    public static int findEdge(int from, int to) {
        long key = key(from, to);
        int h = hash(key);
        for (int p = 0; p < PROBES; p++) {
            int i = (h + p) & (EDGES - 1);
            long k = EDGE_KEY.get(i);
            if (k == key) return i;
            if (k == 0) return -1;
        }
        return FULL;
    }

    /**
     * Adds the edge {@code from}→{@code to} with its first occurrence; returns true when this call added it (false when
     * it was there, or when its probes were full, counted).
     */
    public static boolean addEdge(int from, int to, int innerSite, int outerSite, Thread thread) {
        long key = key(from, to);
        int h = hash(key);
        for (int p = 0; p < PROBES; p++) {
            int i = (h + p) & (EDGES - 1);
            long k = EDGE_KEY.get(i);
            if (k == key) return false;
            if (k == 0) {
                if (!EDGE_KEY.compareAndSet(i, 0, key)) {
                    if (EDGE_KEY.get(i) == key) return false;
                    continue;
                }
                EDGE_INNER_SITE.set(i, innerSite);
                EDGE_OUTER_SITE.set(i, outerSite);
                EDGE_THREAD_ID.set(i, thread.getId());
                EDGE_THREAD_NAME.set(i, thread.getName());
                return true;
            }
        }
        EDGES_DROPPED.incrementAndGet();
        return false;
    }

    /** Counts one pair of locks found taken in opposite orders. */
    public static void countInversion() {
        INVERSIONS.incrementAndGet();
    }

    private static long key(int from, int to) {
        return ((long) (from + 1) << 32) | (to + 1);
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: node indexes are small and dense
        return (int) (h >>> 32);
    }

    // The report's view (any thread, never on a hook's path).

    /** Returns the edges as {@code [from node, to node, edge index]}, in slot order; an edge being added may be missing. */
    public static int[][] edges() {
        int n = 0;
        for (int i = 0; i < EDGES; i++) if (EDGE_KEY.get(i) != 0) n++;
        int[][] out = new int[n][];
        int j = 0;
        for (int i = 0; i < EDGES && j < n; i++) {
            long k = EDGE_KEY.get(i);
            if (k != 0) out[j++] = new int[] {(int) (k >>> 32) - 1, (int) k - 1, i};
        }
        return j == n ? out : java.util.Arrays.copyOf(out, j);
    }

    /** Returns the class name of node {@code node}'s lock, or null while it is being added. */
    public static String nodeName(int node) {
        return NODE_NAME.get(node);
    }

    /** Returns the identity hash of node {@code node}'s lock, or 0 once the lock was collected. */
    public static int nodeIdentity(int node) {
        WeakReference<Object> ref = NODE_LOCK.get(node);
        Object lock = ref == null ? null : ref.get();
        return lock == null ? 0 : System.identityHashCode(lock);
    }

    public static int nodeSite(int node) {
        return NODE_SITE.get(node);
    }

    public static int edgeInnerSite(int edge) {
        return EDGE_INNER_SITE.get(edge);
    }

    public static int edgeOuterSite(int edge) {
        return EDGE_OUTER_SITE.get(edge);
    }

    public static long edgeThreadId(int edge) {
        return EDGE_THREAD_ID.get(edge);
    }

    public static String edgeThreadName(int edge) {
        return EDGE_THREAD_NAME.get(edge);
    }

    /** Returns how many locks are nodes (collected ones included). */
    public static int nodes() {
        int n = 0;
        for (int i = 0; i < NODES; i++) if (NODE_LOCK.get(i) != null) n++;
        return n;
    }

    public static long nodesDropped() {
        return NODES_DROPPED.get();
    }

    public static long edgesDropped() {
        return EDGES_DROPPED.get();
    }

    /** Returns how many times a new edge closed a cycle of two (pairs of locks taken in opposite orders). */
    public static long inversions() {
        return INVERSIONS.get();
    }
}
