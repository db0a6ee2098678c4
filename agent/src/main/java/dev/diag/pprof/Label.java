package dev.diag.pprof;

/** A pprof sample label: either a string ({@code str}) or a number ({@code num} with an optional unit). */
public record Label(String key, String str, long num, String unit) {
    public static Label string(String key, String value) {
        return new Label(key, value, 0, null);
    }

    public static Label number(String key, long value, String unit) {
        return new Label(key, null, value, unit);
    }

    public boolean isString() {
        return str != null;
    }
}
