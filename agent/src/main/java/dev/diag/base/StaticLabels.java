package dev.diag.base;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses {@code push.labels=k=v;k2=v2}: {@code ;} between labels, because {@code ,} separates options. Pyroscope's
 * ingest name ({@code app{k=v,k2=v2}}) has no escaping, so names are identifiers and values may not hold the
 * characters that delimit it.
 */
public final class StaticLabels {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");
    private static final Pattern VALUE = Pattern.compile("[^,;{}=\"\\s\\p{Cntrl}]+");

    private StaticLabels() {}

    /** Returns the labels in the order given. @throws IllegalArgumentException when one is malformed */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isBlank()) return out;
        for (String pair : text.split(";", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("not k=v: " + pair);
            String k = pair.substring(0, eq).trim();
            String v = pair.substring(eq + 1).trim();
            if (!NAME.matcher(k).matches() || !isValue(v) || out.put(k, v) != null) {
                throw new IllegalArgumentException("bad label: " + pair);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Returns whether {@code s} can be an application name in a Pyroscope ingest name. */
    public static boolean isName(String s) {
        return APP_NAME.matcher(s).matches();
    }

    /** Returns whether {@code s} can be a label value (or a header value such as the tenant). */
    public static boolean isValue(String s) {
        return VALUE.matcher(s).matches();
    }
}
