package dev.diag.instrument;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;

/**
 * Tells, from a class file's bytes, whether the class can name one of a few type descriptors at all, so that a matcher
 * on annotations need not parse the class: an annotation's type is a {@code CONSTANT_Utf8} descriptor in the constant
 * pool of every class that uses it. Byte Buddy's transformer is handed no bytes, so this transformer, registered just
 * before it, scans them and leaves the answer to the matcher that runs next on the same thread for the same class.
 *
 * <p>A byte search costs microseconds per class; parsing every method and resolving every annotation of every loaded
 * class cost about 100 us per class, a third of a second for 3,000 library classes (BENCHMARKS.md, Class loading). When the answer is not known (a class
 * described from its loaded {@code Class}, as at attach time, or the scan result was overwritten by a class loaded
 * inside the matcher) the matcher is asked as before.
 */
final class ClassFileMentions implements ClassFileTransformer {
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final byte[][] descriptors;
    private final int[][] skips;
    private final ThreadLocal<LastScan> lastScan = ThreadLocal.withInitial(LastScan::new);

    /** What the scan of the class most recently loaded on a thread found. */
    private static final class LastScan {
        String internalName;
        boolean mentions;
    }

    /** {@code descriptors}: type descriptors such as {@code Ldev/diag/api/Traced;}. */
    ClassFileMentions(String... descriptors) {
        this.descriptors = new byte[descriptors.length][];
        this.skips = new int[descriptors.length][];
        for (int i = 0; i < descriptors.length; i++) {
            this.descriptors[i] = descriptors[i].getBytes(StandardCharsets.UTF_8);
            this.skips[i] = skipTable(this.descriptors[i]);
        }
        // loads what a transform runs
        transform(ClassFileMentions.class.getClassLoader(), "dev/diag/instrument/Preload", null, null, new byte[0]);
        lastScan.remove();
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader == null || loader == PLATFORM) return null; // the JDK's own: not asked (see classLoaderMatcher)
        try {
            LastScan s = lastScan.get();
            s.internalName = className;
            s.mentions = classfileBuffer != null && mentionsAny(classfileBuffer);
        } catch (Throwable ignored) {
            // Never into class loading: the matcher then finds no answer and asks as before.
        }
        return null;
    }

    /**
     * Returns a matcher that is false for a type whose class file was just scanned on this thread and names none of
     * the descriptors, and true otherwise (named, or not known).
     */
    ElementMatcher.Junction<TypeDescription> mayMention() {
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription type) {
                if (type == null || type instanceof TypeDescription.ForLoadedType) return true;
                LastScan s = lastScan.get();
                return s.internalName == null || s.mentions || !type.getInternalName().equals(s.internalName);
            }

            @Override
            public String toString() {
                return "mentionsInClassFile";
            }
        };
    }

    private boolean mentionsAny(byte[] classFile) {
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
