package dev.diag.gc;

import java.math.BigDecimal;

/**
 * Writes a {@link GcEvent} in the layout of Go's {@code GODEBUG=gctrace=1} line, so tools that read Go's lines read
 * the JVM's:
 *
 * <pre>gc 3 @1.234s 0%: 4.0+0+0 ms clock, 0+0/0/0+0 ms cpu, 24->2->2 MB, 256 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced) (G1 Old Generation, System.gc())</pre>
 *
 * What each field holds, and what the JVM does not report, is in the README ("gctrace"). Numbers are written as Go
 * writes them: times in ms with two significant digits below 10 ms, whole above; sizes in whole MB, rounded down.
 */
final class GcTraceLine {
    private static final long MB_SHIFT = 20;

    private GcTraceLine() {}

    static String format(GcEvent e, int processors) {
        long endMs = e.startMs() + e.stopMs() + e.concurrentMs();
        long percent = endMs <= 0 ? 0 : 100 * e.pausedMs() / endMs;
        // Go's clock is sweep termination (stop-the-world) + marking (concurrent) + mark termination (stop-the-world):
        // the JVM's stop-the-world time goes in the first slot, its concurrent time in the second.
        String clock = millis(e.stopMs() * 1_000_000L) + "+" + millis(e.concurrentMs() * 1_000_000L) + "+0";
        StringBuilder sb = new StringBuilder(160);
        sb.append("gc ").append(e.number())
                .append(" @").append(BigDecimal.valueOf(e.startMs(), 3).toPlainString()).append("s ")
                .append(percent).append("%: ")
                .append(clock).append(" ms clock, ")
                .append("0+0/0/0+0 ms cpu, ")
                .append(e.heapBefore() >> MB_SHIFT).append("->").append(e.heapAfter() >> MB_SHIFT).append("->")
                .append(e.heapAfter() >> MB_SHIFT).append(" MB, ")
                .append(e.heapCommitted() >> MB_SHIFT).append(" MB goal, ")
                .append("0 MB stacks, 0 MB globals, ")
                .append(processors).append(" P");
        if ("System.gc()".equals(e.cause())) sb.append(" (forced)");
        sb.append(" (").append(e.collector()).append(", ").append(e.cause()).append(')');
        return sb.toString();
    }

    /**
     * Returns {@code ns} in milliseconds as Go's runtime prints GC times: whole from 10 ms up, else two significant
     * digits with at most three decimals ({@code 0.058}, {@code 1.2}, {@code 3.0}).
     */
    static String millis(long ns) {
        if (ns >= 10_000_000L) return Long.toString(ns / 1_000_000L);
        long x = ns / 1_000L;
        if (x == 0) return "0";
        int decimals = 3;
        while (x >= 100) {
            x /= 10;
            decimals--;
        }
        return BigDecimal.valueOf(x, decimals).toPlainString();
    }
}
