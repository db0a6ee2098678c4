package dev.diag.http;

import dev.diag.requests.LatencyHistogram;
import dev.diag.requests.RequestFamilies;
import dev.diag.requests.RequestFamily;
import dev.diag.requests.RequestRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /debug/requests}, as x/net/trace's: a row per family with its active requests, the latency buckets (≥0s to
 * ≥100s, cumulative) and errors, each as {@code [count label]}, then links to its latency histograms
 * {@code [minute]}, {@code [hour]}, {@code [total]}; {@code ?fam=F&b=N} lists the last ten requests of bucket N
 * (b=-1: the active ones, b=8: the errors) with their log lines ({@code exp=0} hides them), and b=9, 10, 11 draw the
 * histogram of the last minute, last hour and all time ({@link LatencyTable}), x/net/trace's numbers.
 */
final class RequestsHandler implements Endpoint {
    static final String PATH = "requests";
    private static final int ACTIVE = -1;
    /** The first histogram's b: x/net/trace numbers them after its buckets. */
    private static final int HISTOGRAMS = RequestFamily.ERRORS + 1;
    private static final LatencyHistogram.Window[] WINDOWS = LatencyHistogram.Window.values();

    @Override
    public void serve(PprofExchange ex) throws IOException {
        TracePage.Query q = TracePage.Query.of(ex);
        StringBuilder sb = TracePage.head("/debug/requests");
        sb.append("<table id=\"status\">\n");
        for (RequestFamily f : RequestFamilies.all()) {
            sb.append("<tr><td class=\"family\">").append(TracePage.html(f.name())).append("</td>");
            long active = f.active();
            TracePage.cell(sb, f.name(), ACTIVE, active, "active", active > 0);
            for (int b = 0; b <= RequestFamily.ERRORS; b++) {
                long n = f.count(b);
                TracePage.cell(sb, f.name(), b, n, label(b), n > 0);
            }
            for (int w = 0; w < WINDOWS.length; w++) {
                TracePage.link(sb, f.name(), HISTOGRAMS + w, WINDOWS[w] == LatencyHistogram.Window.TOTAL ? "total"
                        : WINDOWS[w].name().toLowerCase(Locale.ROOT));
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        RequestFamily f = RequestFamilies.get(q.family());
        if (q.chosen() && f != null && q.bucket() >= ACTIVE && q.bucket() <= RequestFamily.ERRORS) {
            List<RequestRecord> records = q.bucket() == ACTIVE ? f.activeRequests() : f.recent(q.bucket());
            List<TracePage.Entry> entries = new ArrayList<>(records.size());
            for (RequestRecord r : records) {
                entries.add(new TracePage.Entry(r.startNanos(), r.elapsedNanos(), r.title(), r.lines()));
            }
            String caption = (q.bucket() == ACTIVE ? "Active" : "Completed") + " Requests"
                    + (q.bucket() == ACTIVE ? "" : " [" + label(q.bucket()) + "]");
            TracePage.entries(sb, q, caption, entries, false);
        } else if (q.chosen() && f != null && q.bucket() >= HISTOGRAMS && q.bucket() < HISTOGRAMS + WINDOWS.length) {
            LatencyHistogram.Window w = WINDOWS[q.bucket() - HISTOGRAMS];
            LatencyTable.append(sb, f.name(), w, f.latency().snapshot(w, System.nanoTime()));
        }
        ex.send(200, GoPprof.TEXT_HTML, null, TracePage.tail(sb));
    }

    /** x/net/trace's bucket names: {@code ≥%gs} of the lower bound, then "errors". */
    static String label(int bucket) {
        if (bucket == RequestFamily.ERRORS) return "errors";
        double s = RequestFamily.BUCKET_NANOS[bucket] / 1e9;
        return "≥" + (s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%s", s)) + "s";
    }
}
