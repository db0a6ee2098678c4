package dev.diag.base;

/** Parses Go duration strings ({@code 300ms}, {@code 1m30s}, {@code 2h}) as Go's {@code time.ParseDuration} does. */
public final class GoDuration {
    private GoDuration() {}

    /** Returns the duration in nanoseconds. @throws IllegalArgumentException when {@code s} is not a Go duration */
    public static long parseNanos(String s) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("empty duration");
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) return 0;
        if (i == s.length()) throw new IllegalArgumentException("invalid duration " + s);
        double total = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            if (start == i) throw new IllegalArgumentException("invalid duration " + s);
            double value = Double.parseDouble(s.substring(start, i));
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
            total += value * unitNanos(s.substring(unitStart, i), s);
        }
        if (total > Long.MAX_VALUE) throw new IllegalArgumentException("invalid duration " + s);
        return (long) (negative ? -total : total);
    }

    private static double unitNanos(String unit, String whole) {
        switch (unit) {
            case "ns": return 1;
            case "us": case "µs": case "μs": return 1e3;
            case "ms": return 1e6;
            case "s": return 1e9;
            case "m": return 60e9;
            case "h": return 3600e9;
            default: throw new IllegalArgumentException(unit.isEmpty()
                    ? "missing unit in duration " + whole : "unknown unit " + unit + " in duration " + whole);
        }
    }
}
