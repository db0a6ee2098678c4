package dev.diag.json;

/**
 * A JSON string as Go's {@code encoding/json} writes it: {@code <}, {@code >}, {@code &} and U+2028/U+2029 as
 * {@code \\u} escapes, so the text is also safe inside an HTML page and a JavaScript literal; an unpaired surrogate,
 * which UTF-8 cannot carry, as U+FFFD, as Go writes invalid UTF-8. One quoting for every JSON diag writes: expvar's
 * {@code /debug/vars}, the API's variables, the Chrome trace, the viewer's embedded profiles.
 */
public final class JsonString {
    private JsonString() {}

    /** Returns {@code s} quoted. */
    public static String of(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        append(sb, s);
        return sb.toString();
    }

    /** Appends {@code s} quoted to {@code sb}. */
    public static void append(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        hex(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append("\\ufffd");
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static void hex(StringBuilder sb, char c) {
        String h = Integer.toHexString(c);
        sb.append("\\u").append("0000", h.length(), 4).append(h);
    }
}
