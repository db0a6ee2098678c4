package dev.diag.http;

import dev.diag.requests.Clock;
import dev.diag.requests.LogLine;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What {@code /debug/requests} and {@code /debug/events} draw alike, in x/net/trace's layout: the page's head and
 * style, the query's {@code fam}, {@code b} and {@code exp}, and the table of one bucket's entries with their log
 * lines (times as {@code 2006/01/02 15:04:05.000000}, elapsed seconds with six decimals). Plain HTML, no script.
 */
final class TracePage {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    /** One row of a bucket's table: an entry's start, its elapsed time, its title and its log. */
    record Entry(long startNanos, long elapsedNanos, String title, List<LogLine> lines) {}

    /** The query: family, bucket and whether log lines are shown (x/net/trace's {@code exp}; here on unless 0). */
    record Query(String family, int bucket, boolean expanded) {
        static Query of(PprofExchange ex) throws java.io.IOException {
            String fam = ex.formValue("fam");
            String b = ex.formValue("b");
            int bucket = Integer.MIN_VALUE;
            if (fam != null && !fam.isEmpty() && b != null) {
                try {
                    bucket = Integer.parseInt(b.trim());
                } catch (NumberFormatException e) {
                    // no bucket: the summary table alone, as x/net/trace
                }
            }
            String exp = ex.formValue("exp");
            return new Query(fam, bucket, exp == null || !(exp.equals("0") || exp.equalsIgnoreCase("false")));
        }

        boolean chosen() {
            return bucket != Integer.MIN_VALUE;
        }
    }

    private TracePage() {}

    static StringBuilder head(String path) {
        return new StringBuilder("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(path).append("</title>\n<style>\n")
                .append("body { font-family: sans-serif; }\n")
                .append("table#status td { padding: 0 0.5em; white-space: nowrap; }\n")
                .append("table#status td.family { font-weight: bold; text-align: right; }\n")
                .append("table#status td.empty { color: #aaa; }\n")
                .append("table#entries td { font-family: monospace; vertical-align: top; }\n")
                .append("table#entries tr.first td { font-weight: bold; }\n")
                .append("table#entries td.when { text-align: right; white-space: nowrap; }\n")
                .append("table#entries td.elapsed { padding: 0 0.5em; text-align: right; white-space: pre; }\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(path).append("</h1>\n");
    }

    /** One summary cell: {@code [n label]}, a link to the bucket when it holds anything, greyed when not. */
    static void cell(StringBuilder sb, String family, int bucket, long n, String label, boolean linked) {
        sb.append("<td").append(n == 0 ? " class=\"empty\"" : "").append('>');
        if (linked) sb.append("<a href=\"?fam=").append(html(urlEncode(family))).append("&amp;b=").append(bucket)
                .append("\">");
        sb.append('[').append(n).append(' ').append(html(label)).append(']');
        if (linked) sb.append("</a>");
        sb.append("</td>");
    }

    /** One link cell without a count: {@code [label]}, as x/net/trace's histogram links. */
    static void link(StringBuilder sb, String family, int bucket, String label) {
        sb.append("<td><a href=\"?fam=").append(html(urlEncode(family))).append("&amp;b=").append(bucket)
          .append("\">[").append(html(label)).append("]</a></td>");
    }

    /** The table of a chosen bucket, with a Summary/Expanded switch as x/net/trace's. */
    static void entries(StringBuilder sb, Query q, String caption, List<Entry> entries, boolean errorMarks) {
        String base = "?fam=" + html(urlEncode(q.family())) + "&amp;b=" + q.bucket();
        sb.append("<hr>\n<h3>Family: ").append(html(q.family())).append("</h3>\n");
        sb.append(q.expanded() ? "<a href=\"" + base + "&amp;exp=0\">[Summary]</a>" : "[Summary]").append('\n');
        sb.append(q.expanded() ? "[Expanded]" : "<a href=\"" + base + "\">[Expanded]</a>").append('\n');
        sb.append("<table id=\"entries\">\n<caption>").append(html(caption)).append("</caption>\n");
        sb.append("<tr><th>When</th><th>Elapsed&nbsp;(s)</th></tr>\n");
        for (Entry e : entries) {
            sb.append("<tr class=\"first\"><td class=\"when\">").append(when(e.startNanos(), WHEN))
                    .append("</td><td class=\"elapsed\">").append(seconds(e.elapsedNanos()))
                    .append("</td><td>").append(html(e.title())).append("</td></tr>\n");
            if (!q.expanded()) continue;
            long previous = e.startNanos();
            for (LogLine l : e.lines()) {
                sb.append("<tr><td class=\"when\">").append(when(l.nanos(), TIME))
                        .append("</td><td class=\"elapsed\">").append(seconds(l.nanos() - previous))
                        .append("</td><td>").append(errorMarks ? (l.isError() ? ".E. " : "... ") : "... ")
                        .append(html(l.text())).append("</td></tr>\n");
                previous = l.nanos();
            }
        }
        sb.append("</table>\n");
    }

    static String tail(StringBuilder sb) {
        return sb.append("</body>\n</html>\n").toString();
    }

    private static String when(long nanos, DateTimeFormatter format) {
        return format.format(Instant.ofEpochSecond(0, Clock.epochNanos(nanos)).atZone(ZoneId.systemDefault()));
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.6f", Math.max(0, nanos) / 1e9);
    }

    static String html(String s) {
        return PprofExchange.htmlEscape(s);
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
