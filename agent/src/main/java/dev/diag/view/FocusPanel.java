package dev.diag.view;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a viewer page that lets the reader pick a sample type and a label value, offline: every choice is a
 * profile made by {@link ProfileFocus} when the page is written and embedded in it, and picking one hands it to
 * speedscope in place (no reload, no request). A small box in the bottom-right corner lists the sample types and,
 * for each string label with at most {@value #MAX_VALUES} values, its values; the current choice is kept in the
 * page's hash as {@code sample_type=NAME&tagfocus=KEY=VALUE}, which also picks it when the page opens.
 *
 * <p>Every sample type is always embedded; label choices only while the embedded profiles stay under
 * {@value #LABEL_BUDGET} bytes, so that a profile with many labelled samples does not make a page many times its
 * size (a choice left out says how to ask for it).
 */
final class FocusPanel {
    static final int MAX_VALUES = 20;
    static final int LABEL_BUDGET = 16 << 20;

    private final String name;
    private final ProfileFocus.Summary summary;
    private final String initialType;
    private final String initialFocus;
    /** "TYPE\nKEY=VALUE" (focus empty for the whole profile) → base64 profile, or "" when it has no samples. */
    private final Map<String, String> variants = new LinkedHashMap<>();
    private final List<String> tooLarge = new ArrayList<>();
    private final List<String> tooMany = new ArrayList<>();

    /**
     * Makes the variants of {@code profile}: the chosen one ({@code sampleType}, {@code tagfocus}; null or empty for
     * the default type and no focus) first. Throws IllegalArgumentException when the choice does not fit the
     * profile, with {@link ProfileFocus#problem}'s message.
     */
    FocusPanel(String name, byte[] profile, String sampleType, String tagfocus) {
        this.name = name;
        ProfileFocus source = ProfileFocus.of(profile);
        this.summary = source.summary();
        String why = ProfileFocus.problem(summary, sampleType, tagfocus);
        if (why != null) throw new IllegalArgumentException(why);
        this.initialType = sampleType == null || sampleType.isEmpty() ? summary.defaultType() : sampleType;
        this.initialFocus = tagfocus == null ? "" : tagfocus;
        long size = add(source, initialType, initialFocus);
        for (String type : summary.sampleTypes()) size += add(source, type, "");
        for (Map.Entry<String, Map<String, Long>> label : summary.labels().entrySet()) {
            if (label.getValue().size() > MAX_VALUES) {
                tooMany.add(label.getKey() + " (" + label.getValue().size() + " values)");
                continue;
            }
            for (String value : label.getValue().keySet()) {
                for (String type : summary.sampleTypes()) {
                    String focus = label.getKey() + "=" + value;
                    if (size > LABEL_BUDGET && !variants.containsKey(key(type, focus))) {
                        if (!tooLarge.contains(focus)) tooLarge.add(focus);
                        continue;
                    }
                    size += add(source, type, focus);
                }
            }
        }
    }

    private long add(ProfileFocus source, String type, String focus) {
        String key = key(type, focus);
        if (variants.containsKey(key)) return 0;
        ProfileFocus.Focused f = source.focus(type, focus);
        String data = f.samples() == 0 ? "" : Base64.getEncoder().encodeToString(f.profile());
        variants.put(key, data);
        return data.length();
    }

    private static String key(String type, String focus) {
        return type + "\n" + focus;
    }

    /** Appends the box with the choices (HTML); it goes before speedscope's script, which renders after it. */
    void appendBox(StringBuilder sb) {
        sb.append("<div id=\"diag-focus\" style=\"position:fixed;right:4px;bottom:4px;z-index:1000;")
          .append("max-width:45%;max-height:40%;overflow:auto;background:#fff;color:#000;border:1px solid #888;")
          .append("padding:4px 6px;font:12px sans-serif;opacity:0.92\">\n<div>Sample type: ");
        for (int i = 0; i < summary.sampleTypes().size(); i++) {
            String t = summary.sampleTypes().get(i);
            String unit = summary.units().get(i);
            sb.append("<a href=\"#\" data-type=\"").append(StandaloneHtmlWriter.htmlEscape(t)).append("\">")
              .append(StandaloneHtmlWriter.htmlEscape(t)).append("</a>")
              .append(unit.isEmpty() ? "" : " <small>(" + StandaloneHtmlWriter.htmlEscape(unit) + ")</small>")
              .append(' ');
        }
        sb.append("</div>\n<div>Label focus: <a href=\"#\" data-focus=\"\">all samples</a>");
        for (Map.Entry<String, Map<String, Long>> label : summary.labels().entrySet()) {
            if (label.getValue().size() > MAX_VALUES) continue;
            sb.append(" | ").append(StandaloneHtmlWriter.htmlEscape(label.getKey())).append(':');
            for (Map.Entry<String, Long> value : label.getValue().entrySet()) {
                String focus = label.getKey() + "=" + value.getKey();
                if (tooLarge.contains(focus)) continue;
                sb.append(" <a href=\"#\" data-focus=\"").append(StandaloneHtmlWriter.htmlEscape(focus)).append("\">")
                  .append(StandaloneHtmlWriter.htmlEscape(value.getKey())).append("</a>");
            }
        }
        if (summary.labels().isEmpty()) sb.append(" <small>(no string labels in this profile)</small>");
        sb.append("</div>\n");
        if (!tooMany.isEmpty() || !tooLarge.isEmpty()) {
            List<String> left = new ArrayList<>(tooMany);
            left.addAll(tooLarge);
            sb.append("<div><small>Not offered here (too many values or too large to embed): ")
              .append(StandaloneHtmlWriter.htmlEscape(String.join(", ", left)))
              .append("; ask for one with tagfocus=KEY=VALUE.</small></div>\n");
        }
        sb.append("<div id=\"diag-focus-now\"></div>\n</div>\n");
    }

    /** Appends the script that loads the current choice into speedscope and switches on a click. */
    void appendScript(StringBuilder sb) {
        sb.append("<script>\n(function () {\n  var variants = {");
        boolean first = true;
        for (Map.Entry<String, String> v : variants.entrySet()) {
            sb.append(first ? "\n    " : ",\n    ").append(StandaloneHtmlWriter.jsString(v.getKey())).append(": \"")
              .append(v.getValue()).append('"');
            first = false;
        }
        sb.append("\n  };\n  var name = ").append(StandaloneHtmlWriter.jsString(name)).append(";\n")
          .append("  var now = {t: ").append(StandaloneHtmlWriter.jsString(initialType))
          .append(", f: ").append(StandaloneHtmlWriter.jsString(initialFocus)).append("};\n")
          .append(SCRIPT);
    }

    /** Reads and writes the hash, marks the choice, and loads a variant once speedscope is ready. */
    private static final String SCRIPT = String.join("\n",
            "  function hashParams() {",
            "    var out = [];",
            "    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {",
            "      if (!kv) return;",
            "      var i = kv.indexOf('=');",
            "      out.push([i < 0 ? kv : kv.substring(0, i), i < 0 ? '' : decodeURIComponent(kv.substring(i + 1))]);",
            "    });",
            "    return out;",
            "  }",
            "  function setHash() {",
            "    var kept = hashParams().filter(function (p) {",
            "      return p[0] !== 'sample_type' && p[0] !== 'tagfocus';",
            "    });",
            "    kept.push(['sample_type', now.t]);",
            "    if (now.f) kept.push(['tagfocus', now.f]);",
            "    var h = '#' + kept.map(function (p) { return p[0] + '=' + encodeURIComponent(p[1]); }).join('&');",
            "    try { history.replaceState(null, '', h); } catch (e) { /* file:// in some browsers: keep the old */ }",
            "  }",
            "  function mark() {",
            "    document.querySelectorAll('#diag-focus a').forEach(function (a) {",
            "      var on = a.hasAttribute('data-type') ? a.getAttribute('data-type') === now.t",
            "                                            : a.getAttribute('data-focus') === now.f;",
            "      a.style.fontWeight = on ? 'bold' : 'normal';",
            "      a.style.textDecoration = on ? 'none' : 'underline';",
            "    });",
            "  }",
            "  function load(data) {",
            "    if (window.speedscope && window.speedscope.loadFileFromBase64) {",
            "      window.speedscope.loadFileFromBase64(name, data);",
            "    } else {",
            "      setTimeout(function () { load(data); }, 10);",
            "    }",
            "  }",
            "  function show(t, f) {",
            "    var data = variants[t + '\\n' + f];",
            "    var said = document.getElementById('diag-focus-now');",
            "    if (data === undefined) { said.textContent = 'Not embedded in this page: ' + t + ' ' + f; return; }",
            "    now = {t: t, f: f};",
            "    mark();",
            "    setHash();",
            "    said.textContent = data ? 'Showing ' + t + (f ? ' of samples with ' + f : '')",
            "                            : 'No samples of ' + t + (f ? ' with ' + f : '') + ' in this profile';",
            "    if (data) load(data);",
            "  }",
            "  hashParams().forEach(function (p) {",
            "    if (p[0] === 'sample_type' && variants[p[1] + '\\n' + now.f] !== undefined) now.t = p[1];",
            "  });",
            "  hashParams().forEach(function (p) {",
            "    if (p[0] === 'tagfocus' && variants[now.t + '\\n' + p[1]] !== undefined) now.f = p[1];",
            "  });",
            "  document.querySelectorAll('#diag-focus a').forEach(function (a) {",
            "    a.addEventListener('click', function (e) {",
            "      e.preventDefault();",
            "      if (a.hasAttribute('data-type')) show(a.getAttribute('data-type'), now.f);",
            "      else show(now.t, a.getAttribute('data-focus'));",
            "    });",
            "  });",
            "  show(now.t, now.f);",
            "})();",
            "</script>",
            "");
}
