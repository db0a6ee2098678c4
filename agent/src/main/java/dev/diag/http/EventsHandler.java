package dev.diag.http;

import dev.diag.requests.EventFamilies;
import dev.diag.requests.EventFamily;
import dev.diag.requests.EventRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /debug/events}, as x/net/trace's: a row per family with how many objects are live ({@code total}) and how
 * many logged an error in the last 10 s, 1 m, 10 m, 1 h, 10 h or ever; {@code ?fam=F&b=N} lists those objects, newest
 * first, with their last lines ({@code .E.} marks an error line).
 */
final class EventsHandler implements Endpoint {
    static final String PATH = "events";
    private static final long SECOND = 1_000_000_000L;
    /** x/net/trace's buckets: the most age of an object's last error to count in it (0: any object). */
    private static final long[] MAX_ERROR_AGE = {0, 10 * SECOND, 60 * SECOND, 600 * SECOND, 3600 * SECOND,
            36_000 * SECOND, Long.MAX_VALUE};
    private static final String[] LABELS = {"total", "errs<10s", "errs<1m", "errs<10m", "errs<1h", "errs<10h",
            "errors"};

    @Override
    public void serve(PprofExchange ex) throws IOException {
        TracePage.Query q = TracePage.Query.of(ex);
        long now = System.nanoTime();
        StringBuilder sb = TracePage.head("/debug/events");
        sb.append("<table id=\"status\">\n");
        for (EventFamily f : EventFamilies.all()) {
            List<EventRecord> objects = f.objects();
            sb.append("<tr><td class=\"family\">").append(TracePage.html(f.name())).append("</td>");
            for (int b = 0; b < LABELS.length; b++) {
                long n = 0;
                for (EventRecord e : objects) if (matches(e, b, now)) n++;
                TracePage.cell(sb, f.name(), b, n, LABELS[b], n > 0);
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        EventFamily f = EventFamilies.get(q.family());
        if (q.chosen() && f != null && q.bucket() >= 0 && q.bucket() < LABELS.length) {
            List<TracePage.Entry> entries = new ArrayList<>();
            for (EventRecord e : f.objects()) {
                if (matches(e, q.bucket(), now)) {
                    entries.add(new TracePage.Entry(e.startNanos(), now - e.startNanos(), e.title(), e.lines()));
                }
            }
            TracePage.entries(sb, q, "Event logs [" + LABELS[q.bucket()] + "]", entries, true);
        }
        ex.send(200, GoPprof.TEXT_HTML, null, TracePage.tail(sb));
    }

    private static boolean matches(EventRecord e, int bucket, long now) {
        return bucket == 0 || e.hasErrorWithin(now, MAX_ERROR_AGE[bucket]);
    }
}
