package dev.diag.http;

import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileRegistry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Serves the index page (Go's {@code pprof.Index} with nothing after the slash): counts, links, descriptions. */
final class IndexHandler implements Endpoint {
    private final ProfileRegistry registry;

    IndexHandler(ProfileRegistry registry) {
        this.registry = registry;
    }

    private record Entry(String name, int count) {}

    @Override
    public void serve(PprofExchange ex) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Profile p : registry.all()) entries.add(new Entry(p.name(), safeCount(p)));
        for (String extra : GoPprof.INDEX_EXTRAS) entries.add(new Entry(extra, 0));
        entries.sort((a, b) -> a.name().compareTo(b.name()));

        StringBuilder sb = new StringBuilder(GoPprof.INDEX_HEAD);
        for (Entry e : entries) {
            sb.append(String.format(GoPprof.INDEX_ROW, e.count(), link(e.name()), PprofExchange.htmlEscape(e.name())));
        }
        sb.append(GoPprof.INDEX_MIDDLE);
        for (Entry e : entries) {
            sb.append(String.format(GoPprof.INDEX_DESCRIPTION, PprofExchange.htmlEscape(e.name()),
                    PprofExchange.htmlEscape(GoPprof.DESCRIPTIONS.getOrDefault(e.name(), ""))));
        }
        sb.append(GoPprof.INDEX_TAIL);
        ex.send(200, GoPprof.TEXT_HTML, null, sb.toString());
    }

    private static int safeCount(Profile p) {
        try {
            return p.count();
        } catch (RuntimeException e) {
            return 0; // a broken custom profile must not take the index down
        }
    }

    /** Go's {@code (&url.URL{Path: name, RawQuery: "debug=1"}).String()}: the path escaped, "./" before a colon. */
    static String link(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean keep = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-_.~$&+,/:;=@".indexOf(c) >= 0;
            if (keep) sb.append((char) c);
            else sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        String path = sb.toString();
        int slash = path.indexOf('/');
        String firstSegment = slash < 0 ? path : path.substring(0, slash);
        if (firstSegment.indexOf(':') >= 0) path = "./" + path;
        return path + "?debug=1";
    }
}
