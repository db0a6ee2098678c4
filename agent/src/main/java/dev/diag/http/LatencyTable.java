package dev.diag.http;

import dev.diag.requests.LatencyHistogram;

import java.util.Locale;

/**
 * Draws a family's latency histogram as x/net/trace's {@code distTmpl}: a heading "Latency (µs) of FAMILY over
 * WINDOW", a line with the count, mean, standard deviation and median, then a row per non-empty bucket:
 * {@code [lower, upper)}, the count, its percentage, the cumulative percentage and a bar at most
 * {@value #MAX_BAR} pixels wide (in {@code px}: Go's page has no doctype, so browsers take its bare numbers in
 * quirks mode; this one has, and would drop them).
 */
final class LatencyTable {
    private static final double MAX_BAR = 350.0;

    private LatencyTable() {}

    static void append(StringBuilder sb, String family, LatencyHistogram.Window window,
                       LatencyHistogram.Snapshot h) {
        long[] counts = h.counts();
        long total = h.count();
        long max = 0;
        for (long n : counts) max = Math.max(max, n);
        double pct = total == 0 ? 1.0 : 100.0 / total;
        sb.append("<hr>\n<h4>Latency (&micro;s) of ").append(TracePage.html(family)).append(" over ")
          .append(window.words()).append("</h4>\n<table id=\"latency\">\n<tr>")
          .append("<td style=\"padding:0.25em\">Count: ").append(total).append("</td>")
          .append("<td style=\"padding:0.25em\">Mean: ").append(whole(h.mean())).append("</td>")
          .append("<td style=\"padding:0.25em\">StdDev: ").append(whole(h.standardDeviation())).append("</td>")
          .append("<td style=\"padding:0.25em\">Median: ").append(h.median()).append("</td>")
          .append("</tr>\n</table>\n<hr>\n<table id=\"buckets\">\n");
        long running = 0;
        for (int b = 0; b < counts.length; b++) {
            long n = counts[b];
            if (n == 0) continue;
            running += n;
            String upper = b < counts.length - 1 ? Long.toString(LatencyHistogram.lowerBound(b + 1))
                    : Long.toString(Long.MAX_VALUE);
            sb.append("<tr><td style=\"padding:0 0 0 0.25em\">[</td>")
              .append("<td style=\"text-align:right;padding:0 0.25em\">").append(LatencyHistogram.lowerBound(b))
              .append(",</td><td style=\"text-align:right;padding:0 0.25em\">").append(upper).append(")</td>")
              .append("<td style=\"text-align:right;padding:0 0.25em\" class=\"n\">").append(n).append("</td>")
              .append("<td style=\"text-align:right;padding:0 0.25em\">").append(percent(n * pct)).append("%</td>")
              .append("<td style=\"text-align:right;padding:0 0.25em\">").append(percent(running * pct))
              .append("%</td><td><div style=\"background-color: blue; height: 1em; width: ")
              .append((int) (n * MAX_BAR / max)).append("px;\"></div></td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /** Go's {@code %.0f}. */
    private static String whole(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** Go's {@code %#.3f}: three decimals, always with the point. */
    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
