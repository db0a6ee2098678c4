package dev.diag.http;

import dev.diag.pprof.Profile;
import dev.diag.pprof.ProfileRegistry;
import dev.diag.pprof.WindowedProfiler;
import dev.diag.view.SpeedscopeFiles;
import dev.diag.view.StandaloneHtmlWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Serves diag's viewer, which Go's {@code net/http/pprof} does not have: {@code ui/} lists every profile this endpoint
 * serves with links that open it, {@code ui/view/NAME} is the profile as Go's handler serves {@code NAME} (the same
 * query: {@code seconds=N} for a window or delta) made into one speedscope page with every sample type and label
 * focus inside ({@link StandaloneHtmlWriter}, as {@code diag.jar view} writes; {@code sample_type} and
 * {@code tagfocus} choose the one it opens on, 400 naming the valid ones when the profile has no such thing), and
 * {@code ui/speedscope/NAME} answers the speedscope files packed into diag.jar, by a fixed list of names (anything
 * else is {@code 404 page not found}). All of it passes the same {@link AccessFilter}: with a token, a browser that
 * cannot send the bearer header gets 401 like any other client, and nothing here relaxes that.
 */
final class UiHandler {
    /** What follows the prefix: Go answers {@code ui/...} as an unknown profile, so no Go path changes meaning. */
    static final String PATH = "ui/";
    static final String VIEWER = "speedscope/";
    static final String VIEW = "view/";

    /** Serves profile NAME as {@code PREFIX/NAME} would (the router's own dispatch). */
    interface ProfileRoute {
        void serve(PprofExchange ex, String name) throws IOException;
    }
    /** Windows offered for profiles recorded over time (CPU) or as a difference (Go's {@code ?seconds=N} delta). */
    private static final int[] SECONDS = {10, 30};
    private static final String HASHED_CACHE = "max-age=31536000, immutable";

    private final ProfileRegistry registry;
    private final Supplier<WindowedProfiler> wall;

    UiHandler(ProfileRegistry registry, Supplier<WindowedProfiler> wall) {
        this.registry = registry;
        this.wall = wall;
    }

    /** Answers {@code PREFIX/ui/rest}; {@code profiles} serves the profile a {@code view/NAME} shows. */
    void serve(PprofExchange ex, String rest, ProfileRoute profiles) throws IOException {
        if (rest.isEmpty()) {
            ex.setHeader("Cache-Control", "no-cache");
            ex.send(200, GoPprof.TEXT_HTML, null, page());
            return;
        }
        if (rest.startsWith(VIEW) && rest.length() > VIEW.length()) {
            view(ex, rest.substring(VIEW.length()), profiles);
            return;
        }
        String name = rest.startsWith(VIEWER) ? rest.substring(VIEWER.length()) : null;
        byte[] file = name == null ? null : SpeedscopeFiles.read(name);
        if (file == null) {
            ex.httpError(404, GoPprof.NOT_FOUND);
            return;
        }
        ex.setHeader("Cache-Control", SpeedscopeFiles.isContentHashed(name) ? HASHED_CACHE : "no-cache");
        ex.send(200, SpeedscopeFiles.contentType(name), null, file);
    }

    private static void view(PprofExchange ex, String name, ProfileRoute profiles) throws IOException {
        String sampleType = ex.formValue("sample_type");
        String tagfocus = ex.formValue("tagfocus");
        String seconds = ex.formValue("seconds");
        String title = name + (seconds.isEmpty() ? "" : " (" + seconds + " s)");
        ex.answerProfileWith((e, profile) -> {
            byte[] html;
            try {
                html = StandaloneHtmlWriter.html(title, profile, sampleType, tagfocus);
            } catch (IllegalArgumentException bad) {
                e.httpError(400, bad.getMessage());
                return;
            }
            e.setHeader("Cache-Control", "no-store"); // a window or a snapshot: another load is another profile
            e.send(200, GoPprof.TEXT_HTML, null, html);
        });
        profiles.serve(ex, name);
    }

    private record Row(String name, String description, List<String[]> links) {}

    private String page() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("profile", GoPprof.DESCRIPTIONS.get("profile"), windows("profile")));
        if (wall.get() != null) {
            rows.add(new Row(dev.diag.cpu.CpuFeature.WALL,
                    "Wall-clock time of every thread, running or waiting, over a window.",
                    windows(dev.diag.cpu.CpuFeature.WALL)));
        }
        List<Profile> profiles = new ArrayList<>(registry.all());
        profiles.sort((a, b) -> a.name().compareTo(b.name()));
        for (Profile p : profiles) {
            List<String[]> links = new ArrayList<>();
            links.add(new String[] {"now", ""});
            if (GoPprof.DELTA_PROFILES.contains(p.name())) links.addAll(windows(p.name()));
            rows.add(new Row(p.name(), GoPprof.DESCRIPTIONS.getOrDefault(p.name(), ""), links));
        }

        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>diag: profiles in the viewer</title>\n<style>\n")
                .append("body { font-family: sans-serif; margin: 1.5em; }\n")
                .append("td { padding: 0.3em 1em 0.3em 0; vertical-align: top; }\n")
                .append("td:nth-child(2) { white-space: nowrap; }\n")
                .append(".d { color: #555; font-size: 90%; }\n</style>\n</head>\n<body>\n")
                .append("<h1>Profiles</h1>\n<p>Each link opens the profile in speedscope, served from this JVM; ")
                .append("nothing is loaded from elsewhere. Timed links record for that long before the view ")
                .append("appears. In the view, the box at the bottom right picks the sample type and a label ")
                .append("value to focus on. Raw profiles: <a href=\"../\">the pprof index</a>.</p>\n<table>\n");
        for (Row r : rows) {
            sb.append("<tr><td><b>").append(PprofExchange.htmlEscape(r.name())).append("</b></td><td>");
            for (String[] link : r.links()) {
                sb.append("<a href=\"").append(PprofExchange.htmlEscape(viewerLink(r.name(), link[1])))
                  .append("\">").append(PprofExchange.htmlEscape(link[0])).append("</a> ");
            }
            sb.append("</td><td class=\"d\">").append(PprofExchange.htmlEscape(r.description())).append("</td></tr>\n");
        }
        sb.append("</table>\n<p class=\"d\">Viewer: speedscope (MIT License, ")
          .append("<a href=\"speedscope/LICENSE\">LICENSE</a>), bundled in diag.jar.</p>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** Returns (label, query) pairs for the windows of a profile: {@code seconds=N}. */
    private static List<String[]> windows(String name) {
        List<String[]> links = new ArrayList<>();
        for (int s : SECONDS) links.add(new String[] {s + " s", "seconds=" + s});
        return links;
    }

    /** Returns the viewer URL for profile {@code name} with {@code query} (may be empty), relative to {@code ui/}. */
    static String viewerLink(String name, String query) {
        String path = IndexHandler.link(name);
        path = path.substring(path.startsWith("./") ? 2 : 0, path.length() - "?debug=1".length());
        return VIEW + path + (query.isEmpty() ? "" : "?" + query);
    }
}
