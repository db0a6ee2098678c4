package dev.diag.http;

import dev.diag.requests.RequestFamilies;
import dev.diag.requests.RequestFamily;
import dev.diag.requests.RequestRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /debug/requests}, as x/net/trace's: a row per family with its active requests, the latency buckets (≥0s to
 * ≥100s, cumulative) and errors, each as {@code [count label]}; {@code ?fam=F&b=N} lists the last ten requests of
 * bucket N (b=-1: the active ones, b=8: the errors) with their log lines ({@code exp=0} hides them).
 */
final class RequestsHandler implements Endpoint {
    static final String PATH = "requests";
    private static final int ACTIVE = -1;

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
