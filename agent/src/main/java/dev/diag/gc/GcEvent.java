package dev.diag.gc;

/**
 * One collection as the JVM reported it, with what Go's gctrace line needs that the notification alone does not say
 * (its number in the process, the GC time so far).
 *
 * @param number        the process's collections so far, this one included, over every collector (Go's {@code gc #})
 * @param startMs       when it began, ms since the JVM started
 * @param durationMs    how long it took, ms (the JVM reports whole milliseconds)
 * @param concurrent    whether it ran beside the application (a ZGC or Shenandoah cycle) rather than stopping it
 * @param pausedMs      the stop-the-world time of every collection so far, this one included, ms
 * @param heapBefore    bytes used in the heap's pools when it began
 * @param heapAfter     bytes used in the heap's pools when it ended
 * @param heapCommitted bytes committed to the heap's pools when it ended
 * @param collector     the collector's name ({@code G1 Young Generation})
 * @param cause         the JVM's cause ({@code G1 Evacuation Pause}, {@code System.gc()})
 */
record GcEvent(long number, long startMs, long durationMs, boolean concurrent, long pausedMs, long heapBefore,
               long heapAfter, long heapCommitted, String collector, String cause) {
}
