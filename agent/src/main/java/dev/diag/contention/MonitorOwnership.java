package dev.diag.contention;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reconstructs who held a contended monitor while a thread waited for it, from JFR's {@code jdk.JavaMonitorEnter}
 * events alone: each event says that at its end time the monitor passed from {@code previousOwner} to the waiting
 * thread. So during a wait {@code [start, end]} the owner is known piecewise: before the first hand-over inside the
 * wait it is that hand-over's previous owner, after each hand-over it is the thread that took it, and the last
 * stretch belongs to the waiter's own previous owner. Each stretch is charged to its owner, which is the j.u.c. rule
 * ("charge the holder for the time others waited") at thread rather than stack precision.
 *
 * <p>Events are handled in arrival order, which JFR keeps close to end-time order; a hand-over that arrives after a
 * wait containing it is not applied to that wait (the stretch is charged to the earlier owner). Memory is bounded:
 * the last {@value #HISTORY} hand-overs of each of the {@value #MONITORS} most recently contended monitors. Used by the
 * JFR stream thread only.
 */
final class MonitorOwnership {
    static final int HISTORY = 64;
    static final int MONITORS = 1024;

    /** Receives one owner's share of a wait. */
    interface Charge {
        /**
         * Charges {@code ns} of the wait to {@code owner} (its name; null when unknown), thread id {@code ownerId}
         * (-1 when unknown), which held the monitor from {@code since} (epoch ns) in that stretch.
         */
        void charge(String owner, long ownerId, long since, long ns);
    }

    private static final class Handovers {
        final long[] at = new long[HISTORY];
        final String[] to = new String[HISTORY];
        final String[] from = new String[HISTORY];
        final long[] fromId = new long[HISTORY];
        int next;
        int size;

        void add(long time, String fromThread, long fromThreadId, String toThread) {
            at[next] = time;
            from[next] = fromThread;
            fromId[next] = fromThreadId;
            to[next] = toThread;
            next = (next + 1) % HISTORY;
            if (size < HISTORY) size++;
        }
    }

    private final Map<Long, Handovers> monitors = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Handovers> eldest) {
            return size() > MONITORS;
        }
    };

    /**
     * Records that {@code waiter} got monitor {@code address} at {@code end} from {@code previousOwner} (thread id
     * {@code previousOwnerId}, -1 when unknown) after waiting since {@code start} (epoch ns), and hands each owner's
     * share of the wait to {@code charge}. An unknown owner is passed as null.
     */
    void onEnter(long address, long start, long end, String waiter, String previousOwner, long previousOwnerId,
                 Charge charge) {
        Handovers h = monitors.computeIfAbsent(address, k -> new Handovers());
        // Hand-overs inside (start, end), oldest first.
        int n = 0;
        int[] inside = new int[h.size];
        for (int k = 0; k < h.size; k++) {
            int i = Math.floorMod(h.next - h.size + k, HISTORY);
            if (h.at[i] > start && h.at[i] < end) inside[n++] = i;
        }
        sortByTime(h, inside, n); // ring order is not time order when events arrived out of order
        long from = start;
        for (int k = 0; k < n; k++) {
            int i = inside[k];
            charge.charge(h.from[i], h.fromId[i], from, h.at[i] - from);
            from = h.at[i];
        }
        charge.charge(previousOwner, previousOwnerId, from, end - from);
        h.add(end, previousOwner, previousOwnerId, waiter);
    }

    private static void sortByTime(Handovers h, int[] idx, int n) {
        for (int a = 1; a < n; a++) { // insertion sort: n is small and nearly sorted
            int v = idx[a];
            int b = a - 1;
            while (b >= 0 && h.at[idx[b]] > h.at[v]) {
                idx[b + 1] = idx[b];
                b--;
            }
            idx[b + 1] = v;
        }
    }
}
