package dev.diag.heap;

/**
 * Computes an array's size in bytes from its JVM type name and length, as HotSpot lays it out with compressed
 * class pointers and oops (the default below 32 GB of heap): a 16-byte header, elements, padding to 8 bytes.
 */
final class ArraySize {
    private static final int HEADER = 16;
    private static final int ALIGNMENT = 8;

    private ArraySize() {}

    /** Returns the size of an array of {@code typeName} ({@code [B}, {@code byte[]}, {@code [Ljava.lang.String;}). */
    static long bytes(String typeName, long length) {
        long raw = HEADER + length * elementSize(typeName);
        return (raw + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static int elementSize(String t) {
        String e = t.startsWith("[") ? t.substring(1, 2)
                : t.indexOf("[]") != t.lastIndexOf("[]") ? "reference" : t.replace("[]", "");
        switch (e) {
            case "B": case "Z": case "byte": case "boolean": return 1;
            case "C": case "S": case "char": case "short": return 2;
            case "I": case "F": case "int": case "float": return 4;
            case "J": case "D": case "long": case "double": return 8;
            default: return 4; // a reference, compressed
        }
    }
}
