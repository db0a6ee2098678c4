package dev.diag.api;

import dev.diag.json.JsonString;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON as Go's {@code expvar} writes it, for the variables' {@code json()}: strings as {@code encoding/json} writes
 * them ({@link JsonString}), an {@link Vars.Float} as {@code strconv.FormatFloat(f,
 * 'g', -1, 64)}, and a {@link Vars.Func}'s value as {@code json.Marshal} would write it. Where Go would write text that
 * is not JSON (a NaN, an infinity, a value it cannot marshal) this writes {@code null} or the value's
 * {@code toString()} as a string, so the page always parses.
 */
final class VarJson {
    /** Deeper than this a Func's value is taken to contain itself (a list holding itself) and is refused. */
    private static final int MAX_DEPTH = 64;

    private VarJson() {}

    static String quote(String s) {
        return JsonString.of(s);
    }

    static void quote(StringBuilder sb, String s) {
        JsonString.append(sb, s);
    }

    /** Returns {@code d} as Go's {@code strconv.FormatFloat(d, 'g', -1, 64)}: {@code 1.5}, {@code 3}, {@code 1e+06}. */
    static String goFloat(double d) {
        if (!Double.isFinite(d)) return "null";
        Digits g = Digits.of(d);
        if (g == null) return negativeZero(d) ? "-0" : "0";
        int exp = g.point - 1;
        // Shortest 'g' switches to an exponent at 1e+06 and below 1e-04, whatever the digit count.
        return exp < -4 || exp >= 6 ? g.exponent(false) : g.fixed();
    }

    /** Returns {@code d} as Go's {@code json.Marshal} writes a float64: fixed from 1e-6 up to 1e21, else an exponent. */
    static String jsonFloat(double d) {
        if (!Double.isFinite(d)) return "null";
        Digits g = Digits.of(d);
        if (g == null) return negativeZero(d) ? "-0" : "0";
        double abs = Math.abs(d);
        return abs < 1e-6 || abs >= 1e21 ? g.exponent(true) : g.fixed();
    }

    private static boolean negativeZero(double d) {
        return Double.doubleToRawLongBits(d) != 0;
    }

    /** Returns {@code f.value()} as JSON, or a string naming what went wrong: a Func must not take the page down. */
    static String ofFunc(Vars.Func f) {
        StringBuilder sb = new StringBuilder();
        try {
            value(sb, f.value(), 0);
            return sb.toString();
        } catch (Throwable e) { // anything the application's code throws, StackOverflowError included
            return quote("Func failed: " + e);
        }
    }

    /** Writes {@code v} as {@code json.Marshal} would: maps with their keys sorted, arrays and lists as arrays. */
    static void value(StringBuilder sb, Object v, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH);
        if (v == null) {
            sb.append("null");
        } else if (v instanceof CharSequence || v instanceof Character) {
            quote(sb, v.toString());
        } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof Short
                || v instanceof Byte || v instanceof BigInteger) {
            sb.append(v);
        } else if (v instanceof java.lang.Float) {
            float f = (java.lang.Float) v;
            sb.append(Double.isFinite(f) ? jsonFloat(Double.parseDouble(java.lang.Float.toString(f))) : "null");
        } else if (v instanceof Number) {
            sb.append(v instanceof BigDecimal ? ((BigDecimal) v).toString() : jsonFloat(((Number) v).doubleValue()));
        } else if (v instanceof Vars.Var) {
            sb.append(((Vars.Var) v).json());
        } else if (v instanceof Map) {
            object(sb, (Map<?, ?>) v, depth);
        } else if (v instanceof Iterable) {
            sb.append('[');
            boolean first = true;
            for (Object o : (Iterable<?>) v) {
                if (!first) sb.append(',');
                first = false;
                value(sb, o, depth + 1);
            }
            sb.append(']');
        } else if (v.getClass().isArray()) {
            sb.append('[');
            for (int i = 0, n = Array.getLength(v); i < n; i++) {
                if (i > 0) sb.append(',');
                value(sb, Array.get(v, i), depth + 1);
            }
            sb.append(']');
        } else {
            quote(sb, v.toString());
        }
    }

    private static void object(StringBuilder sb, Map<?, ?> m, int depth) {
        Map<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) sorted.put(String.valueOf(e.getKey()), e.getValue());
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            quote(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue(), depth + 1);
        }
        sb.append('}');
    }

    /** A finite non-zero double's shortest decimal digits {@code d1d2...dn} and the decimal point's place. */
    static final class Digits { // package-private: Vars loads it with itself
        final boolean negative;
        final String digits;
        /** The value is {@code 0.d1d2...dn × 10^point}. */
        final int point;

        private Digits(boolean negative, String digits, int point) {
            this.negative = negative;
            this.digits = digits;
            this.point = point;
        }

        static Digits of(double d) {
            if (d == 0) return null;
            BigDecimal b = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
            String digits = b.unscaledValue().toString();
            return new Digits(d < 0, digits, digits.length() - b.scale());
        }

        String fixed() {
            StringBuilder sb = new StringBuilder(negative ? "-" : "");
            int n = digits.length();
            if (point <= 0) {
                sb.append("0.").append("0".repeat(-point)).append(digits);
            } else if (point >= n) {
                sb.append(digits).append("0".repeat(point - n));
            } else {
                sb.append(digits, 0, point).append('.').append(digits, point, n);
            }
            return sb.toString();
        }

        /** {@code d.ddde+XX}: two exponent digits at least (strconv), or as few as needed ({@code json}). */
        String exponent(boolean shortExponent) {
            StringBuilder sb = new StringBuilder(negative ? "-" : "");
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            int exp = point - 1;
            sb.append(exp < 0 ? "e-" : "e+");
            int a = Math.abs(exp);
            if (a < 10 && !shortExponent) sb.append('0');
            return sb.append(a).toString();
        }
    }
}
