package dev.diag.view;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one HTML file that shows a profile in speedscope with nothing else: speedscope's script, stylesheet and font
 * inlined, the profile embedded as base64. It opens from {@code file://} offline, so it can be mailed or attached to a
 * ticket.
 *
 * <p>speedscope refuses {@code #profileURL=} on {@code file://}; what it offers there is {@code #localProfilePath=P},
 * which defines {@code window.speedscope.loadFileFromBase64(name, data)} and then loads {@code file:///P} as a script
 * to call it. The page sets that hash before speedscope starts and makes the call itself; P names no file, so that
 * script load fails quietly and nothing outside the HTML file is read. Hash parameters the reader adds
 * ({@code #view=sandwich}, {@code #sample_type=alloc_space}) are kept. The same page, made on request, is
 * {@code /debug/pprof/ui/view/NAME}.
 */
public final class StandaloneHtmlWriter {
    private static final Pattern FONT_URL = Pattern.compile("url\\(\"\\./([^\"/]+\\.woff2)\"\\)");
    /** Not a file: speedscope only needs a non-empty value to take the local-file path (see the class comment). */
    private static final String NO_FILE = "diag-embedded-profile";

    private StandaloneHtmlWriter() {}

    /** Returns the HTML page for {@code profile} (pprof bytes), shown under {@code name} (usually the file name). */
    public static byte[] html(String name, byte[] profile) throws IOException {
        return html(name, profile, null, null);
    }

    /**
     * Returns the HTML page for {@code profile} (pprof bytes) shown under {@code name}, opening on {@code sampleType}
     * focused on {@code tagfocus} ({@code KEY=VALUE}; null or empty: speedscope's default type, every sample), with
     * the {@link FocusPanel} to pick others. Throws IllegalArgumentException when {@code profile} is not a pprof
     * profile or the choice does not fit it, with a message that names what it has.
     */
    public static byte[] html(String name, byte[] profile, String sampleType, String tagfocus) throws IOException {
        FocusPanel panel = new FocusPanel(name, profile, sampleType, tagfocus);
        String script = text(SpeedscopeFiles.hashedName("speedscope", "js"));
        String style = inlineFonts(text(SpeedscopeFiles.hashedName("speedscope", "css")));
        StringBuilder sb = new StringBuilder(script.length() + profile.length * 4 + 4096);
        sb.append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"UTF-8\">\n")
          .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n")
          .append("<title>").append(htmlEscape(name)).append(" - speedscope (diag)</title>\n")
          .append("<style>\n").append(style).append("\n</style>\n</head>\n<body>\n")
          .append("<script>\n(function () {\n")
          .append("  var own = 'localProfilePath=").append(NO_FILE).append("&title=' + encodeURIComponent(")
          .append(jsString(name)).append(");\n")
          .append("  var extra = location.hash.replace(/^#/, '');\n")
          .append("  var hash = '#' + own + (extra ? '&' + extra : '');\n")
          .append("  try { history.replaceState(null, '', hash); } catch (e) { location.hash = hash; }\n")
          .append("})();\n</script>\n");
        panel.appendBox(sb);
        // speedscope renders in place of the body's last element when its script runs: its own script element.
        appendScript(sb, script);
        panel.appendScript(sb);
        sb.append("</body>\n</html>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Inlines the script; one that could end its own element early goes in as a data: URL instead, byte for byte. */
    private static void appendScript(StringBuilder sb, String script) {
        String lower = script.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("</script") || lower.contains("<!--")) {
            sb.append("<script src=\"data:text/javascript;base64,")
              .append(Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8)))
              .append("\"></script>\n");
        } else {
            sb.append("<script>\n").append(script).append("\n</script>\n");
        }
    }

    private static String inlineFonts(String css) throws IOException {
        Matcher m = FONT_URL.matcher(css);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            byte[] font = SpeedscopeFiles.read(m.group(1));
            String url = font == null ? m.group(0)
                    : "url(\"data:font/woff2;base64," + Base64.getEncoder().encodeToString(font) + "\")";
            m.appendReplacement(out, Matcher.quoteReplacement(url));
        }
        m.appendTail(out);
        return out.toString().replace("</style", "<\\/style");
    }

    private static String text(String resource) throws IOException {
        byte[] bytes = SpeedscopeFiles.read(resource);
        if (bytes == null) throw new IOException("diag.jar holds no speedscope file " + resource);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Returns {@code s} as a JavaScript string literal that is also safe inside an HTML script element. */
    static String jsString(String s) {
        // Not dev.diag.json.JsonString: this runs in the CLI too (diag.jar view), where the boot loader's part of diag
        // (agent-bootstrap) is not on the class path.
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else sb.append(c);
        }
        return sb.append('"').toString();
    }

    static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;");
    }
}
