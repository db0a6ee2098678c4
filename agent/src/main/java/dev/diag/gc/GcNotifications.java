package dev.diag.gc;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import dev.diag.base.Log;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the JVM's GC notifications (one per collection, per collector, delivered on the JDK's notification thread, never
 * an application thread) into {@link GcEvent}s. Numbers count every collector's collections since the JVM started,
 * also those before diag listened (an attach): each collector's notification carries its own collection count, and
 * the process's number is the sum of the latest count of each.
 *
 * <p>ZGC and Shenandoah report each concurrent cycle through two collectors, {@code ... Cycles} (the cycle, with the
 * heap before and after) and {@code ... Pauses} (its pauses, with no heap figures). As Go has one line per cycle with
 * its stop-the-world parts in it, a pause becomes no event of its own: it is added to the stop-the-world time of the
 * next cycle of the same kind ({@code ZGC Minor}, {@code ZGC Major}, ...), and it is not counted in the numbers.
 */
final class GcNotifications implements NotificationListener {
    private final Consumer<GcEvent> sink;
    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final Map<String, Long> collections = new HashMap<>(); // guarded by this
    /** Pause ms reported since the last cycle of each kind ("ZGC Minor"), not yet in a line. */
    private final Map<String, Long> pendingPauses = new HashMap<>(); // guarded by this
    private long pausedMs; // guarded by this
    private volatile boolean failed;

    private GcNotifications(Consumer<GcEvent> sink) {
        this.sink = sink;
    }

    /** What a collection the JVM ran before diag listened is printed with: its cause is not in the JVM's record. */
    static final String BEFORE_LISTENING = "before diag listened";

    /**
     * Starts handing every collection to {@code sink}, on the JDK's notification thread, until {@link #close}.
     *
     * @param catchUp whether to hand over, first and on this thread, each stop-the-world collector's collection that
     *                ran before listening, when it was that collector's only one: at premain, where the JVM's first
     *                young collection can fall in the start-up of the JVM and diag. It comes from the collector's
     *                last-collection record ({@link GarbageCollectorMXBean}'s {@code getLastGcInfo}), which has all a
     *                line needs but the cause: that reads {@value #BEFORE_LISTENING}.
     */
    static GcNotifications listen(Consumer<GcEvent> sink, boolean catchUp) {
        GcNotifications n = new GcNotifications(sink);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) n.heapPools.add(pool.getName());
        }
        // Listening before reading the counts: a collection in between is then counted once and still printed.
        synchronized (n) {
            try {
                for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                    if (!(gc instanceof NotificationEmitter)) continue;
                    ((NotificationEmitter) gc).addNotificationListener(n, null, null);
                    n.emitters.add((NotificationEmitter) gc);
                    if (!isPausesOfCycles(gc.getName())) {
                        n.collections.merge(gc.getName(), Math.max(0, gc.getCollectionCount()), Math::max);
                    }
                    if (!isCycles(gc.getName())) n.pausedMs += Math.max(0, gc.getCollectionTime());
                }
                // Inside the lock: a notification of a later collection waits in event() and so prints after these.
                if (catchUp) n.catchUp();
            } catch (RuntimeException e) {
                n.close(); // the feature is off: no listener of it may go on printing
                throw e;
            }
        }
        return n;
    }

    /** Hands over the collections that ran before listening, as {@link #listen} says. */
    private void catchUp() {
        record Before(String collector, GcInfo gc) {}
        List<Before> before = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (isCycles(name) || isPausesOfCycles(name) || gc.getCollectionCount() != 1) continue;
            if (!(gc instanceof com.sun.management.GarbageCollectorMXBean hotspot)) continue;
            GcInfo info = hotspot.getLastGcInfo();
            if (info != null && info.getId() == 1) before.add(new Before(name, info));
        }
        before.sort(Comparator.comparingLong(b -> b.gc().getStartTime()));
        long number = 0;
        for (long c : collections.values()) number += c;
        number -= before.size();
        for (Before b : before) {
            sink.accept(event(++number, b.gc(), b.gc().getDuration(), 0, false, b.collector(), BEFORE_LISTENING));
        }
    }

    /** Stops listening; a notification already being handled may still reach the sink. */
    void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (ListenerNotFoundException ignored) {
                // not listening there: nothing to remove
            }
        }
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        try {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
            GcEvent e = event(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()));
            if (e != null) sink.accept(e);
        } catch (Throwable t) { // the JDK's notification thread serves other listeners too: nothing may escape to it
            if (!failed) {
                failed = true;
                Log.error("gctrace: cannot print a collection (" + t + "); later failures are not reported");
            }
        }
    }

    /** Returns the event of a collection, or null for a pause of a concurrent cycle (kept for the cycle's line). */
    private synchronized GcEvent event(GarbageCollectionNotificationInfo info) {
        GcInfo gc = info.getGcInfo();
        String name = info.getGcName();
        if (!isCycles(name)) pausedMs += gc.getDuration();
        if (isPausesOfCycles(name)) {
            pendingPauses.merge(kind(name), gc.getDuration(), Long::sum);
            return null;
        }
        collections.merge(name, gc.getId(), Math::max);
        long number = 0;
        for (long c : collections.values()) number += c;
        // G1's "G1 Concurrent GC" (JDK 20+) is no cycle: it reports G1's Remark and Cleanup pauses, one by one.
        boolean cycle = isCycles(name);
        long stopMs = cycle ? pendingPauses.getOrDefault(kind(name), 0L) : gc.getDuration();
        if (cycle) pendingPauses.remove(kind(name));
        long concurrentMs = cycle ? Math.max(0, gc.getDuration() - stopMs) : 0;
        return event(number, gc, stopMs, concurrentMs, cycle, name, info.getGcCause());
    }

    /** Returns collection {@code number}'s event, its heap figures from the collector's record {@code gc}. */
    private GcEvent event(long number, GcInfo gc, long stopMs, long concurrentMs, boolean cycle, String collector,
                          String cause) {
        return new GcEvent(number, gc.getStartTime(), stopMs, concurrentMs, cycle, pausedMs,
                heap(gc.getMemoryUsageBeforeGc(), false), heap(gc.getMemoryUsageAfterGc(), false),
                heap(gc.getMemoryUsageAfterGc(), true), collector, cause);
    }

    /** Bytes used (or committed) in the heap's pools; the maps also hold Metaspace and the code cache. */
    private long heap(Map<String, MemoryUsage> byPool, boolean committed) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : byPool.entrySet()) {
            if (heapPools.contains(e.getKey())) sum += committed ? e.getValue().getCommitted() : e.getValue().getUsed();
        }
        return sum;
    }

    /** ZGC's and Shenandoah's collectors of whole concurrent cycles: "ZGC Cycles", "ZGC Major Cycles", ... */
    private static boolean isCycles(String name) {
        return name.endsWith(" Cycles");
    }

    /** Their collectors of the cycles' pauses: "ZGC Pauses", "Shenandoah Pauses", "ZGC Minor Pauses", ... */
    private static boolean isPausesOfCycles(String name) {
        return name.endsWith(" Pauses");
    }

    /** "ZGC Minor" of "ZGC Minor Pauses" and "ZGC Minor Cycles": a cycle's pauses go into that cycle's line. */
    private static String kind(String name) {
        return name.substring(0, name.lastIndexOf(' '));
    }
}
