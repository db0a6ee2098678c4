package dev.diag.ring;

/**
 * The ring every diag hook writes its events into and the {@code diag-drainer} empties: one per JVM, in the bootstrap
 * loader so that hooks in {@code java.*} reach it.
 *
 * <p>Size: {@value #DEFAULT_CAPACITY} records (4 MiB) in all, split over {@link StripedRing#stripesFor} stripes. The
 * hidden system property {@code -Ddiag.ring.capacity=N} (records, total) changes it; it exists for stress tests that
 * need a ring small enough to fill, and for JVMs with very bursty contention.
 */
public final class EventRing {
    public static final int DEFAULT_CAPACITY = 65_536;

    /** The shared ring. */
    public static final StripedRing SHARED = new StripedRing(
            StripedRing.stripesFor(Runtime.getRuntime().availableProcessors()), configuredCapacity());

    private EventRing() {}

    private static int configuredCapacity() {
        try {
            String v = System.getProperty("diag.ring.capacity");
            if (v != null) return Math.max(2, Math.min(1 << 24, Integer.parseInt(v.trim())));
        } catch (RuntimeException ignored) {
            // A bad value means the default: a hidden tuning knob must not stop the agent.
        }
        return DEFAULT_CAPACITY;
    }
}
