package dev.diag.push;

import java.util.function.DoubleSupplier;

/**
 * Delays between attempts to reach a server that fails: doubling from {@code first} up to {@code cap}, each drawn
 * uniformly from its upper half ("equal jitter"), so that a fleet of JVMs that lost the same server does not come back
 * to it in step.
 */
public final class Backoff {
    private final long firstMillis;
    private final long capMillis;
    private final DoubleSupplier random;
    private int failures;

    /** {@code random} returns values in [0, 1). */
    public Backoff(long firstMillis, long capMillis, DoubleSupplier random) {
        this.firstMillis = firstMillis;
        this.capMillis = capMillis;
        this.random = random;
    }

    /** Returns how long to wait after one more failure. */
    public long nextDelayMillis() {
        long ceiling = failures >= 30 ? capMillis : Math.min(capMillis, firstMillis << failures);
        failures++;
        long half = ceiling / 2;
        return half + (long) (random.getAsDouble() * (ceiling - half));
    }

    /** Forgets the failures after a success. */
    public void reset() {
        failures = 0;
    }
}
