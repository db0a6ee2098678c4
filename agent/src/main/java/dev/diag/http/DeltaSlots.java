package dev.diag.http;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The slots of delta profiles waiting for their second snapshot: at most {@link #MAX} at once, {@link #PER_CLIENT}
 * from one client address, so that one client alone cannot have everyone else refused.
 */
final class DeltaSlots {
    static final int MAX = 32;
    static final int PER_CLIENT = MAX / 2;

    private final AtomicInteger taken = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byClient = new ConcurrentHashMap<>();

    /** Takes a slot for {@code client} (null: unknown, counted in the total only); false when none is free. */
    boolean take(InetAddress client) {
        if (taken.incrementAndGet() > MAX) {
            taken.decrementAndGet();
            return false;
        }
        if (client == null) return true;
        boolean[] got = {false};
        byClient.compute(client, (c, n) -> {
            int held = n == null ? 0 : n;
            if (held >= PER_CLIENT) return n;
            got[0] = true;
            return held + 1;
        });
        if (!got[0]) taken.decrementAndGet();
        return got[0];
    }

    /** Gives back a slot {@link #take} gave {@code client}. */
    void release(InetAddress client) {
        taken.decrementAndGet();
        if (client != null) byClient.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
    }

    /** Returns how many slots are taken (shown in /debug/vars). */
    int taken() {
        return taken.get();
    }
}
