package dev.diag.pprof;

import java.time.Instant;

/** Wall-clock time as nanoseconds since the Unix epoch: the clock of profile times and of every sample diag reads. */
public final class EpochNanos {
    private EpochNanos() {}

    /** Returns {@code t} in epoch nanoseconds. */
    public static long of(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Returns now in epoch nanoseconds. */
    public static long now() {
        return of(Instant.now());
    }
}
