package dev.diag.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request parameters as Go's {@code r.FormValue} sees them: the values of an {@code application/x-www-form-urlencoded}
 * body (POST, PUT, PATCH) first, then the query's; a repeated key answers its first value; {@code +} is a space.
 */
final class Form {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Form() {}

    /** Parses the body form (may be null) and then the raw query (may be null), in Go's order. */
    static Form parse(String bodyForm, String rawQuery) {
        Form f = new Form();
        if (bodyForm != null) f.addAll(bodyForm);
        if (rawQuery != null) f.addAll(rawQuery);
        return f;
    }

    /** Returns the first value of {@code key}, or "" when absent (Go's FormValue). */
    String value(String key) {
        List<String> v = values.get(key);
        return v == null ? "" : v.get(0);
    }

    /** Go's url.ParseQuery: pairs split on '&'; a pair with ';' or a bad escape is skipped. */
    private void addAll(String query) {
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty() || pair.indexOf(';') >= 0) continue;
            int eq = pair.indexOf('=');
            String key = unescape(eq < 0 ? pair : pair.substring(0, eq));
            String value = unescape(eq < 0 ? "" : pair.substring(eq + 1));
            if (key == null || value == null) continue;
            values.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        }
    }

    /** Go's url.QueryUnescape: {@code +} is a space, {@code %XX} a byte; returns null on a malformed escape. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%') {
                if (i + 2 >= in.length) return null;
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi < 0 || lo < 0) return null;
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
