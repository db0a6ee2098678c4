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
 */
final class GcNotifications implements NotificationListener {
    private final Consumer<GcEvent> sink;
    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final Map<String, Long> collections = new HashMap<>(); // guarded by this
    private long pausedMs; // guarded by this
    private volatile boolean failed;

    private GcNotifications(Consumer<GcEvent> sink) {
        this.sink = sink;
    }

    /** Starts handing every collection to {@code sink}, on the JDK's notification thread, until {@link #close}. */
    static GcNotifications listen(Consumer<GcEvent> sink) {
        GcNotifications n = new GcNotifications(sink);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) n.heapPools.add(pool.getName());
        }
        // Listening before reading the counts: a collection in between is then counted once and still printed.
        synchronized (n) {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (!(gc instanceof NotificationEmitter)) continue;
                ((NotificationEmitter) gc).addNotificationListener(n, null, null);
                n.emitters.add((NotificationEmitter) gc);
                n.collections.merge(gc.getName(), Math.max(0, gc.getCollectionCount()), Math::max);
                if (!isConcurrentCollector(gc.getName())) n.pausedMs += Math.max(0, gc.getCollectionTime());
            }
        }
        return n;
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
            sink.accept(event(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())));
        } catch (Throwable t) { // the JDK's notification thread serves other listeners too: nothing may escape to it
            if (!failed) {
                failed = true;
                Log.error("gctrace: cannot print a collection (" + t + "); later failures are not reported");
            }
        }
    }

    private synchronized GcEvent event(GarbageCollectionNotificationInfo info) {
        GcInfo gc = info.getGcInfo();
        collections.merge(info.getGcName(), gc.getId(), Math::max);
        long number = 0;
        for (long c : collections.values()) number += c;
        // ZGC's and Shenandoah's cycle beans say "end of GC cycle": work beside the application, not a pause. G1's
        // "G1 Concurrent GC" (JDK 20+) reports its Remark and Cleanup pauses, which do stop the application.
        boolean concurrent = info.getGcAction().contains("cycle");
        if (!concurrent) pausedMs += gc.getDuration();
        return new GcEvent(number, gc.getStartTime(), gc.getDuration(), concurrent, pausedMs,
                heap(gc.getMemoryUsageBeforeGc(), false), heap(gc.getMemoryUsageAfterGc(), false),
                heap(gc.getMemoryUsageAfterGc(), true), info.getGcName(), info.getGcCause());
    }

    /** Bytes used (or committed) in the heap's pools; the maps also hold Metaspace and the code cache. */
    private long heap(Map<String, MemoryUsage> byPool, boolean committed) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : byPool.entrySet()) {
            if (heapPools.contains(e.getKey())) sum += committed ? e.getValue().getCommitted() : e.getValue().getUsed();
        }
        return sum;
    }

    /** The beans of concurrent cycles, whose collection time is not pause time. */
    private static boolean isConcurrentCollector(String name) {
        return name.contains("Cycles");
    }
}
