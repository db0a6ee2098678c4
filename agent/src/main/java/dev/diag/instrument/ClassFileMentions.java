package dev.diag.instrument;

import java.nio.charset.StandardCharsets;

/**
 * Tells whether a class file can name one of a few type descriptors at all: an annotation's type is a
 * {@code CONSTANT_Utf8} descriptor in the constant pool of every class that uses it, so a byte search rules out nearly
 * every class before anything parses it ({@link TracedHooks}).
 *
 * <p>A byte search costs microseconds per class; parsing every method and resolving every annotation of every loaded
 * class cost about 100 us per class, a third of a second for 3,000 library classes (BENCHMARKS.md, Class loading).
 */
final class ClassFileMentions {
    private final byte[][] descriptors;
    private final int[][] skips;

    /** {@code descriptors}: type descriptors such as {@code Ldev/diag/api/Traced;}. */
    ClassFileMentions(String... descriptors) {
        this.descriptors = new byte[descriptors.length][];
        this.skips = new int[descriptors.length][];
        for (int i = 0; i < descriptors.length; i++) {
            this.descriptors[i] = descriptors[i].getBytes(StandardCharsets.UTF_8);
            this.skips[i] = skipTable(this.descriptors[i]);
        }
    }

    boolean mentionsAny(byte[] classFile) {
        for (int i = 0; i < descriptors.length; i++) {
            if (indexOf(classFile, descriptors[i], skips[i]) >= 0) return true;
        }
        return false;
    }

    /**
     * Returns, for each byte value, how far a Horspool search may move on when that byte is under the needle's last
     * position: a descriptor is 20 to 60 bytes long, so most steps skip that far instead of one byte.
     */
    static int[] skipTable(byte[] needle) {
        int[] skip = new int[256];
        java.util.Arrays.fill(skip, needle.length);
        for (int k = 0; k < needle.length - 1; k++) skip[needle[k] & 0xff] = needle.length - 1 - k;
        return skip;
    }

    /** Returns where {@code needle} first occurs in {@code haystack}, or -1 (Horspool, with its skip table). */
    static int indexOf(byte[] haystack, byte[] needle, int[] skip) {
        int m = needle.length;
        if (m == 0) return 0;
        int i = 0;
        while (i <= haystack.length - m) {
            int k = m - 1;
            while (k >= 0 && haystack[i + k] == needle[k]) k--;
            if (k < 0) return i;
            i += skip[haystack[i + m - 1] & 0xff];
        }
        return -1;
    }
}
