package dev.diag.bench.attach;

import java.util.concurrent.locks.LockSupport;

/**
 * The application the attach benchmark attaches to: one thread ticks every millisecond and, every 100 ms, prints
 * {@code gap EPOCH_MS MAX_GAP_US}, the largest gap between two ticks in that window. A pause of the application
 * (safepoints while classes are retransformed, deoptimisation, CPU taken by diag's start-up) shows as a large gap.
 * Runs until killed.
 */
public final class TickingApp {
    public static void main(String[] args) {
        long windowEnd = System.nanoTime() + 100_000_000L;
        long last = System.nanoTime();
        long maxGap = 0;
        while (true) {
            LockSupport.parkNanos(1_000_000L);
            long now = System.nanoTime();
            maxGap = Math.max(maxGap, now - last);
            last = now;
            if (now >= windowEnd) {
                System.out.println("gap " + System.currentTimeMillis() + " " + maxGap / 1000);
                System.out.flush();
                maxGap = 0;
                windowEnd = now + 100_000_000L;
            }
        }
    }
}
