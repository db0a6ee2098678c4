package dev.diag.gc;

/**
 * One collection as the JVM reported it, with what Go's gctrace line needs that the notification alone does not say
 * (its number in the process, the GC time so far).
 *
 * @param number        the process's collections so far, this one included, over every collector (Go's {@code gc #})
 * @param startMs       when it began, ms since the JVM started
 * @param stopMs        how long it stopped the application, ms (the JVM reports whole milliseconds): the whole
 *                      collection, or for a concurrent cycle the sum of its pauses
 * @param concurrentMs  how long it ran beside the application, ms: 0, or a concurrent cycle's time less its pauses
 * @param concurrent    whether it is a concurrent cycle (ZGC, Shenandoah) rather than a stop-the-world collection
 * @param pausedMs      the stop-the-world time of every collection so far, this one included, ms
 * @param heapBefore    bytes used in the heap's pools when it began
 * @param heapAfter     bytes used in the heap's pools when it ended
 * @param heapCommitted bytes committed to the heap's pools when it ended
 * @param collector     the collector's name ({@code G1 Young Generation})
 * @param cause         the JVM's cause ({@code G1 Evacuation Pause}, {@code System.gc()})
 */
record GcEvent(long number, long startMs, long stopMs, long concurrentMs, boolean concurrent, long pausedMs, long heapBefore,
               long heapAfter, long heapCommitted, String collector, String cause) {
}
