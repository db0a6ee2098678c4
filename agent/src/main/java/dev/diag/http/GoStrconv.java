package dev.diag.http;

/**
 * Go's {@code strconv} number parsing, as {@code net/http/pprof} applies it to request parameters. Java's parsers
 * differ at the edges that a client can reach (Java accepts non-ASCII digits, surrounding blanks, {@code 1.5f} and
 * never reports overflow for doubles), so every rule is spelled out here.
 */
final class GoStrconv {
    private GoStrconv() {}

    /** Returns {@code strconv.ParseInt(s, 10, 64)}, or null on a syntax or range error. */
    static Long parseInt(String s) {
        if (s == null || s.isEmpty()) return null;
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (i == s.length()) return null;
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long value = 0; // accumulated negatively, as Long.parseLong does, so MIN_VALUE fits
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return null;
            int d = c - '0';
            if (value < limit / 10) return null;
            value *= 10;
            if (value < limit + d) return null;
            value -= d;
        }
        return negative ? value : -value;
    }

    /**
     * Returns {@code strconv.Atoi(s)} with its error ignored, as the handlers read {@code debug} and {@code gc}:
     * 0 on a syntax error, the int64 limit of the sign on overflow.
     */
    static long atoi(String s) {
        Long v = parseInt(s);
        if (v != null) return v;
        if (s == null || s.isEmpty()) return 0;
        int start = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        if (start == s.length()) return 0;
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return 0;
        }
        return s.charAt(0) == '-' ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    /**
     * Returns {@code strconv.ParseUint(s, 0, 64)} (base prefix {@code 0x}, {@code 0b}, {@code 0o} or {@code 0};
     * underscores between digits), or 0 on any error, which is how {@code /symbol} treats a bad word.
     */
    static long parseUintBase0(String s) {
        if (s.isEmpty()) return 0;
        int base = 10;
        int i = 0;
        if (s.charAt(0) == '0') {
            if (s.length() >= 3) {
                char p = Character.toLowerCase(s.charAt(1));
                if (p == 'x') { base = 16; i = 2; }
                else if (p == 'b') { base = 2; i = 2; }
                else if (p == 'o') { base = 8; i = 2; }
                else { base = 8; i = 1; }
            } else if (s.length() == 2) {
                base = 8;
                i = 1;
            }
        }
        if (!underscoreOk(s)) return 0;
        long value = 0;
        boolean digits = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') continue;
            int d = Character.digit(c, base);
            if (d < 0 || c > 'z') return 0;
            // unsigned overflow check: value * base + d must fit in 64 bits
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) return 0;
            value = value * base + d;
            digits = true;
        }
        return digits ? value : 0;
    }

    /** Go's underscoreOK: underscores only between digits or after a base prefix, never leading or trailing. */
    private static boolean underscoreOk(String s) {
        char saw = '^';
        int i = 0;
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0') {
            char p = Character.toLowerCase(s.charAt(1));
            if (p == 'x' || p == 'b' || p == 'o') {
                hex = p == 'x';
                i = 2;
                saw = '0';
            }
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9' || hex && Character.digit(c, 16) >= 0) {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') return false;
                saw = '_';
                continue;
            }
            if (saw == '_') return false;
            saw = '!';
        }
        return saw != '_';
    }

    /**
     * Returns {@code strconv.ParseFloat(s, 64)}, or null on a syntax or range error. Accepts what Go accepts:
     * decimal and hexadecimal ({@code 0x1p-2}) forms, {@code inf}/{@code infinity}/{@code nan} in any case.
     */
    static Double parseFloat(String s) {
        if (s == null || s.isEmpty()) return null;
        String body = s;
        String sign = "";
        if (body.charAt(0) == '+' || body.charAt(0) == '-') {
            sign = body.substring(0, 1);
            body = body.substring(1);
        }
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return sign.equals("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) return sign.isEmpty() ? Double.NaN : null;
        boolean hex = lower.startsWith("0x");
        if (body.indexOf('_') >= 0) {
            if (!underscoreOk(body)) return null; // Go: only between digits (1_0 is 10)
            body = body.replace("_", "");
            lower = lower.replace("_", "");
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c == '.' || c == 'e' || c == '+' || c == '-'
                    || hex && (c == 'x' || c == 'p' || c >= 'a' && c <= 'f');
            if (!ok) return null; // rejects Java-only forms: blanks, "1d", "1f", "Infinity" spelled differently
        }
        if (hex && lower.indexOf('p') < 0) return null; // Go requires the p exponent in hex floats
        double d;
        try {
            d = Double.parseDouble(sign + body);
        } catch (NumberFormatException e) {
            return null;
        }
        if (Double.isInfinite(d)) return null; // Go reports a range error where Java rounds to infinity
        return d;
    }

    /** Returns {@code time.Duration(seconds * float64(time.Second))} as amd64 converts it: out of range or NaN gives MinInt64. */
    static long secondsToNanos(double seconds) {
        double ns = seconds * 1e9;
        if (Double.isNaN(ns) || ns >= 0x1p63 || ns < -0x1p63) return Long.MIN_VALUE;
        return (long) ns;
    }
}
