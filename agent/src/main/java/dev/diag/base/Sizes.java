package dev.diag.base;

import java.util.Locale;

/** Parses byte sizes: {@code 1048576}, {@code 64MiB}, {@code 64m}, {@code 512KiB}, {@code 1GiB}. */
public final class Sizes {
    private Sizes() {}

    /** Returns the size in bytes. @throws IllegalArgumentException when {@code s} is not a size */
    public static long parseBytes(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) i++;
        if (i == 0) throw new IllegalArgumentException("not a size: " + s);
        long n = Long.parseLong(t.substring(0, i));
        String unit = t.substring(i);
        long mult;
        switch (unit) {
            case "": case "b": mult = 1; break;
            case "k": case "kb": case "kib": mult = 1L << 10; break;
            case "m": case "mb": case "mib": mult = 1L << 20; break;
            case "g": case "gb": case "gib": mult = 1L << 30; break;
            default: throw new IllegalArgumentException("not a size: " + s);
        }
        return Math.multiplyExact(n, mult);
    }
}
